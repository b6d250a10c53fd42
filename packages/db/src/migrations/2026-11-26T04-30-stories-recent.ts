import type { Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// Story assignment compares an article's SimHash with the stories of the last few days
// (bit_count of the XOR, exact). This index makes "the last few days" a range scan.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stories_created').on('stories').columns(['created_at', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('stories_created').ifExists().execute();
}
