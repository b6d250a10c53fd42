import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadSettings } from '@radar/config';
import { createLogger } from '@radar/log';
import { JOB_NAMES, type JobName } from '@radar/queue';
import { openRuntime, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv, TEST_DATABASE_URL, TEST_REDIS_URL } from '@radar/testkit';
import { computeCeiling, queueCeiling, queueTrickle } from './_pipeline-ceilings.js';
import { storeDrain } from './_pipeline-store.js';
import { badOption } from './_usage.js';
import { analyzeSchema, benchArticles, cpuSeconds, localPorts, machineTicks, peakRssMb, percentile, sleep, spawnStage, startBenchSite, waitForWorkers, type Stage } from './_pipeline-fixture.js';

const HELP = `usage: pnpm bench pipeline [--n 5000] [--workers K] [--extractors K] [--page-kb 60] [--page-delay-ms 0] [--feeds F] [--rate R] [--latency-n L] [--warmup W] [--no-analyze] [--timeout S] [--skip-ceilings] [--profile DIR] [--node-args=FLAGS] [--store-drain] [--json]
  N articles (English and Chinese, some GBK; pages with --page-kb of boilerplate) in F feeds
  (default N/50) served by a local HTTP server go through every stage (crawler, extractor,
  classifier, alerter: K processes each, --extractors for the extractor alone) into PostgreSQL.
  Warm-up: W articles (default 1,000; 0 for none) go through first, untimed, so that V8 has
  compiled the stages' hot code (their rate is printed too); ceiling (a) gets the same warm-up.
  Then ANALYZE of the bench's tables, the statistics autovacuum keeps on a running installation
  (--no-analyze leaves the plans made on the empty tables, as on a server without autovacuum).
  Phase 1 (throughput): every feed is due at once; articles/s from the poll to the last signal.
  Phase 2 (latency): L more articles (default N/5, at most 1,000) in feeds of 5 items falling
  due at R articles/s (default half the measured throughput); p50/p95 from each feed's poll to
  its stored signal. Ceilings in the same run: (a) the same handlers in this one process with
  in-memory stage lists instead of BullMQ, (b) BullMQ alone moving no-op jobs through the same
  stages. Also: peak memory (VmHWM) and CPU per stage process, CPU of their PostgreSQL backends
  and of Redis per article. --json prints one JSON object on stdout and nothing else.
  --node-args=FLAGS  node flags of the stage processes (default --max-old-space-size=512, as in
                     infra/k8s; --node-args= for none)
  --page-delay-ms MS each page answers after MS, as remote sites do
  --profile DIR      V8 CPU profile of each stage process into DIR
  --store-drain      only the classifier stage (classify and store) draining a backlog: batched
                     vs per-job database work`;

const STAGES: Stage['name'][] = ['crawler', 'extractor', 'classifier', 'alerter'];
const PER_LATENCY_FEED = 5;

async function signalCount(rt: Runtime): Promise<number> {
  return rt.repos.signals.count();
}

/** Waits until `target` signals are stored; false when `timeoutS` passed first. */
async function waitForSignals(rt: Runtime, target: number, timeoutS: number, label: string): Promise<boolean> {
  const deadline = Date.now() + timeoutS * 1000;
  let last = -1;
  let lastLog = 0;
  for (;;) {
    const n = await signalCount(rt);
    if (n >= target) return true;
    if (Date.now() > deadline) return false;
    if (Date.now() - lastLog > 5000 && n !== last) {
      process.stderr.write(`${label}: ${n}/${target} signals\n`);
      lastLog = Date.now();
      last = n;
    }
    // The phase's end is the last signal's created_at, not when this poll sees it: polling
    // less often costs no precision, and its count(*) less of the CPU being measured.
    await sleep(250);
  }
}

/** Milliseconds from each feed's first request to the stored signal, for the given feeds. */
async function latencies(rt: Runtime, feedHits: Map<string, number>, feedPrefix: string): Promise<number[]> {
  const rows = await sql<{ created_at: Date; url: string }>`
    select s.created_at, f.url from signals s join articles a on a.id = s.article_id join feeds f on f.id = a.feed_id`.execute(rt.dbh.db);
  const out: number[] = [];
  for (const r of rows.rows) {
    const path = new URL(r.url).pathname;
    const hit = feedHits.get(path);
    if (hit !== undefined && path.startsWith(`/feeds/${feedPrefix}`)) out.push(r.created_at.getTime() - hit);
  }
  return out.sort((a, b) => a - b);
}

/** Per stage, from up to 1000 completed jobs: median wait in the queue and median run time, ms. */
async function stageTimes(rt: Runtime): Promise<Record<string, { jobs: number; wait_p50_ms: number; run_p50_ms: number }>> {
  const out: Record<string, { jobs: number; wait_p50_ms: number; run_p50_ms: number }> = {};
  for (const name of ['fetch-feed', 'extract-article', 'classify-article', 'match-alerts'] as JobName[]) {
    const jobs = (await rt.queues.queue(name).getCompleted(0, 999)).filter((j) => j?.processedOn && j.finishedOn);
    const wait = jobs.map((j) => j.processedOn! - j.timestamp).sort((a, b) => a - b);
    const runMs = jobs.map((j) => j.finishedOn! - j.processedOn!).sort((a, b) => a - b);
    out[name] = { jobs: jobs.length, wait_p50_ms: percentile(wait, 50), run_p50_ms: percentile(runMs, 50) };
  }
  return out;
}

/** CPU seconds so far of the PostgreSQL backends serving the stage processes, and of Redis. */
async function serverCpu(rt: Runtime, stages: Stage[]): Promise<{ pg: Map<number, number>; redis: number }> {
  const ports = stages.flatMap((s) => localPorts(s.child.pid));
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where client_port = any(${ports}::int[])`.execute(rt.dbh.db);
  const pg = new Map(rows.rows.map((r) => [r.pid, cpuSeconds(r.pid) ?? 0]));
  const info = String(await rt.queues.connection.info('server'));
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  return { pg, redis: cpuSeconds(redisPid) ?? 0 };
}

/** `--store-drain`: one classifier worker draining a backlog, by concurrency (batch size bound). */
async function runStoreDrain(n: number, json: boolean): Promise<void> {
  const settings = loadSettings({ ...process.env, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' });
  const log = createLogger(settings.LOG_LEVEL, { bench: 'store-drain' });
  const out: Record<string, number> = {};
  for (const [c, batched] of [[4, false], [16, false], [1, true], [4, true], [16, true], [64, true]] as const) {
    const key = `${batched ? 'batched' : 'per_job'}_${c}`;
    out[key] = Math.round(await storeDrain(settings, log, n, c, batched));
    process.stderr.write(`classifier drain, ${batched ? 'batched' : 'per-job'} handler, ${c} at once: ${out[key]} signals/s\n`);
  }
  process.stdout.write(json ? JSON.stringify({ n, ...out }) + '\n' : `classifier stage (classify and store) draining ${n} queued jobs, one worker, signals/s: ${Object.entries(out).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  process.exit(0);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      n: { type: 'string', default: '5000' },
      workers: { type: 'string', default: '1' },
      // Extractor processes (the heavy stage), when it should differ from --workers.
      extractors: { type: 'string' },
      'page-kb': { type: 'string', default: '60' },
      // Each page answers after this long, as remote sites do.
      'page-delay-ms': { type: 'string', default: '0' },
      feeds: { type: 'string' },
      rate: { type: 'string' },
      'latency-n': { type: 'string' },
      // Articles through the pipeline before the timed phases (V8 compiles the hot code first).
      warmup: { type: 'string', default: '1000' },
      timeout: { type: 'string', default: '900' },
      'skip-ceilings': { type: 'boolean', default: false },
      'no-analyze': { type: 'boolean', default: false },
      // Writes a V8 CPU profile of each stage process into this folder (for finding hot spots).
      profile: { type: 'string' },
      // Flags for the stage processes' node. The default is the heap cap infra/k8s gives the
      // extractor: any cap also shrinks V8's young generation, which it sizes from the cap (on
      // this 24 GB machine the uncapped default peaks ~90 MB higher). --node-args= runs uncapped.
      'node-args': { type: 'string', default: '--max-old-space-size=512' },
      json: { type: 'boolean', default: false },
      // Only the classifier stage draining a backlog, at several concurrencies (the batching's effect).
      'store-drain': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stderr.write(HELP + '\n');
    return;
  }
  const n = Number(values.n);
  const k = Number(values.workers);
  const kx = Number(values.extractors ?? k);
  const pageKb = Number(values['page-kb']);
  const feeds = Number(values.feeds ?? Math.max(1, Math.ceil(n / 50)));
  const latencyN = Number(values['latency-n'] ?? Math.min(1000, Math.max(50, Math.round(n / 5))));
  const timeoutS = Number(values.timeout);
  const warmupN = Number(values.warmup);
  for (const [name, v] of [['n', n], ['workers', k], ['extractors', kx], ['feeds', feeds], ['latency-n', latencyN]] as const) {
    if (!Number.isInteger(v) || v < 1) throw badOption(`--${name} needs a positive integer`);
  }
  if (!Number.isInteger(warmupN) || warmupN < 0) throw badOption('--warmup needs a whole number (0 for none)');
  const say = (s: string) => process.stderr.write(s + '\n');
  if (values['store-drain']) return runStoreDrain(Math.min(n, 2000), values.json);

  const { main, late, warm } = benchArticles(n, feeds, latencyN, PER_LATENCY_FEED, warmupN);
  say(`rendering ${n + latencyN + warmupN} pages of ~${pageKb} KB boilerplate...`);
  const bench = await startBenchSite([...main, ...late, ...warm], pageKb, Number(values['page-delay-ms']));
  const urlsOf = (articles: typeof main) => [...new Set(articles.map((a) => a.feed))].map((f) => `${bench.site.base}/feeds/${f}.xml`);
  const mainUrls = urlsOf(main);
  const lateUrls = urlsOf(late);
  const warmUrls = urlsOf(warm);

  const tdb = await createTestDb();
  const env: Record<string, string> = {
    ...testEnv(tdb.schema),
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    // One local site stands for many news sites: politeness per host is not what is measured.
    HOST_LIMITS: '127.0.0.1=64/0',
    // No feed is polled twice during the run; the bench drives the scheduler ticks itself.
    POLL_EVERY_S: '3600',
    POLL_MIN_INTERVAL_S: '3600',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
  };
  const settings = loadSettings({ ...process.env, ...env });
  const log = createLogger(settings.LOG_LEVEL, { bench: 'pipeline' });
  const rt = await openRuntime(settings, log, { schema: tdb.schema });
  const stages: Stage[] = [];
  try {
    let ceilingQueue: { perS: number; seconds: number } | undefined;
    let ceilingCompute: Awaited<ReturnType<typeof computeCeiling>> | undefined;
    let trickle: { trickleMs: number; bulkMs: number } | undefined;
    if (!values['skip-ceilings']) {
      say('ceiling (b): BullMQ alone, no-op jobs through the same stages...');
      ceilingQueue = await queueCeiling(settings, log, feeds, Math.ceil(n / feeds));
      say(`  ${ceilingQueue.perS.toFixed(0)} items/s`);
      trickle = await queueTrickle(log);
      say('ceiling (a): the same work in one process, no queue...');
      ceilingCompute = await computeCeiling(settings, log, mainUrls, n, warmUrls, !values['no-analyze']);
      say(`  ${ceilingCompute.perS.toFixed(0)} articles/s (${ceilingCompute.stored} stored)`);
      bench.feedHits.clear();
    }

    const nodeArgs = [
      ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
      ...(values['node-args']?.split(/\s+/).filter(Boolean) ?? []),
    ];
    say(`starting ${k} process(es) per stage...`);
    for (const name of STAGES) for (let i = 0; i < (name === 'extractor' ? kx : k); i++) stages.push(spawnStage(name, env, nodeArgs));
    await waitForWorkers(rt.queues, k, kx);
    await sleep(1000);

    // Warm-up: V8 compiles each stage's hot code during its first seconds of work (perf showed
    // 10-24% of the stage processes' CPU in its compiler over the first ~20 s), a cost a
    // long-running process pays once.
    let warmupPerS: number | null = null;
    if (warmupN) {
      for (const url of warmUrls) await rt.repos.feeds.add(url);
      say(`warm-up: ${warmupN} articles in ${warmUrls.length} feeds...`);
      const w0 = Date.now();
      await rt.queues.enqueue('poll-feeds', { at: 'bench-warmup' });
      if (!(await waitForSignals(rt, warmupN, timeoutS, 'warm-up'))) throw new Error('the warm-up did not complete in time');
      warmupPerS = warmupN / ((Date.now() - w0) / 1000);
      say(`  ${warmupPerS.toFixed(0)} articles/s`);
      // Its last handoff batches and jobs settle before the timed phase, on the statistics a
      // running installation has (analyzeSchema).
      await sleep(1000);
      if (!values['no-analyze']) await analyzeSchema(rt.dbh.db);
    }

    // Phase 1: every feed due at once.
    for (const url of mainUrls) await rt.repos.feeds.add(url);
    say(`throughput: ${n} articles in ${feeds} feeds, all due now...`);
    const cpu0 = stages.map((s) => cpuSeconds(s.child.pid) ?? 0);
    const server0 = await serverCpu(rt, stages);
    const m0 = machineTicks();
    const t0 = Date.now();
    await rt.queues.enqueue('poll-feeds', { at: 'bench-throughput' });
    const complete = await waitForSignals(rt, warmupN + n, timeoutS, 'throughput');
    const cpu1 = stages.map((s, i) => (cpuSeconds(s.child.pid) ?? 0) - cpu0[i]!);
    const m1 = machineTicks();
    const server1 = await serverCpu(rt, stages);
    // Backends opened during the phase count from zero; the shared Redis also serves others.
    const pgCpu = [...server1.pg].reduce((sum, [pid, c]) => sum + c - (server0.pg.get(pid) ?? 0), 0);
    const redisCpu = server1.redis - server0.redis;
    const lastAt = (await sql<{ t: Date }>`select max(created_at) as t from signals`.execute(rt.dbh.db)).rows[0]!.t;
    const seconds = (lastAt.getTime() - t0) / 1000;
    const perS = ((await signalCount(rt)) - warmupN) / seconds;
    const backlog = await latencies(rt, bench.feedHits, 'f');
    const stageStats = await stageTimes(rt);
    say(`  ${perS.toFixed(0)} articles/s (${seconds.toFixed(1)} s)`);

    // Phase 2: feeds fall due at a steady rate below capacity.
    const rate = Number(values.rate ?? Math.max(10, Math.round(perS / 2)));
    const gapMs = (PER_LATENCY_FEED / rate) * 1000;
    const start = Date.now() + 1000;
    for (const [i, url] of lateUrls.entries()) {
      await rt.dbh.db.insertInto('feeds').values({ url, next_poll_at: new Date(start + i * gapMs) }).execute();
    }
    say(`latency: ${latencyN} articles in feeds of ${PER_LATENCY_FEED} falling due at ${rate} articles/s...`);
    const end = start + lateUrls.length * gapMs;
    // The scheduler tick, every 100 ms (the service's own tick runs every POLL_EVERY_S).
    for (let tick = 0; Date.now() < end + 500; tick++) {
      await rt.queues.enqueue('poll-feeds', { at: `bench-latency-${tick}` });
      await sleep(100);
    }
    const latencyComplete = await waitForSignals(rt, warmupN + n + latencyN, 120, 'latency');
    const lat = await latencies(rt, bench.feedHits, 'l');

    const memory = stages.map((s, i) => ({
      process: s.name,
      pid: s.child.pid,
      peak_rss_mb: Math.round(peakRssMb(s.child.pid) ?? NaN),
      throughput_cpu_s: Number(cpu1[i]!.toFixed(1)),
    }));
    const failed = await rt.queues.failed(100);
    const depths = await rt.queues.depths();
    const stuck = JOB_NAMES.reduce((sum, name) => sum + (depths[name]['waiting'] ?? 0) + (depths[name]['active'] ?? 0), 0);

    const result = {
      n,
      workers_per_stage: k,
      extractor_processes: kx,
      feeds,
      page_kb: Math.round(bench.pageBytes / 1024),
      complete: complete && latencyComplete,
      articles_per_s: Math.round(perS),
      warmup_n: warmupN,
      warmup_per_s: warmupPerS === null ? null : Math.round(warmupPerS),
      analyzed: warmupN > 0 && !values['no-analyze'],
      throughput_s: Number(seconds.toFixed(2)),
      ceiling_compute_per_s: ceilingCompute ? Math.round(ceilingCompute.perS) : null,
      ceiling_queue_per_s: ceilingQueue ? Math.round(ceilingQueue.perS) : null,
      // CPU per job when jobs reach an idle worker one by one vs a worker with a backlog.
      queue_job_cpu_ms: trickle ? { one_by_one: Number(trickle.trickleMs.toFixed(2)), backlog: Number(trickle.bulkMs.toFixed(2)) } : null,
      of_ceiling_compute: ceilingCompute ? Number((perS / ceilingCompute.perS).toFixed(2)) : null,
      ceiling_compute_cpu_ms_per_article: ceilingCompute ? Number(ceilingCompute.cpuMsPerArticle.toFixed(2)) : null,
      latency_rate_per_s: rate,
      latency_n: lat.length,
      p50_ms: percentile(lat, 50),
      p95_ms: percentile(lat, 95),
      max_ms: lat.at(-1) ?? null,
      backlog_p50_ms: percentile(backlog, 50),
      backlog_p95_ms: percentile(backlog, 95),
      peak_rss_mb: Math.max(...memory.map((m) => m.peak_rss_mb)),
      // Share of the machine's CPU busy during the throughput phase (every process, not only ours).
      cpu_ms_per_article: {
        stages: Math.round((cpu1.reduce((a, b) => a + b, 0) * 1000) / n * 100) / 100,
        postgres: Math.round((pgCpu * 1000) / n * 100) / 100,
        redis: Math.round((redisCpu * 1000) / n * 100) / 100,
      },
      machine_busy: Number(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)).toFixed(2)),
      processes: memory,
      stages: stageStats,
      failed_jobs: failed.length,
      failed_sample: failed.slice(0, 3).map((f) => `${f.name} ${f.id}: ${f.failedReason}`),
      left_in_queues: stuck,
      ceiling_compute_failures: ceilingCompute?.failures ?? [],
      node: process.version,
      node_args: nodeArgs,
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else {
      const pct = (x: number | null) => (x === null ? '' : ` (pipeline at ${(x * 100).toFixed(0)}%)`);
      const lines = [
        `pipeline: ${n} articles in ${feeds} feeds, pages ~${result.page_kb} KB, ${k} process(es) per stage${kx !== k ? ` (${kx} extractors)` : ''}, ${process.version} ${nodeArgs.join(' ')}`.trimEnd(),
        `throughput (all feeds due at once): ${result.articles_per_s} articles/s end to end (${result.throughput_s} s)` +
          (warmupPerS === null ? '; no warm-up' : `, after a warm-up of ${warmupN} articles (${result.warmup_per_s}/s)${result.analyzed ? ' and ANALYZE' : ', no ANALYZE'}`),
        `  ceiling (a) same handlers, one process, no queue: ${result.ceiling_compute_per_s ?? 'skipped'} articles/s${pct(result.of_ceiling_compute)}` +
          (ceilingCompute ? `; ${result.ceiling_compute_cpu_ms_per_article} ms CPU per article in that process (site included)` : ''),
        `  ceiling (b) BullMQ alone, no-op jobs, same stages: ${result.ceiling_queue_per_s ?? 'skipped'} items/s` +
          (trickle ? `; one job costs ${result.queue_job_cpu_ms!.backlog} ms CPU from a backlog, ${result.queue_job_cpu_ms!.one_by_one} ms arriving one by one` : ''),
        `latency (feeds falling due at ${rate} articles/s, ${lat.length} articles): p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms, max ${result.max_ms} ms`,
        `  (during the throughput backlog: p50 ${result.backlog_p50_ms} ms, p95 ${result.backlog_p95_ms} ms)`,
        `peak memory (VmHWM): ${memory.map((m) => `${m.process} ${m.peak_rss_mb} MB`).join(', ')}`,
        `CPU during the throughput phase: ${memory.map((m) => `${m.process} ${m.throughput_cpu_s} s`).join(', ')}; machine ${(result.machine_busy * 100).toFixed(0)}% busy`,
        `CPU per article: stage processes ${result.cpu_ms_per_article.stages} ms, their PostgreSQL backends ${result.cpu_ms_per_article.postgres} ms, Redis ${result.cpu_ms_per_article.redis} ms`,
        `stages (median wait / run, ms): ${Object.entries(stageStats).map(([s, t]) => `${s} ${t.wait_p50_ms}/${t.run_p50_ms}`).join(', ')}`,
        `failed jobs: ${result.failed_jobs}; jobs left waiting or active: ${stuck}${result.complete ? '' : '; INCOMPLETE: not every article was stored in time'}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
  } finally {
    for (const s of stages) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.race([Promise.all(stages.map((s) => (s.child.exitCode === null ? new Promise((r) => s.child.once('exit', r)) : null))), sleep(15_000)]);
    for (const s of stages) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await rt.queues.obliterate().catch(() => undefined);
    await rt.close();
    await tdb.cleanup();
    await bench.close();
  }
  // Done: idle keep-alive sockets of the site must not hold the process.
  process.exit(0);
}
