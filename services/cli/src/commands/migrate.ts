import { migrateToLatest, openDb } from '@radar/db';
import { parse, type Command } from './command.js';
import { settingsAndLog } from './context.js';

export const migrate: Command = {
  name: 'migrate',
  summary: 'apply the database migrations (PostgreSQL at DATABASE_URL, or the embedded one)',
  async run(argv) {
    if (!parse(argv, {}, 'usage: pnpm radar migrate')) return 0;
    const { settings, log } = settingsAndLog();
    const dbh = await openDb({ databaseUrl: settings.DATABASE_URL, schema: settings.DATABASE_SCHEMA, dataDir: settings.DATA_DIR });
    try {
      const applied = await migrateToLatest(dbh);
      log.debug({ applied, database: dbh.kind, schema: dbh.schema }, applied.length ? 'migrations applied' : 'schema already current');
      process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema already current\n');
    } finally {
      await dbh.close();
    }
    return 0;
  },
};
