import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadSettings } from '@radar/config';
import { createLogger } from '@radar/log';
import { openRuntime, startHandlers, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv } from '@radar/testkit';
// tests/ has no dependency on the alerts packages of its own: import them by path.
import { parseFilters, prepareSubscription, SubscriptionIndex, type MatchableSignal, type SubscriptionFiltersInput } from '../../packages/alerts/src/index.js';
import { alerterHandlers } from '../../services/alerter/src/index.js';
import { startWebhookReceiver } from '../../services/alerter/src/testing/receivers.js';

/**
 * `pnpm bench alerts [--subs N] [--signals N] [--db-signals N] [--probes N] [--rate R] [--index-only]`
 *
 * 1. Matching: signals per second through the subscription index against N subscriptions
 *    (default 10,000, a mix of area x district, area, keyword, cluster, source, language and
 *    Beijing filters), against testing every subscription for every signal.
 * 2. The match-alerts job on real PostgreSQL and Redis: signals per second, alerts recorded.
 * 3. Latency: from a stored signal (match-alerts enqueued, as classify-article does) to its signed
 *    webhook received by an HTTP server on loopback, p50 and p95, at R signals per second.
 * Figures on stdout; progress on stderr.
 */

const AREAS = ['ai', 'big-data', 'iot', 'cloud-blockchain', 'security'];
const DISTRICTS = ['dongcheng', 'xicheng', 'chaoyang', 'fengtai', 'shijingshan', 'haidian', 'mentougou', 'fangshan', 'tongzhou', 'shunyi', 'changping', 'daxing', 'huairou', 'pinggu', 'miyun', 'yanqing'];
const CLUSTERS = ['demonstration-zone-core', 'underlying-technology-innovation', 'bank-insurance-technology', 'fintech-security', 'asset-management'];
const SOURCES = Array.from({ length: 40 }, (_, i) => `site${i}.example.cn`);
const TOPICS_EN = ['quantum', 'blockchain', 'distributed ledger', 'smart contract', 'digital yuan', 'cryptography', 'big data', 'biometric', 'cloud computing', 'large language model', 'robo-advisor', 'regulatory sandbox', 'cybersecurity', 'internet of things', 'mobile payment', 'credit scoring', 'data exchange', 'facial recognition', 'neural network', 'open banking', 'cross-border payment', 'supply chain finance', 'insurtech', 'wealth management', 'green finance', 'stablecoin', 'tokenization', 'edge computing', 'computer vision', 'fraud detection'];
const TOPICS_ZH = ['区块链', '量子通信', '人工智能', '大模型', '数字人民币', '金融科技', '移动支付', '数据要素', '生物识别', '云计算', '智能合约', '网络安全', '物联网', '监管沙盒', '征信', '跨境支付', '供应链金融', '数据交易所', '人脸识别', '智能投顾', '开放银行', '绿色金融', '隐私计算', '分布式账本', '算力'];
const FILLER_EN = 'the a of to and in for on with by at from as is was said will new city plan banks company market pilot project service platform system digital financial report year development district beijing innovation industry support policy first open center technology'.split(' ');
const FILLER_ZH = ['北京市', '近日', '发布', '推动', '发展', '企业', '项目', '试点', '服务', '平台', '创新', '产业', '政策', '支持', '建设', '金融', '科技', '应用', '银行', '方案'];
/** Company and product names: analysts' watch lists are mostly names. Their characters are not in the filler. */
const ENTITIES_EN = Array.from({ length: 400 }, (_, i) => `${['acme', 'zenith', 'orbit', 'lumen', 'vertex', 'nova', 'pylon', 'quasar'][i % 8]}${i}`);
const NAME_CHARS = '鑫瑞泰恒达信诚德润博睿远航宇星辰华晟嘉佳融汇通联'.split('');
const ENTITIES_ZH = Array.from({ length: 400 }, (_, i) => NAME_CHARS[i % 25]! + NAME_CHARS[Math.floor(i / 25) % 25]! + NAME_CHARS[(i * 7) % 25]! + '科技');

function rng(seed: number) {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

/**
 * A mix of what analysts ask for: place and area, high-score areas, watch lists of names,
 * topics, clusters, sources, Chinese-language and Beijing-only filters.
 */
function makeSubscriptions(n: number, rnd: () => number): SubscriptionFiltersInput[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number) => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(xs)))];
  const quote = (t: string) => (t.includes(' ') ? `"${t}"` : t);
  return Array.from({ length: n }, () => {
    const r = rnd();
    if (r < 0.3) return { areas: some(AREAS, 1), districts: some(DISTRICTS, 2), ...(rnd() < 0.3 ? { keywords: some(rnd() < 0.5 ? TOPICS_EN : TOPICS_ZH, 2).map(quote).join(' OR ') } : {}) };
    if (r < 0.4) return { areas: some(AREAS, 1), minScore: 0.95 };
    if (r < 0.7) return { keywords: [...some(ENTITIES_EN, 2), ...some(ENTITIES_ZH, 2)].join(' OR ') };
    if (r < 0.8) {
      const zh = rnd() < 0.5;
      return { keywords: `${quote(pick(zh ? TOPICS_ZH : TOPICS_EN))} ${rnd() < 0.5 ? 'OR' : 'AND'} ${quote(pick(zh ? TOPICS_ZH : TOPICS_EN))}`, areas: some(AREAS, 2) };
    }
    if (r < 0.88) return { clusters: some(CLUSTERS, 1), areas: some(AREAS, 1) };
    if (r < 0.95) return { sources: some(SOURCES, 2), areas: some(AREAS, 1) };
    if (r < 0.975) return { lang: ['zh'], areas: some(AREAS, 1), minScore: 0.9 };
    return { beijing: true, areas: some(AREAS, 1), districts: some(DISTRICTS, 1) };
  });
}

interface BenchSignal extends MatchableSignal {
  title: string;
}

function makeSignals(n: number, rnd: () => number, probe = false): BenchSignal[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const zh = rnd() < 0.5;
    const areas = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(AREAS)))].map((id) => ({ id, score: 0.5 + rnd() * 0.5 }));
    const districts = rnd() < 0.6 ? [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(DISTRICTS)))].map((id) => ({ id, score: 0.5 + rnd() * 0.5 })) : [];
    const words: string[] = [];
    const len = 120 + Math.floor(rnd() * 200);
    for (let k = 0; k < len; k++) words.push(pick(zh ? FILLER_ZH : FILLER_EN));
    // A story is about one to three topics and names one or two companies.
    const mentions = [
      ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(zh ? TOPICS_ZH : TOPICS_EN)),
      ...Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(zh ? ENTITIES_ZH : ENTITIES_EN)),
    ];
    for (const m of mentions) words.splice(Math.floor(rnd() * words.length), 0, m);
    if (probe) words.push(zh ? ' latencyprobe ' : 'latencyprobe');
    const text = words.join(zh ? '' : ' ');
    return {
      title: `${probe ? 'Probe' : 'Signal'} ${i}: ${words.slice(0, 8).join(zh ? '' : ' ')}`,
      areas,
      districts,
      beijing: districts.length > 0 || rnd() < 0.3,
      maxScore: Math.max(...areas.map((a) => a.score), ...districts.map((d) => d.score)),
      source: `www.${pick(SOURCES)}`,
      lang: zh ? 'zh' : 'en',
      text,
    };
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Inserts signals (with their feed and articles) in bulk; returns their ids in order. */
async function storeSignals(rt: Runtime, signals: BenchSignal[], tag: string): Promise<number[]> {
  const db = rt.dbh.db;
  const { feed } = await rt.repos.feeds.add(`http://bench.example/${tag}.xml`);
  const ids: number[] = [];
  for (let i = 0; i < signals.length; i += 500) {
    const chunk = signals.slice(i, i + 500);
    const articles = await db
      .insertInto('articles')
      .values(chunk.map((s, k) => ({ canonical_url: `http://bench.example/${tag}/${i + k}`, url: `http://bench.example/${tag}/${i + k}`, feed_id: feed.id, source: s.source, title: s.title, summary: null, body: s.text, lang: s.lang })))
      .returning('id')
      .execute();
    const stories = await db.insertInto('stories').values(chunk.map((s) => ({ title: s.title }))).returning('id').execute();
    const rows = await db
      .insertInto('signals')
      .values(
        chunk.map((s, k) => ({
          article_id: articles[k]!.id,
          story_id: stories[k]!.id,
          feed_id: feed.id,
          title: s.title,
          url: `http://bench.example/${tag}/${i + k}`,
          source: s.source,
          lang: s.lang,
          areas: s.areas.map((a) => a.id),
          districts: s.districts.map((d) => d.id),
          labels: JSON.stringify({ areas: s.areas.map((a) => ({ ...a, evidence: [] })), districts: s.districts.map((d) => ({ ...d, evidence: [] })) }),
          beijing: s.beijing,
          beijing_score: s.beijing ? 0.9 : 0.1,
          max_score: s.maxScore,
          taxonomy_version: 'bench',
          classifier_version: 'bench',
        })),
      )
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subs: { type: 'string', default: '10000' },
      signals: { type: 'string', default: '5000' },
      'db-signals': { type: 'string', default: '1000' },
      probes: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
      'index-only': { type: 'boolean', default: false },
    },
  });
  const nSubs = Number(values.subs);
  const nSignals = Number(values.signals);
  const nDb = Number(values['db-signals']);
  const nProbes = Number(values.probes);
  const rate = Number(values.rate);
  const rnd = rng(20261126);
  const filters = makeSubscriptions(nSubs, rnd).map((f) => parseFilters(f));
  const signals = makeSignals(nSignals, rnd);
  const out: string[] = [];
  const say = (line: string) => {
    out.push(line);
    process.stdout.write(line + '\n');
  };

  // 1. The index alone.
  let t = performance.now();
  const index = new SubscriptionIndex(filters.map((f, i) => ({ id: i + 1, filters: f })));
  const buildMs = performance.now() - t;
  for (const s of signals.slice(0, 500)) index.match(s); // JIT warm-up
  // Wall clock and this process's CPU time: on a shared machine the CPU rate is the steadier one.
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let matched = 0;
  for (let r = 0; r < 5; r++) {
    matched = 0;
    t = performance.now();
    const c = process.cpuUsage();
    for (const s of signals) matched += index.match(s).length;
    const d = process.cpuUsage(c);
    rates.push(nSignals / ((performance.now() - t) / 1000));
    cpuRates.push(nSignals / ((d.user + d.system) / 1e6));
  }
  const scan = new SubscriptionIndex(filters.map((f, i) => ({ id: i + 1, filters: f })), { noIndex: true });
  const few = signals.slice(0, Math.min(500, nSignals));
  for (const s of few.slice(0, 50)) scan.match(s);
  let same = true;
  for (const s of few) if (scan.match(s).join() !== index.match(s).join()) same = false;
  t = performance.now();
  const c0 = process.cpuUsage();
  for (const s of few) scan.match(s);
  const d0 = process.cpuUsage(c0);
  const scanRate = few.length / ((performance.now() - t) / 1000);
  const scanCpu = few.length / ((d0.user + d0.system) / 1e6);
  const st = index.stats();
  say(`subscriptions: ${nSubs} (index: ${st.keys} keys, largest posting list ${st.largestPosting}, built in ${buildMs.toFixed(0)} ms)`);
  say(`signals: ${nSignals} synthetic (half English, half Chinese, ~${Math.round(signals.reduce((n, s) => n + s.text.length, 0) / nSignals)} chars of text), ${(matched / nSignals).toFixed(1)} matching subscriptions per signal`);
  say(`index match:            ${median(rates).toFixed(0).padStart(7)} signals/s wall, ${median(cpuRates).toFixed(0).padStart(7)} signals/s CPU (one core, median of 5 rounds)`);
  say(`every subscription:     ${scanRate.toFixed(0).padStart(7)} signals/s wall, ${scanCpu.toFixed(0).padStart(7)} signals/s CPU (no index; same answers: ${same ? 'yes' : 'NO'})`);

  if (values['index-only']) return;

  // 2 and 3 on real PostgreSQL and Redis.
  const tdb = await createTestDb();
  const settings = loadSettings({
    ...testEnv(tdb.schema),
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  const rt = await openRuntime(settings, createLogger(settings.LOG_LEVEL, { bench: 'alerts' }));
  const hook = await startWebhookReceiver('bench-secret');
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  hook.respond = (req) => {
    const id = (req.json as { stories?: { signalId: number }[] } | null)?.stories?.[0]?.signalId;
    const t0 = id === undefined ? undefined : sentAt.get(id);
    if (t0 !== undefined) latencies.push(req.at - t0);
    return 200;
  };
  let workers: { close(ms?: number): Promise<void> } | undefined;
  try {
    process.stderr.write('storing subscriptions and signals...\n');
    for (let i = 0; i < filters.length; i += 1000) {
      const chunk = filters.slice(i, i + 1000).map((f, k) => prepareSubscription({ owner: `analyst${(i + k) % 500}`, name: `sub${i + k}`, filters: f, channels: [{ kind: 'atom' }] }));
      const subs = await rt.dbh.db
        .insertInto('subscriptions')
        .values(chunk.map(({ channels: _c, filters: f, ...s }) => ({ ...s, filters: JSON.stringify(f) })))
        .returning('id')
        .execute();
      await rt.dbh.db
        .insertInto('subscription_channels')
        .values(chunk.map((s, k) => ({ subscription_id: subs[k]!.id, kind: 'atom' as const, config: JSON.stringify(s.channels[0]!.config) })))
        .execute();
    }
    await rt.repos.subscriptions.create(
      prepareSubscription({ owner: 'bench', name: 'probe', filters: { keywords: 'latencyprobe' }, channels: [{ kind: 'webhook', url: hook.url, secret: 'bench-secret' }] }),
    );
    const dbIds = await storeSignals(rt, signals.slice(0, nDb), 'load');
    workers = startHandlers(rt, await alerterHandlers(rt));
    // Build the index before timing (the first job of a process pays for it).
    await rt.queues.enqueue('match-alerts', { signalId: dbIds[0]! });
    await waitFor(async () => (await rt.queues.queue('match-alerts').getJobCounts('completed')).completed! >= 1, 60_000);

    t = performance.now();
    await rt.queues.enqueueBulk('match-alerts', dbIds.slice(1).map((signalId) => ({ signalId })));
    await waitFor(async () => {
      const c = await rt.queues.queue('match-alerts').getJobCounts('completed', 'failed');
      return c.completed! + c.failed! >= dbIds.length;
    }, 600_000);
    const jobSecs = (performance.now() - t) / 1000;
    const alerts = (await sql<{ n: number }>`select count(*)::int as n from alerts`.execute(rt.dbh.db)).rows[0]!.n;
    say(
      `match-alerts jobs:      ${((dbIds.length - 1) / jobSecs).toFixed(0).padStart(7)} signals/s on PostgreSQL + Redis (${dbIds.length - 1} signals in ${jobSecs.toFixed(1)} s, ` +
        `concurrency ${settings.ALERTER_CONCURRENCY}, ${(alerts / dbIds.length).toFixed(1)} alerts and Atom entries recorded per signal)`,
    );

    // 3. Latency, one probe signal at a time at `rate` per second.
    process.stderr.write(`sending ${nProbes} probe signals at ${rate}/s...\n`);
    const probes = makeSignals(nProbes, rnd, true);
    const probeIds = await storeSignals(rt, probes, 'probe');
    const gap = 1000 / rate;
    const start = Date.now();
    for (let i = 0; i < probeIds.length; i++) {
      const wait = start + i * gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(probeIds[i]!, Date.now());
      await rt.queues.enqueue('match-alerts', { signalId: probeIds[i]! });
    }
    await waitFor(async () => latencies.length >= probeIds.length, 60_000);
    const verified = hook.delivered().every((r) => r.verified);
    say(
      `signal -> webhook:      p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms ` +
        `(${latencies.length} signed webhooks on loopback at ${rate} signals/s, signatures verified: ${verified ? 'all' : 'NOT ALL'})`,
    );
  } finally {
    await workers?.close(2000);
    await rt.queues.obliterate().catch(() => undefined);
    await rt.close();
    await hook.close();
    await tdb.cleanup();
  }
}

async function waitFor(fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
