import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parseAllDocuments } from 'yaml';
import { SETTINGS } from '@radar/config';
import { REPO_ROOT } from '@radar/testkit';

/** Helpers shared by the infra checks: find, parse and cross-reference the files under infra/. */

export const INFRA = resolve(REPO_ROOT, 'infra');
export const SETTING_NAMES = new Set(Object.keys(SETTINGS));

/** Every file under infra/ ending in one of the extensions, as paths relative to the repo root. */
export function infraFiles(...exts: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x))) out.push(relative(REPO_ROOT, p));
    }
  };
  walk(INFRA);
  return out.sort();
}

export function read(path: string): string {
  return readFileSync(resolve(REPO_ROOT, path), 'utf8');
}

/**
 * Parses every document of a YAML file. Syntax errors, duplicate keys and warnings all throw,
 * naming the file and line. Merge keys (`<<: *anchor`) are resolved, as Docker Compose does.
 * Documents holding only comments are dropped.
 */
export function yamlDocs(path: string): unknown[] {
  const docs = parseAllDocuments(read(path), { merge: true, prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new Error(`${path}: not a YAML stream`);
  const problems = docs.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => `${path}: ${e.message}`);
  if (problems.length) throw new Error(problems.join('\n'));
  return docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown).filter((d) => d !== null && d !== undefined);
}

export function yamlDoc<T = Record<string, unknown>>(path: string): T {
  const docs = yamlDocs(path);
  if (docs.length !== 1) throw new Error(`${path}: expected one YAML document, found ${docs.length}`);
  return docs[0] as T;
}

export interface PromqlCheck {
  /** Positions of syntax errors (empty when the expression parses). */
  errors: number[];
  /** Metric names the expression selects. */
  metrics: string[];
}

/** Parses a PromQL expression with Prometheus' own grammar (lezer-promql). */
export function promql(expr: string): PromqlCheck {
  const tree = promqlParser.parse(expr);
  const errors: number[] = [];
  const metrics: string[] = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
      if (n.name === 'VectorSelector') {
        const id = n.node.getChild('Identifier');
        if (id) metrics.push(expr.slice(id.from, id.to));
      }
    },
  });
  return { errors, metrics: [...new Set(metrics)] };
}

export interface MetricSpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  labels: string[];
  source: string;
  help: string;
}

/** infra/prometheus/metrics.yaml: the documented metrics. */
export function documentedMetrics(): MetricSpec[] {
  return yamlDoc<{ metrics: MetricSpec[] }>('infra/prometheus/metrics.yaml').metrics;
}

/** Series names a query may select: histograms add _bucket, _sum and _count. */
export function selectableSeries(metrics: MetricSpec[]): Set<string> {
  const out = new Set<string>();
  for (const m of metrics) {
    out.add(m.name);
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(m.name + s);
    if (m.type === 'summary') for (const s of ['_sum', '_count']) out.add(m.name + s);
  }
  return out;
}

/**
 * Compose's `${VAR:-default}` / `${VAR-default}` / `${VAR}` with no VAR set: what the file means
 * on a machine with an empty environment.
 */
export function composeDefaults(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '');
}
