import { userInfo } from 'node:os';
import type { SubscriptionWithChannels } from '@radar/db';
import type { Runtime } from '@radar/runtime';
import type { SubscriptionInput } from '@radar/svc-alerter';
import { parse, printJson, usage, UsageError, type Command } from './command.js';
import { withRuntime } from './context.js';

const HELP = `
usage:
  pnpm radar subscriptions add --name NAME [filters] CHANNEL... [delivery] [--owner NAME]
  pnpm radar subscriptions list [--owner NAME] [--json]     with each channel's health and last error
  pnpm radar subscriptions remove ID [--owner NAME]
  pnpm radar subscriptions test ID [--lang en|zh]           send a sample alert through its channels
  pnpm radar subscriptions pause ID                         stop matching (nothing is alerted)
  pnpm radar subscriptions resume ID [--channel CID]        match again; un-pause failed channels and
                                                            send them what they missed
filters (all given must hold; a list means any one of it):
  --areas a,b        technology areas: ai, big-data, iot, cloud-blockchain, security
  --all-areas        every listed area must be tagged, not just one
  --districts x,y    Beijing districts: xicheng, haidian, chaoyang, ...
  --clusters c,d     the plan's clusters (taxonomy ids), each standing for its districts
  --beijing          only stories about Beijing
  --keywords EXPR    English and Chinese, with AND, OR, NOT, "phrases", (groups), prefix*:
                     'quantum OR 量子 NOT "quantitative easing"'
  --sources h1,h2    source hosts (news.cn also matches www.news.cn)
  --lang zh,en       article languages
  --min-score S      a label counts only with a score of at least S (0..1)
channels (at least one; --webhook, --slack and --email may repeat):
  --webhook URL      generic JSON webhook, signed with --secret (HMAC-SHA256, x-radar-signature)
  --secret S         the webhooks' signing secret, at least 8 characters
  --slack URL        Slack-compatible incoming webhook
  --email ADDR       e-mail, in the article's language (needs SMTP_URL)
  --atom             a private Atom feed; its secret URL is printed
delivery:
  --mode M           immediate (default), digest, or throttle
  --digest hourly|daily   --at HH:MM (default 08:00)   --tz ZONE (default Asia/Shanghai)
  --max-per-hour N   throttle: at most N alerts an hour, the rest in the next digest`;

const OPTIONS = {
  name: { type: 'string' },
  owner: { type: 'string' },
  areas: { type: 'string' },
  'all-areas': { type: 'boolean' },
  districts: { type: 'string' },
  clusters: { type: 'string' },
  beijing: { type: 'boolean' },
  keywords: { type: 'string' },
  sources: { type: 'string' },
  lang: { type: 'string' },
  'min-score': { type: 'string' },
  webhook: { type: 'string', multiple: true },
  secret: { type: 'string' },
  slack: { type: 'string', multiple: true },
  email: { type: 'string', multiple: true },
  atom: { type: 'boolean' },
  mode: { type: 'string' },
  digest: { type: 'string' },
  at: { type: 'string' },
  tz: { type: 'string' },
  'max-per-hour': { type: 'string' },
  channel: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = NonNullable<ReturnType<typeof parse<typeof OPTIONS>>>['values'];

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const num = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} needs a number, not "${v}"`);
  return n;
};
const owner = (v: Values) => v.owner ?? userInfo().username;

/** The subscription the options describe (validated later by the alerts package). */
export function subscriptionFromArgs(v: Values): SubscriptionInput {
  if (!v.name) throw new UsageError(`subscriptions add needs --name${HELP}`);
  if (v.secret && !v.webhook?.length) throw new UsageError('--secret signs webhooks: give a --webhook URL too');
  const digest = v.digest === undefined ? undefined : ({ hourly: 'hour', daily: 'day' } as const)[v.digest as 'hourly' | 'daily'];
  if (v.digest !== undefined && !digest) throw new UsageError('--digest is hourly or daily');
  if (v.mode !== undefined && !['immediate', 'digest', 'throttle'].includes(v.mode)) throw new UsageError('--mode is immediate, digest or throttle');
  const maxPerHour = num('--max-per-hour', v['max-per-hour']);
  return {
    owner: owner(v),
    name: v.name,
    filters: {
      areas: list(v.areas),
      areasMatch: v['all-areas'] ? 'all' : 'any',
      districts: list(v.districts),
      clusters: list(v.clusters),
      ...(v.beijing ? { beijing: true } : {}),
      ...(v.keywords ? { keywords: v.keywords } : {}),
      sources: list(v.sources),
      lang: list(v.lang),
      minScore: num('--min-score', v['min-score']) ?? 0,
    },
    mode: (v.mode as SubscriptionInput['mode']) ?? (maxPerHour ? 'throttle' : digest || v.at ? 'digest' : 'immediate'),
    ...(digest ? { digestEvery: digest } : {}),
    ...(v.at ? { digestAt: v.at } : {}),
    ...(v.tz ? { timezone: v.tz } : {}),
    ...(maxPerHour !== undefined ? { maxPerHour } : {}),
    channels: [
      ...(v.webhook ?? []).map((url) => ({ kind: 'webhook' as const, url, ...(v.secret ? { secret: v.secret } : {}) })),
      ...(v.slack ?? []).map((url) => ({ kind: 'slack' as const, url })),
      ...(v.email ?? []).map((to) => ({ kind: 'email' as const, to })),
      ...(v.atom ? [{ kind: 'atom' as const }] : []),
    ],
  };
}

/** Zod's issues as one line each, naming the field. */
function problems(err: unknown): string | null {
  const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (!Array.isArray(issues)) return null;
  return issues.map((i) => `  ${i.path.map(String).join('.') || 'subscription'}: ${i.message}`).join('\n');
}

/** Refuses ids the taxonomy does not know (a typo would silently match nothing), as the API does. */
async function checkIds(rt: Runtime, input: SubscriptionInput): Promise<void> {
  const { taxonomyLookups, unknownTaxonomyIds } = await import('@radar/svc-alerter');
  const tx = taxonomyLookups(rt.settings.TAXONOMY_FILE);
  const bad = unknownTaxonomyIds(input.filters, { areas: tx.areas, districts: tx.districts, clusters: Object.keys(tx.clusters) });
  if (bad.length) throw new UsageError(bad.map((b) => b.message).join('; '));
}

function masked(s: SubscriptionWithChannels, base: string, atomUrl: (b: string, t: string) => string) {
  return {
    ...s,
    channels: s.channels.map((c) => ({
      ...c,
      config: c.kind === 'atom' ? { ...c.config, url: atomUrl(base, String(c.config['token'])) } : 'secret' in c.config ? { ...c.config, secret: '(set)' } : c.config,
    })),
  };
}

function describeFilters(f: Record<string, unknown>): string {
  return Object.entries(f)
    .filter(([k, v]) => !(Array.isArray(v) && !v.length) && !(k === 'areasMatch' && v === 'any') && !(k === 'minScore' && v === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : JSON.stringify(v)}`)
    .join(' ');
}

async function findSub(rt: Runtime, raw: string | undefined, v: Values): Promise<SubscriptionWithChannels> {
  const id = Number(raw);
  if (!raw || !Number.isInteger(id)) throw new UsageError(`give a subscription id${HELP}`);
  const sub = await rt.repos.subscriptions.withChannels(id);
  if (!sub || (v.owner && sub.owner !== v.owner)) throw new UsageError(`no subscription #${raw}${v.owner ? ` of ${v.owner}` : ''}`);
  return sub;
}

export const subscriptions: Command = {
  name: 'subscriptions',
  summary: 'add, list (with channel health), remove, test, pause and resume alert subscriptions',
  async run(argv) {
    const args = parse(argv, OPTIONS, HELP);
    if (!args) return 0;
    const [sub, ...rest] = args.positionals;
    if (!sub) return usage(HELP);
    const v = args.values;
    const alerter = await import('@radar/svc-alerter');
    switch (sub) {
      case 'add': {
        const input = subscriptionFromArgs(v);
        let prepared;
        try {
          prepared = alerter.prepareSubscription(input);
        } catch (err) {
          const p = problems(err);
          if (p) throw new UsageError(`the subscription is not valid:\n${p}`);
          throw err;
        }
        return withRuntime(async (rt) => {
          await checkIds(rt, input);
          if (await rt.repos.subscriptions.byName(prepared.owner, prepared.name)) {
            throw new UsageError(`${prepared.owner} already has a subscription named "${prepared.name}"`);
          }
          const created = await rt.repos.subscriptions.create(prepared);
          const view = masked(created, rt.settings.PUBLIC_BASE_URL, alerter.atomUrl);
          printJson(view);
          process.stderr.write(`subscription #${created.id} "${created.name}" of ${created.owner}: ${describeFilters(created.filters)} (${created.mode})\n`);
          for (const c of view.channels) if (c.kind === 'atom') process.stderr.write(`private Atom feed: ${String(c.config['url'])}\n`);
          return 0;
        });
      }
      case 'list':
        return withRuntime(async (rt) => {
          const subs = await rt.repos.subscriptions.list(v.owner);
          const counts = await rt.repos.alerts.counts(subs.map((s) => s.id));
          for (const s of subs) {
            if (v.json) {
              printJson({ ...masked(s, rt.settings.PUBLIC_BASE_URL, alerter.atomUrl), alerts: counts.alerts.get(s.id) ?? 0 });
              continue;
            }
            const mode = s.mode === 'immediate' ? 'immediate' : s.mode === 'digest' ? `digest ${s.digest_every === 'hour' ? 'hourly' : 'daily'} at ${s.digest_at} ${s.timezone}` : `throttle ${s.throttle_per_hour}/hour`;
            process.stdout.write(`#${s.id}  ${s.name}  owner=${s.owner}  ${s.paused ? 'PAUSED  ' : ''}${mode}  alerts=${counts.alerts.get(s.id) ?? 0}  ${describeFilters(s.filters)}\n`);
            for (const c of s.channels) {
              const target = c.kind === 'atom' ? alerter.atomUrl(rt.settings.PUBLIC_BASE_URL, String(c.config['token'])) : String(c.config['url'] ?? c.config['to']);
              const n = counts.channels.get(c.id) ?? { sent: 0, unsent: 0 };
              const state = c.paused ? `PAUSED since ${c.paused_at?.toISOString().slice(0, 19) ?? '?'}Z` : c.last_error && c.consecutive_failures ? 'FAILING' : 'ok';
              const err = c.last_error ? `  last error (${c.last_error_at?.toISOString().slice(0, 19) ?? ''}Z): ${c.last_error}` : '';
              process.stdout.write(`    channel #${c.id}  ${c.kind.padEnd(7)}  ${state}  sent=${n.sent} unsent=${n.unsent}  ${target}${err}\n`);
            }
          }
          if (!v.json) process.stderr.write(`${subs.length} subscription(s)\n`);
          return 0;
        });
      case 'remove':
        return withRuntime(async (rt) => {
          const s = await findSub(rt, rest[0], v);
          await rt.repos.subscriptions.remove(s.id);
          process.stderr.write(`removed subscription #${s.id} "${s.name}"\n`);
          return 0;
        });
      case 'pause':
      case 'resume':
        return withRuntime(async (rt) => {
          const s = await findSub(rt, rest[0], v);
          await rt.repos.subscriptions.setPaused(s.id, sub === 'pause');
          if (sub === 'pause') {
            process.stderr.write(`subscription #${s.id} paused: no new alerts until it is resumed\n`);
            return 0;
          }
          const channelId = v.channel ? Number(v.channel) : undefined;
          const resumed = await rt.repos.subscriptions.resumeChannels(s.id, channelId);
          let queued = 0;
          for (const ch of resumed) {
            const u = await rt.repos.alerts.undelivered(ch);
            const jobs = [
              ...u.alerts.map((alertId) => ({ kind: 'alert' as const, alertId, channelId: ch })),
              ...u.digests.map((digestId) => ({ kind: 'digest' as const, digestId, channelId: ch })),
            ];
            queued += await alerter.requeueDeliveries(rt.queues, jobs, rt.settings.ALERT_RETRY_DELAY_MS);
          }
          process.stderr.write(`subscription #${s.id} active; ${resumed.length} channel(s) resumed, ${queued} missed delivery(ies) queued\n`);
          return 0;
        });
      case 'test':
        return withRuntime(async (rt) => {
          const s = await findSub(rt, rest[0], v);
          const lang = v.lang === 'zh' ? 'zh' : 'en';
          const senders = alerter.createSenders({ settings: rt.settings, names: alerter.taxonomyLookups(rt.settings.TAXONOMY_FILE).names });
          let failedCount = 0;
          try {
            for (const c of s.channels) {
              if (c.kind === 'atom') {
                process.stdout.write(`channel #${c.id} atom: ${alerter.atomUrl(rt.settings.PUBLIC_BASE_URL, String(c.config['token']))} (lists real alerts only)\n`);
                continue;
              }
              const msg = { kind: 'test' as const, key: `radar:test:${s.id}:${c.id}:${Date.now()}`, subscription: { id: s.id, name: s.name, owner: s.owner }, stories: [alerter.sampleStory(lang)] };
              try {
                await senders.send(c, msg);
                process.stdout.write(`channel #${c.id} ${c.kind}: sent\n`);
              } catch (err) {
                failedCount++;
                process.stdout.write(`channel #${c.id} ${c.kind}: FAILED: ${(err as Error).message}\n`);
              }
            }
          } finally {
            await senders.close();
          }
          return failedCount ? 1 : 0;
        });
      default:
        throw new UsageError(`unknown subscriptions command "${sub}"${HELP}`);
    }
  },
};
