import { JOB_NAMES, type JobName } from '@radar/queue';
import { parse, printJson, UsageError, type Command } from './command.js';
import { withRuntime } from './context.js';

const HELP = `
usage: pnpm radar failed [--retry] [--stage NAME] [--json]
  Lists jobs that failed after their last attempt, with the reason; --retry runs them again.
  --stage   only this stage (${JOB_NAMES.join(', ')})
  --json    one JSON line per failed job on stdout`;

export const failed: Command = {
  name: 'failed',
  summary: 'list jobs that failed for good, with why; --retry runs them again',
  async run(argv) {
    const args = parse(argv, { retry: { type: 'boolean' }, stage: { type: 'string' }, json: { type: 'boolean' } }, HELP);
    if (!args) return 0;
    const stage = args.values.stage as JobName | undefined;
    if (stage && !JOB_NAMES.includes(stage)) throw new UsageError(`unknown stage "${stage}"; one of ${JOB_NAMES.join(', ')}`);
    return withRuntime(async (rt) => {
      if (args.values.retry) {
        const n = await rt.queues.retryFailed(stage);
        process.stderr.write(`${n} failed job(s) queued again\n`);
        return 0;
      }
      const jobs = (await rt.queues.failed()).filter((j) => !stage || j.name === stage);
      for (const j of jobs) {
        if (args.values.json) printJson(j);
        else
          process.stdout.write(
            `${j.name}\t${j.id}\tattempts=${j.attemptsMade}\t${j.finishedOn ? new Date(j.finishedOn).toISOString() : ''}\t${j.failedReason}\n`,
          );
      }
      if (!args.values.json) process.stderr.write(`${jobs.length} failed job(s)${jobs.length ? '; `pnpm radar failed --retry` runs them again' : ''}\n`);
      return 0;
    }, { skipSchemaCheck: true });
  },
};
