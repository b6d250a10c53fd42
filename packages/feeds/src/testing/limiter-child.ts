// A worker process for the cross-process politeness test: polls feeds on one host through a
// Redis-shared host limiter, then exits. Args: redisUrl prefix baseUrl rounds path...
import { createFeedsContext } from '../context.js';
import { createHostLimiter } from '../limiter.js';
import { pollFeed } from '../poll.js';
import { TEST_SETTINGS } from './server.js';

const [redisUrl, prefix, baseUrl, rounds, ...paths] = process.argv.slice(2);
const limiter = createHostLimiter({ redis: redisUrl!, prefix: prefix!, maxConcurrent: 2, minGapMs: 100 });
const ctx = createFeedsContext({ ...TEST_SETTINGS, FETCH_TIMEOUT_MS: 5000 }, { limiter, robots: false });
const polls: Promise<unknown>[] = [];
for (let r = 0; r < Number(rounds); r++) for (const p of paths) polls.push(pollFeed({ url: `${baseUrl}${p}` }, ctx));
const outcomes = (await Promise.all(polls)) as { kind: string }[];
await ctx.close();
await limiter.close();
process.stdout.write(JSON.stringify(outcomes.map((o) => o.kind)));
process.exit(0);
