import { SETTINGS, settingsTable } from '@radar/config';
import { parse, printJson, type Command } from './command.js';
import { settingsAndLog } from './context.js';

const HELP = `
usage: pnpm radar config [--markdown]
  Checks the settings in the environment and prints the effective values as one JSON object
  (credentials in URLs masked). --markdown prints the README's configuration table.`;

const mask = (v: unknown) => (typeof v === 'string' ? v.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@') : v);

export const config: Command = {
  name: 'config',
  summary: 'check the settings and print the effective values (or --markdown: the reference table)',
  async run(argv) {
    const args = parse(argv, { markdown: { type: 'boolean' } }, HELP);
    if (!args) return 0;
    if (args.values.markdown) {
      process.stdout.write(settingsTable() + '\n');
      return 0;
    }
    const { settings } = settingsAndLog();
    printJson(Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, mask(settings[k as keyof typeof settings])])));
    return 0;
  },
};
