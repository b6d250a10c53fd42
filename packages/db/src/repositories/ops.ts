import { sql, type Kysely } from 'kysely';
import type { Database } from '../types.js';

/** SQL for operators: readiness and installation-wide gauges. */
export class OpsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    await sql`select 1`.execute(this.db);
    return true;
  }

  /** Feeds by the HTTP status code of their last fetch ('none': no answer or never fetched). */
  async feedLastStatus(): Promise<{ status: string; count: number }[]> {
    const res = await sql<{ status: string; count: number }>`select coalesce(last_status::text, 'none') as status,
      count(*)::int as count from feeds group by 1 order by 1`.execute(this.db);
    return res.rows;
  }
}
