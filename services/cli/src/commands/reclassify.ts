import { parse, UsageError, type Command } from './command.js';
import { withRuntime } from './context.js';

const HELP = `
usage: pnpm radar reclassify [--since DATE] [--batch N]
  Classifies stored articles again with the current taxonomy and model, without fetching them
  again, and records the new taxonomy and classifier versions on each signal. New signals (for
  articles that had none) go to alert matching; changed ones do not alert again.
  --since DATE   only articles stored since this date (ISO 8601, e.g. 2026-11-01)
  --batch N      articles per batch (default 500)`;

export const reclassify: Command = {
  name: 'reclassify',
  summary: 'classify stored articles again after a taxonomy or model change',
  async run(argv) {
    const args = parse(argv, { since: { type: 'string' }, batch: { type: 'string' } }, HELP);
    if (!args) return 0;
    const since = args.values.since ? new Date(args.values.since) : null;
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: not a date: ${args.values.since}`);
    const batch = Number(args.values.batch ?? 500);
    if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new UsageError('--batch needs an integer from 1 to 10000');
    return withRuntime(async (rt) => {
      // Loaded here so that other commands start without the classifier's model.
      const [{ loadClassifier }, { signalRow }] = await Promise.all([import('@radar/classifier'), import('@radar/svc-classifier')]);
      const classifier = await loadClassifier({ taxonomyFile: rt.settings.TAXONOMY_FILE });
      const versions = { taxonomyVersion: classifier.taxonomyVersion, classifierVersion: classifier.classifierVersion };
      let after = 0;
      let done = 0;
      let created = 0;
      const t0 = Date.now();
      for (;;) {
        const ids = await rt.repos.articles.idsSince(since, after, batch);
        if (!ids.length) break;
        for (const article of await rt.repos.articles.getMany(ids)) {
          const c = classifier.classify({ title: article.title ?? '', body: article.body ?? article.summary ?? '', lang: article.lang ?? undefined });
          const res = await rt.repos.signals.upsert(signalRow(article, c, versions));
          if (res.created) {
            created++;
            await rt.queues.enqueue('match-alerts', { signalId: res.id });
          }
          done++;
        }
        after = ids[ids.length - 1]!;
        process.stderr.write(`reclassified ${done} article(s) (${Math.round(done / ((Date.now() - t0) / 1000 || 1))}/s)\n`);
      }
      process.stderr.write(
        `done: ${done} article(s) reclassified, ${created} new signal(s); taxonomy ${versions.taxonomyVersion}, classifier ${versions.classifierVersion}\n`,
      );
      return 0;
    });
  },
};
