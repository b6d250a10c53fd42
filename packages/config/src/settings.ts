import { z } from 'zod';

/**
 * Every setting Radar reads, in one place. Each entry is documented here and, generated from
 * this table, in the README's configuration table (a test keeps the two equal). Nothing else in
 * the code base reads `process.env`.
 */
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `an integer between ${min} and ${max}` })
    .int({ error: `an integer between ${min} and ${max}` })
    .min(min, { error: `an integer between ${min} and ${max}` })
    .max(max, { error: `an integer between ${min} and ${max}` });

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

interface Entry {
  schema: z.ZodType;
  default?: string;
  doc: string;
}

export const SETTINGS = {
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:']).optional(),
    doc: 'PostgreSQL connection string. When unset, the all-in-one process stores into an embedded PostgreSQL (PGlite) under `DATA_DIR`.',
  },
  DATABASE_SCHEMA: {
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'a lower-case SQL identifier' }),
    default: 'public',
    doc: 'PostgreSQL schema holding the tables (tests use one schema each).',
  },
  DATA_DIR: {
    schema: z.string().min(1, { error: 'a non-empty value' }),
    default: './data',
    doc: 'Folder for the embedded database and the private Redis started by `pnpm start`.',
  },
  REDIS_URL: {
    schema: url(['redis:', 'rediss:']),
    default: 'redis://127.0.0.1:6379',
    doc: 'Redis for the BullMQ queues, the per-host politeness limits and the API rate limits.',
  },
  REDIS_AUTOSTART: {
    schema: bool,
    default: 'true',
    doc: 'When no Redis answers at `REDIS_URL` and `redis-server` is on the PATH, `pnpm start` launches a private one under `DATA_DIR` (append-only file on) and stops it on exit.',
  },
  QUEUE_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'letters, digits, - or _' }),
    default: 'radar',
    doc: 'Prefix of every BullMQ key in Redis; two installations can share one Redis with two prefixes.',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'one of fatal, error, warn, info, debug, trace, silent' }),
    default: 'info',
    doc: 'pino log level. Logs always go to stderr, so commands that print JSON lines keep stdout clean.',
  },
  HOST: {
    schema: z.string().min(1, { error: 'a non-empty value' }),
    default: '127.0.0.1',
    doc: 'Address the API listens on.',
  },
  PORT: {
    schema: int(0, 65535),
    default: '8080',
    doc: 'Port the API listens on (`pnpm radar api`, `pnpm start`).',
  },
  USER_AGENT: {
    schema: z.string().min(1, { error: 'a non-empty value' }),
    default: 'RadarBot/0.1 (news monitor; set USER_AGENT to add a contact address)',
    doc: 'User-Agent sent with every feed and page request; also the name matched in robots.txt.',
  },
  FETCH_TIMEOUT_MS: {
    schema: int(100, 600_000),
    default: '15000',
    doc: 'Timeout for connecting and receiving headers of one request.',
  },
  FETCH_BODY_TIMEOUT_MS: {
    schema: int(100, 600_000),
    default: '30000',
    doc: 'Timeout for receiving the whole body of one response.',
  },
  FETCH_MAX_BYTES: {
    schema: int(1024, 1024 * 1024 * 1024),
    default: String(10 * 1024 * 1024),
    doc: 'Largest body (after decompression) read from a feed or page; larger ones fail with a clear error.',
  },
  FETCH_ALLOW_HOSTS: {
    schema: list,
    default: '',
    doc: 'Comma-separated hosts or CIDR ranges that may be fetched although they are loopback or private (the SSRF guard refuses them otherwise). The demo and tests use `127.0.0.1`.',
  },
  HOST_MAX_CONCURRENT: {
    schema: int(1, 1000),
    default: '2',
    doc: 'Requests in flight to one host, across all workers on all machines (held in Redis).',
  },
  HOST_MIN_GAP_MS: {
    schema: int(0, 3_600_000),
    default: '1000',
    doc: 'Minimum gap between two requests to one host, across all workers on all machines.',
  },
  HOST_LIMITS: {
    schema: z.string(),
    default: '',
    doc: 'Per-host overrides as `host=concurrency/gapMs`, comma-separated, e.g. `news.cn=4/250,example.org=1/5000`.',
  },
  POLL_MIN_INTERVAL_S: {
    schema: int(1, 7 * 86400),
    default: '300',
    doc: 'Floor of the adaptive polling interval of a feed.',
  },
  POLL_MAX_INTERVAL_S: {
    schema: int(1, 30 * 86400),
    default: '86400',
    doc: 'Ceiling of the adaptive polling interval, and of the back-off of a failing feed.',
  },
  POLL_EVERY_S: {
    schema: int(1, 3600),
    default: '30',
    doc: 'How often the scheduler asks the database which feeds are due.',
  },
  FULL_TEXT_MIN_CHARS: {
    schema: int(0, 1_000_000),
    default: '1500',
    doc: 'A feed item whose content has at least this many characters of text is not fetched again as a page.',
  },
  CRAWLER_CONCURRENCY: {
    schema: int(1, 1000),
    default: '8',
    doc: 'Feeds fetched at once by one crawler process.',
  },
  EXTRACTOR_CONCURRENCY: {
    schema: int(1, 1000),
    default: '16',
    doc: 'Article pages fetched and extracted at once by one extractor process. A job keeps its place until its article is handed on to the classifier (up to HANDOFF_LINGER_MS), hence more than the two cores of a small machine would suggest.',
  },
  CLASSIFIER_CONCURRENCY: {
    schema: int(1, 1000),
    default: '64',
    doc: 'Articles classified and stored at once by one classifier process. The jobs running together read their articles in one query and write their signals in one multi-row upsert, so a higher value means larger batches when the classifier has a backlog (`pnpm bench pipeline --store-drain`).',
  },
  ALERTER_CONCURRENCY: {
    schema: int(1, 1000),
    default: '8',
    doc: 'Alert matching and delivery jobs at once by one alerter process.',
  },
  TAXONOMY_FILE: {
    schema: z.string().optional(),
    doc: 'Taxonomy data file to load instead of the bundled `packages/taxonomy/data/taxonomy.yaml`.',
  },
  JOB_LOCK_MS: {
    schema: int(1000, 600_000),
    default: '30000',
    doc: 'Lock of a running job; a job whose worker died (SIGKILL, lost machine) is picked up again after about this long.',
  },
  SHUTDOWN_GRACE_MS: {
    schema: int(0, 600_000),
    default: '20000',
    doc: 'On SIGTERM, how long workers may finish running jobs before they are released back to the queue.',
  },
  QUEUE_MAX_WAITING: {
    schema: int(0, 10_000_000),
    default: '10000',
    doc: 'Back-pressure: a stage takes no new jobs while the next stage has more than this many jobs queued (waiting or delayed), so a slow stage (the classifier, say) holds the stages before it back, up to the crawler, instead of growing Redis without bound. Redis then holds about this many jobs per stage, plus what running jobs add (a job handed on to the classifier or to alert matching carries up to HANDOFF_MAX_ITEMS articles or signals). Alert matching is not held back by deliveries. 0 turns it off.',
  },
  HANDOFF_LINGER_MS: {
    schema: int(0, 10_000),
    default: '25',
    doc: 'An extractor hands its articles on to the classifier, and a classifier its new signals on to alert matching, in jobs of several items: the first item waits up to this long for others (a full batch goes at once). Fewer jobs cost fewer Redis round trips, and the next stage reads and writes a batch at once; each signal arrives up to this much later. 0 sends what is ready at the same moment, which under light load is one item per job.',
  },
  HANDOFF_MAX_ITEMS: {
    schema: int(1, 500),
    default: '50',
    doc: 'Most articles or signals one handed-on job carries (see HANDOFF_LINGER_MS). A batch also goes as soon as it holds as many items as the process runs jobs of the stage handing them on (EXTRACTOR_CONCURRENCY for articles, CLASSIFIER_CONCURRENCY for signals): all of them are then waiting on it.',
  },
  SMTP_URL: {
    schema: url(['smtp:', 'smtps:']).optional(),
    doc: 'SMTP server for e-mail alerts, e.g. `smtps://user:password@mail.example.org:465` (`smtp://` upgrades with STARTTLS when offered). When unset, e-mail channels fail with this message and the others still deliver.',
  },
  MAIL_FROM: {
    schema: z.string().min(3, { error: 'a sender address such as Radar <radar@example.org>' }),
    default: 'Radar <radar@localhost>',
    doc: 'Sender of e-mail alerts (`Name <address>`).',
  },
  PUBLIC_BASE_URL: {
    schema: url(['http:', 'https:']),
    default: 'http://127.0.0.1:8080',
    doc: 'The address analysts reach the API at; private Atom feed URLs (`/feeds/alerts/<token>.atom`) are built on it.',
  },
  ALERT_PAUSE_AFTER: {
    schema: int(1, 10_000),
    default: '3',
    doc: 'A channel is paused after this many deliveries in a row have failed for good (every retry used, or a permanent answer such as 404 or 410); `pnpm radar subscriptions list` shows it with its last error, and `subscriptions resume` sends what it missed.',
  },
  ALERT_RETRY_DELAY_MS: {
    schema: int(10, 3_600_000),
    default: '10000',
    doc: 'Wait before the first retry of a failed alert delivery; each further retry waits twice as long (8 attempts in all).',
  },
  ALERT_DIGEST_EVERY_S: {
    schema: int(1, 3600),
    default: '60',
    doc: 'How often the alerter asks the database which digests are due.',
  },
  ALERT_INDEX_REFRESH_MS: {
    schema: int(0, 600_000),
    default: '1000',
    doc: 'Longest time a new, paused or removed subscription takes to reach the alerter\'s in-memory matching index.',
  },
  API_RATE_LIMIT: {
    schema: int(1, 1_000_000),
    default: '600',
    doc: 'Requests per minute allowed to one API token (or, without a valid token, to one client address); counted in Redis, so shared by every API process.',
  },
  API_STREAM_POLL_MS: {
    schema: int(50, 60_000),
    default: '1000',
    doc: 'How often the API checks the database for new signals to push to `GET /v1/signals/stream` readers (one cheap query per process, not per reader).',
  },
  METRICS_PORT: {
    schema: int(0, 65535),
    default: '0',
    doc: 'A stage run as its own process (`services/*/src/main.ts`) serves its job metrics in Prometheus format at `http://HOST:METRICS_PORT/metrics` when this is not 0. The API (and `pnpm start`, which runs every stage in the API process) serves them on `PORT` at `/metrics`.',
  },
} satisfies Record<string, Entry>;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once. A bad value throws a ConfigError whose message names each
 * variable and what it expected.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(SETTINGS) as [SettingName, Entry][]) {
    const raw = env[name] === '' && entry.default === undefined ? undefined : env[name];
    const value = raw ?? entry.default;
    const result = entry.schema.safeParse(value);
    if (result.success) out[name] = result.data;
    else {
      const expected = result.error.issues[0]?.message ?? 'a valid value';
      problems.push(`${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return out as Settings;
}

/** The README's configuration table, generated from SETTINGS. */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(
    ([name, e]: [string, Entry]) =>
      `| \`${name}\` | ${e.default === undefined ? '(unset)' : `\`${e.default}\``} | ${e.doc} |`,
  );
  return ['| variable | default | what it does |', '|---|---|---|', ...rows].join('\n');
}
