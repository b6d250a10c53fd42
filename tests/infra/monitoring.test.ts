import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMetrics, registerSystemMetrics } from '@radar/metrics';
import { REPO_ROOT } from '@radar/testkit';
import { documentedMetrics, infraFiles, promql, read, selectableSeries, yamlDoc } from './load.js';

/**
 * Checks infra/prometheus and infra/grafana: rules and dashboard parse, use only documented
 * metrics, the documented radar_* metrics are the ones the code registers, and each alert has
 * its section in RUNBOOK.md.
 */

const metrics = documentedMetrics();
const series = selectableSeries(metrics);
const runbook = read('RUNBOOK.md');
/** GitHub's anchors of RUNBOOK.md's headings. */
const anchors = new Set(
  [...runbook.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-'),
  ),
);

const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/);
const alertRule = z.strictObject({
  alert: z.string().regex(/^[A-Z][A-Za-z0-9]+$/),
  expr: z.string().min(1),
  for: duration,
  labels: z.strictObject({ severity: z.enum(['info', 'warning', 'critical']) }),
  annotations: z.strictObject({ summary: z.string().min(1), description: z.string().min(1), runbook: z.string().startsWith('RUNBOOK.md#') }),
});
const recordRule = z.strictObject({ record: z.string().regex(/^[a-z_:][a-z0-9_:]*$/), expr: z.string().min(1), labels: z.record(z.string(), z.string()).optional() });
const ruleFile = z.strictObject({
  groups: z.array(z.strictObject({ name: z.string().min(1), interval: duration.optional(), rules: z.array(z.union([alertRule, recordRule])).min(1) })).min(1),
});

const target = z.object({ refId: z.string(), expr: z.string().min(1), legendFormat: z.string().optional(), datasource: z.object({ type: z.literal('prometheus'), uid: z.string() }) });
const gridPos = z.object({ h: z.number().int().positive(), w: z.number().int().positive().max(24), x: z.number().int().min(0).max(23), y: z.number().int().min(0) });
const panel = z.discriminatedUnion('type', [
  z.object({ type: z.literal('row'), id: z.number().int(), title: z.string(), gridPos, collapsed: z.boolean(), panels: z.array(z.unknown()) }),
  z.object({
    type: z.enum(['timeseries', 'stat', 'bargauge', 'piechart', 'gauge', 'table', 'text']),
    id: z.number().int(),
    title: z.string().min(1),
    description: z.string().optional(),
    datasource: z.object({ type: z.literal('prometheus'), uid: z.string() }),
    gridPos,
    targets: z.array(target).min(1),
    fieldConfig: z.object({ defaults: z.record(z.string(), z.unknown()), overrides: z.array(z.unknown()) }),
    options: z.record(z.string(), z.unknown()),
  }),
]);
const dashboard = z.object({
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
  title: z.string().min(1),
  schemaVersion: z.number().int().min(36),
  time: z.object({ from: z.string(), to: z.string() }),
  templating: z.object({ list: z.array(z.object({ name: z.string(), type: z.string() }).passthrough()) }),
  panels: z.array(panel).min(1),
});

/** Everything an expression selects must be a documented metric. */
function checkExpr(where: string, expr: string) {
  const { errors, metrics: used } = promql(expr);
  expect(errors, `${where}: PromQL syntax error in ${expr}`).toEqual([]);
  expect(used.length, `${where}: selects no metric`).toBeGreaterThan(0);
  expect(used.filter((m) => !series.has(m)), `${where}: metrics not in infra/prometheus/metrics.yaml`).toEqual([]);
}

const ruleFiles = infraFiles('.yml', '.yaml').filter((f) => f.startsWith('infra/prometheus/rules/'));
const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

describe('infra/prometheus', () => {
  it('documents the radar_* metrics exactly as packages/metrics registers them', async () => {
    const m = createMetrics();
    registerSystemMetrics(m, {
      queueDepths: async () => ({}),
      feedHealth: async () => [],
      feedLastStatus: async () => [],
      signalsByArea: async () => [],
    });
    const registered = new Map((await m.registry.getMetricsAsJSON()).map((x) => [x.name, x]));
    for (const d of metrics.filter((x) => x.name.startsWith('radar_'))) {
      const r = registered.get(d.name);
      expect(r, `${d.name} is not registered by packages/metrics`).toBeDefined();
      expect(r!.type, d.name).toBe(d.type);
    }
    // Every metric the code registers by hand (not prom-client's defaults) is documented.
    const own = [...registered.keys()].filter((n) => n.startsWith('radar_') && !/^radar_(process|nodejs)_/.test(n));
    expect(own.filter((n) => !metrics.some((d) => d.name === n))).toEqual([]);
  });

  it('documents every metric in RUNBOOK.md', () => {
    for (const m of metrics) expect(runbook, m.name).toContain(`\`${m.name}\``);
  });

  it.each(ruleFiles)('%s: valid rule groups on documented metrics, each alert with its RUNBOOK section', (file) => {
    const parsed = ruleFile.parse(yamlDoc(file));
    const names = new Set<string>();
    for (const g of parsed.groups) {
      for (const r of g.rules) {
        const name = 'alert' in r ? r.alert : r.record;
        expect(names.has(name), `${name} defined twice`).toBe(false);
        names.add(name);
        checkExpr(`${file}: ${name}`, r.expr);
        if ('alert' in r) {
          const anchor = r.annotations.runbook.slice('RUNBOOK.md#'.length);
          expect(anchor, name).toBe(r.alert.toLowerCase());
          expect(anchors.has(anchor), `RUNBOOK.md has no heading "${r.alert}"`).toBe(true);
        }
      }
    }
    // The alerts the issue asks for.
    for (const a of ['RadarQueueBacklogGrowing', 'RadarFeedsFailing', 'RadarJobsStalled', 'RadarNoSignals', 'RadarApiDown']) expect(names).toContain(a);
  });

  it('rejects a broken expression and an unknown metric (the checks are live)', () => {
    expect(promql('sum(rate(radar_job_failures_total[5m]) by').errors.length).toBeGreaterThan(0);
    expect(promql('rate(radar_nope_total[5m])').metrics.filter((m) => !series.has(m))).toEqual(['radar_nope_total']);
  });

  it('scrapes the API and the stages under the job names the rules use', () => {
    for (const file of ['infra/prometheus/prometheus.yml', 'infra/prometheus/prometheus-k8s.yml']) {
      const cfg = yamlDoc<{ rule_files: string[]; scrape_configs: { job_name: string; relabel_configs?: { replacement?: string }[] }[] }>(file);
      expect(cfg.rule_files).toContain('/etc/prometheus/rules/*.yml');
      const jobs = cfg.scrape_configs.flatMap((s) => [s.job_name, ...(s.relabel_configs ?? []).map((r) => r.replacement ?? '')]);
      for (const job of ['radar-api', 'radar-workers', 'redis']) expect(jobs, `${file}: ${job}`).toContain(job);
    }
  });

  it.runIf(promtool)('passes promtool (when installed: apt-get install prometheus)', () => {
    const run = (args: string[]) => spawnSync('promtool', args, { cwd: REPO_ROOT, encoding: 'utf8' });
    const rules = run(['check', 'rules', ...ruleFiles]);
    expect(rules.status, rules.stdout + rules.stderr).toBe(0);
    // Debian's promtool is built without Kubernetes discovery, so only the compose config here.
    const cfg = run(['check', 'config', '--syntax-only', resolve(REPO_ROOT, 'infra/prometheus/prometheus.yml')]);
    expect(cfg.status, cfg.stdout + cfg.stderr).toBe(0);
  });
});

describe('infra/grafana', () => {
  const dash = dashboard.parse(JSON.parse(read('infra/grafana/dashboards/radar.json')));

  it('is a dashboard whose panels tile the grid without overlapping', () => {
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dash.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
    expect(dash.templating.list.map((v) => v.name)).toContain('datasource');
  });

  it('queries only documented metrics, with valid PromQL', () => {
    for (const p of dash.panels) if (p.type !== 'row') for (const t of p.targets) checkExpr(`panel "${p.title}"`, t.expr);
  });

  it('shows what the issue asks for', () => {
    const exprs = dash.panels.flatMap((p) => (p.type === 'row' ? [] : p.targets.map((t) => t.expr))).join('\n');
    for (const m of ['radar_queue_jobs', 'radar_job_duration_seconds_bucket', 'radar_job_failures_total', 'radar_job_outcomes_total', 'radar_feeds_by_last_status', 'radar_feeds', 'radar_signals'])
      expect(exprs).toContain(m);
  });

  it('provisions the dashboard folder and a Prometheus data source for compose', () => {
    const ds = yamlDoc<{ datasources: { type: string; url: string }[] }>('infra/grafana/provisioning/datasources/prometheus.yaml');
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const prov = yamlDoc<{ providers: { options: { path: string } }[] }>('infra/grafana/provisioning/dashboards/radar.yaml');
    expect(prov.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    expect(read('infra/compose.yaml')).toContain('./grafana/dashboards:/var/lib/grafana/dashboards');
  });
});
