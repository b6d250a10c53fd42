import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '@radar/config';
import { JOBS, SERVICE_JOBS } from '@radar/queue';
import { REPO_ROOT } from '@radar/testkit';
import { CONTAINER, DEPLOYMENT_SPEC, OBJECT_META, POD_SPEC, PROBE, unknownKeys } from './k8s-fields.js';
import { infraFiles, SETTING_NAMES, yamlDoc, yamlDocs } from './load.js';

/** Checks infra/k8s against the Kubernetes and KEDA schemas and against Radar's own rules. */

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Located {
  file: string;
  obj: K8sObject;
}

/** The schema (offline, from kubernetes-models) of each kind we ship. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

const DIR = 'infra/k8s';
const manifestFiles = infraFiles('.yaml', '.yml').filter((f) => f.startsWith(`${DIR}/`) && basename(f) !== 'kustomization.yaml');
const objects: Located[] = manifestFiles.flatMap((file) => yamlDocs(file).map((obj) => ({ file, obj: obj as K8sObject })));
const ofKind = (kind: string) => objects.filter((o) => o.obj.kind === kind).map((o) => o.obj);
const deployments = ofKind('Deployment');
const configMap = ofKind('ConfigMap').find((c) => c.metadata.name === 'radar-settings');
const secret = ofKind('Secret').find((c) => c.metadata.name === 'radar-secrets');
const sharedEnv: Record<string, string> = { ...configMap?.data, ...secret?.stringData };

const pod = (o: K8sObject) => (o.spec?.['template'] as { spec: IPodSpec }).spec;
/** Radar's own containers: the image built from infra/Dockerfile (kustomize sets the registry). */
const radarContainers = (o: K8sObject) => pod(o).containers.filter((c) => c.image === 'radar');
const containerEnv = (c: IContainer) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? '']));

describe('infra/k8s', () => {
  it('lists every manifest in kustomization.yaml', () => {
    const k = yamlDoc<{ kind: string; namespace: string; resources: string[] }>(`${DIR}/kustomization.yaml`);
    expect(k.kind).toBe('Kustomization');
    expect([...k.resources].sort()).toEqual(manifestFiles.map((f) => basename(f)).sort());
    for (const { obj } of objects) if (obj.kind !== 'Namespace') expect(obj.metadata.namespace, obj.metadata.name).toBe(k.namespace);
  });

  it('holds only objects of known kinds, each valid against its schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const { file, obj } of objects) {
      const where = `${file}: ${obj.kind} ${obj.metadata?.name}`;
      expect(obj.metadata?.name, where).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(unknownKeys(obj.metadata, OBJECT_META), where).toEqual([]);
      const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
      expect(Model, `${where}: no schema for ${obj.apiVersion}/${obj.kind}`).toBeDefined();
      expect(() => new Model!(obj as never).validate(), where).not.toThrow();
    }
    // The validator is live: a wrong type is refused.
    const bad = structuredClone(deployments[0]!) as unknown as { spec: { replicas: unknown } };
    bad.spec.replicas = 'three';
    expect(() => new Deployment(bad as never).validate()).toThrow();
  });

  it('misspells no field of a Deployment, pod, container or probe', () => {
    for (const d of [...deployments, ...ofKind('StatefulSet'), ...ofKind('Job')]) {
      const where = `${d.kind} ${d.metadata.name}`;
      if (d.kind === 'Deployment') expect(unknownKeys(d.spec, DEPLOYMENT_SPEC), where).toEqual([]);
      expect(unknownKeys(pod(d), POD_SPEC), where).toEqual([]);
      for (const c of pod(d).containers) {
        expect(unknownKeys(c, CONTAINER), `${where}/${c.name}`).toEqual([]);
        for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) expect(unknownKeys(p, PROBE), `${where}/${c.name}`).toEqual([]);
      }
    }
  });

  it('has a Deployment for every stage and the API, a migrate Job, and the settings', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...Object.keys(SERVICE_JOBS), 'api'].sort());
    expect(ofKind('Job').map((j) => j.metadata.name)).toContain('radar-migrate');
    expect(configMap).toBeDefined();
    expect(secret).toBeDefined();
    expect(ofKind('Service').find((s) => s.metadata.name === 'api')).toBeDefined();
  });

  it('puts only known settings in the ConfigMap and the Secret', () => {
    for (const name of Object.keys(sharedEnv)) expect(SETTING_NAMES.has(name), name).toBe(true);
    expect(sharedEnv['DATABASE_URL']).toBeDefined();
    expect(sharedEnv['REDIS_AUTOSTART']).toBe('false');
  });

  it('gives each Radar container only known settings, with values the settings accept, and a file to run', () => {
    for (const d of [...deployments, ...ofKind('Job')]) {
      const containers = radarContainers(d);
      expect(containers.length, d.metadata.name).toBe(1);
      for (const c of containers) {
        const where = `${d.metadata.name}/${c.name}`;
        expect((c.env ?? []).map((e) => e.name).filter((n) => !SETTING_NAMES.has(n)), where).toEqual([]);
        expect(c.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name).sort(), where).toEqual(['radar-secrets', 'radar-settings']);
        expect(() => loadSettings({ ...sharedEnv, ...containerEnv(c) }), where).not.toThrow();
        const entry = c.command?.find((a) => a.endsWith('.ts'));
        expect(c.command?.slice(0, 1), where).toEqual(['node']);
        expect(c.command, where).toContain('tsx');
        expect(entry && existsSync(resolve(REPO_ROOT, entry)), `${where}: ${entry}`).toBe(true);
      }
    }
  });

  it('sets resources on every container, and a grace period above SHUTDOWN_GRACE_MS', () => {
    for (const d of [...deployments, ...ofKind('StatefulSet'), ...ofKind('Job')]) {
      for (const c of pod(d).containers) {
        const where = `${d.metadata.name}/${c.name}`;
        expect(c.resources?.requests?.['cpu'], where).toBeDefined();
        expect(c.resources?.requests?.['memory'], where).toBeDefined();
        expect(c.resources?.limits?.['memory'], where).toBeDefined();
      }
    }
    for (const d of deployments) {
      const grace = loadSettings({ ...sharedEnv, ...containerEnv(radarContainers(d)[0]!) }).SHUTDOWN_GRACE_MS;
      expect((pod(d).terminationGracePeriodSeconds ?? 30) * 1000, d.metadata.name).toBeGreaterThan(grace);
    }
  });

  it('probes every container, or says why not; a pod behind a Service has a readiness probe', () => {
    const served = ofKind('Service').map((s) => (s.spec?.['selector'] ?? {}) as Record<string, string>);
    for (const d of [...deployments, ...ofKind('StatefulSet')]) {
      const labels = (d.spec?.['template'] as { metadata: { labels: Record<string, string> } }).metadata.labels;
      const selector = (d.spec?.['selector'] as { matchLabels: Record<string, string> }).matchLabels;
      for (const [k, v] of Object.entries(selector)) expect(labels[k], `${d.metadata.name}: selector ${k}`).toBe(v);
      const behindService = served.some((sel) => Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v));
      for (const c of pod(d).containers) {
        const where = `${d.metadata.name}/${c.name}`;
        const reason = d.metadata.annotations?.['radar/no-liveness-probe'];
        expect(c.livenessProbe ?? reason, `${where}: livenessProbe or annotation radar/no-liveness-probe`).toBeDefined();
        if (behindService) expect(c.readinessProbe, `${where}: behind a Service`).toBeDefined();
      }
    }
    const api = radarContainers(deployments.find((d) => d.metadata.name === 'api')!)[0]!;
    expect(api.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(api.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect({ ...sharedEnv, ...containerEnv(api) }['HOST']).toBe('0.0.0.0');
  });

  it('checks each worker through the queues of its own stage', () => {
    for (const [service, jobs] of Object.entries(SERVICE_JOBS)) {
      const d = deployments.find((x) => x.metadata.name === service)!;
      const queues = [...new Set(jobs.map((j) => JOBS[j].queue))];
      expect(radarContainers(d)[0]!.livenessProbe?.exec?.command).toEqual(['node', 'infra/docker/healthcheck.mjs', 'worker', ...queues]);
    }
  });

  it('autoscales every stage on the BullMQ waiting lists of its own queues, in the Redis of REDIS_URL', () => {
    const settings = loadSettings(sharedEnv);
    const redis = new URL(settings.REDIS_URL);
    const scaled = ofKind('ScaledObject');
    for (const [service, jobs] of Object.entries(SERVICE_JOBS)) {
      const so = scaled.find((s) => (s.spec?.['scaleTargetRef'] as { name: string }).name === service);
      expect(so, `ScaledObject for ${service}`).toBeDefined();
      const spec = so!.spec as { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
      expect(spec.minReplicaCount, service).toBeGreaterThanOrEqual(1);
      expect(spec.maxReplicaCount, service).toBeGreaterThan(spec.minReplicaCount);
      const consumed = new Set<string>(jobs.map((j) => JOBS[j].queue));
      for (const t of spec.triggers) {
        expect(t.type).toBe('redis');
        expect(t.metadata['address'], service).toBe(`${redis.hostname}:${redis.port || 6379}`);
        const m = /^(.+):([^:]+):wait$/.exec(t.metadata['listName'] ?? '');
        expect(m?.[1], `${service}: listName prefix is QUEUE_PREFIX`).toBe(settings.QUEUE_PREFIX);
        expect(consumed.has(m?.[2] ?? ''), `${service}: ${t.metadata['listName']} is one of its queues`).toBe(true);
        expect(Number(t.metadata['listLength']), service).toBeGreaterThan(0);
      }
    }
    const max = (name: string) =>
      (scaled.find((s) => (s.spec?.['scaleTargetRef'] as { name: string }).name === name)?.spec?.['maxReplicaCount'] as number) ?? 0;
    for (const other of Object.keys(SERVICE_JOBS).filter((n) => n !== 'extractor')) expect(max('extractor')).toBeGreaterThan(max(other));
    // KEDA owns the worker replica counts: a `replicas` in the Deployment would reset them on every apply.
    for (const d of deployments.filter((x) => x.metadata.name in SERVICE_JOBS)) expect(d.spec?.['replicas'], d.metadata.name).toBeUndefined();
  });

  it('runs Redis with the append-only file on and maxmemory-policy noeviction', () => {
    const redis = ofKind('StatefulSet').find((s) => s.metadata.name === 'redis')!;
    const args = pod(redis).containers.find((c) => c.name === 'redis')!.args!.join(' ');
    expect(args).toMatch(/--appendonly yes\b/);
    expect(args).toMatch(/--maxmemory-policy noeviction\b/);
  });
});
