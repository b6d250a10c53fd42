import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApp } from './plugin.js';

describe('webApp plugin', () => {
  let dir: string;
  let app: FastifyInstance;
  // What the API's auth hook reads: the plugin must mark its routes, and only its routes, public.
  const access: Record<string, unknown> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Radar</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    app = Fastify();
    app.addHook('onRequest', async (req) => {
      access[req.url] = req.routeOptions.config?.access;
    });
    await app.register(webApp, { root: dir });
    app.get('/v1/other', async () => ({ ok: true }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects / to the page and serves it with a strict CSP, re-read on every load', async () => {
    expect((await app.inject('/')).headers.location).toBe('/app/');
    const page = await app.inject('/app/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Radar</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable and marks only its own routes public', async () => {
    const js = await app.inject('/app/assets/index-abc.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    await app.inject('/v1/other');
    expect(access['/app/assets/index-abc.js']).toBe('public');
    expect(access['/v1/other']).toBeUndefined();
    expect((await app.inject('/app/nothing.js')).statusCode).toBe(404);
  });

  it('gives the page the label names in English and Chinese, not the terms', async () => {
    const res = await app.inject('/app/taxonomy.json');
    const labels = res.json() as { areas: { id: string; name: { en: string; zh: string } }[]; regions: { districts: unknown[] }[]; clusters: unknown[] };
    expect(labels.areas.find((a) => a.id === 'ai')?.name).toEqual({ en: 'Artificial intelligence', zh: '人工智能' });
    expect(labels.regions[0]?.districts).toHaveLength(16);
    expect(labels.clusters.length).toBeGreaterThanOrEqual(5);
    expect(res.body).not.toContain('"terms"');
  });

  it('answers 503 with the build command when the page is not built', async () => {
    const bare = Fastify();
    await bare.register(webApp, { root: join(dir, 'missing') });
    const res = await bare.inject('/app/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('pnpm --filter @radar/web build');
    await bare.close();
  });
});
