import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
// tests/ has no dependency on @radar/feeds of its own: import the package by path.
import { storyFingerprints } from '../../packages/feeds/src/index.js';
import { createTestDb } from '../../packages/testkit/src/index.js';
import { benchArticles } from './_pipeline-fixture.js';
import { badOption } from './_usage.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU seconds (user + system) of a process of this machine. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * `pnpm bench stories [--sizes 1000,5000,20000] [--lookups 400] [--rounds 3]`: the near-copy
 * lookup of story assignment (`nearest_story`, the statements `assign_stories` runs inline)
 * against the number of stories in its 3-day window, through the band indexes (distance up to
 * 10, the default) and through the exact scan of the window they replaced (the same function
 * at distance 12, which scans). The stories get the SimHashes of the pipeline bench's articles
 * (English and Chinese bodies: real text skews the bits, so a band value is shared more often
 * than random hashes would share it); half the lookups are near copies of a story (3 bits
 * flipped), half new texts. Per lookup, medians of the rounds: wall time on one connection,
 * and its PostgreSQL backend's CPU.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { sizes: { type: 'string', default: '1000,5000,20000' }, lookups: { type: 'string', default: '400' }, rounds: { type: 'string', default: '3' } },
  });
  const sizes = values.sizes.split(',').map(Number);
  const lookups = Number(values.lookups);
  const rounds = Number(values.rounds);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !(lookups >= 1) || !(rounds >= 1)) throw badOption('--sizes, --lookups and --rounds need positive integers');
  const largest = Math.max(...sizes);
  process.stderr.write(`hashing ${largest + lookups} bench articles...\n`);
  const { main } = benchArticles(largest + lookups, 1, 0, 1);
  const hashes = main.map((a) => storyFingerprints(a.title, a.paragraphs.join('\n\n')).simhash);
  const stories = hashes.slice(0, largest);
  const fresh = hashes.slice(largest);

  const tdb = await createTestDb();
  try {
    await tdb.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
      const pid = rows[0]!.pid;
      const lookup = async (simhash: string, maxDistance: number): Promise<void> => {
        await sql`select * from nearest_story(('x' || ${simhash})::bit(64)::bigint, now() - interval '3 days', ${maxDistance}::int)`.execute(conn);
      };
      const timed = async (queries: string[], maxDistance: number): Promise<{ ms: number; cpuMs: number }> => {
        const c0 = cpuOf(pid);
        const t0 = performance.now();
        for (const q of queries) await lookup(q, maxDistance);
        return { ms: (performance.now() - t0) / queries.length, cpuMs: ((cpuOf(pid) - c0) * 1000) / queries.length };
      };
      process.stdout.write(`stories in window   bands (distance <= 10)          scan (distance <= 12)\n`);
      let stored = 0;
      for (const size of [...sizes].sort((a, b) => a - b)) {
        for (; stored < size; stored += 1000) {
          const chunk = stories.slice(stored, Math.min(size, stored + 1000));
          await sql`insert into stories (title, simhash) select 't', unnest(${chunk}::text[])`.execute(conn);
        }
        stored = size;
        await sql`analyze stories`.execute(conn);
        const queries = Array.from({ length: lookups }, (_, i) => {
          if (i % 2) return fresh[i]!;
          // A near copy: 3 bits of a stored story's hash flipped.
          let v = BigInt(`0x${stories[(i * 7919) % size]!}`);
          for (const b of [i % 64, (i * 13 + 5) % 64, (i * 29 + 11) % 64]) v ^= 1n << BigInt(b);
          return v.toString(16).padStart(16, '0');
        });
        // Plans made and caches warm before timing.
        for (const q of queries.slice(0, 20)) {
          await lookup(q, 10);
          await lookup(q, 12);
        }
        const bands: { ms: number; cpuMs: number }[] = [];
        const scan: { ms: number; cpuMs: number }[] = [];
        for (let r = 0; r < rounds; r++) {
          bands.push(await timed(queries, 10));
          scan.push(await timed(queries, 12));
        }
        const fmt = (xs: { ms: number; cpuMs: number }[]) =>
          `${median(xs.map((x) => x.ms)).toFixed(3)} ms (CPU ${median(xs.map((x) => x.cpuMs)).toFixed(3)} ms)`.padEnd(32);
        process.stdout.write(`${String(size).padEnd(20)}${fmt(bands)}${fmt(scan)}\n`);
      }
    });
  } finally {
    await tdb.cleanup();
  }
  process.stdout.write(`node ${process.version}, ${lookups} lookups a round, ${rounds} rounds, medians\n`);
}
