import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@radar/testkit';
import { createPipeline, type Pipeline } from '../e2e/harness.js';

const run = promisify(execFile);

/** Runs `pnpm radar ...` as a user would (through tsx), on the test's own schema and queues. */
async function radar(p: Pipeline, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/cli/src/main.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...p.env, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pnpm radar', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await createPipeline();
  });
  afterAll(async () => p?.close());

  it('adds, imports, lists and removes feeds', async () => {
    const add = await radar(p, 'feeds', 'add', 'https://example.org/a.xml', 'ftp://nope', 'http://169.254.169.254/latest/meta-data/');
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('added: #');
    expect(add.stderr).toContain('skipped ftp://nope: only http and https feeds');
    // The crawler's SSRF guard would refuse it at every poll: refused when added.
    expect(add.stderr).toContain(
      'skipped http://169.254.169.254/latest/meta-data/: refused http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a linkLocal address (not in FETCH_ALLOW_HOSTS)\n',
    );

    const opml = join(tmpdir(), `radar-${process.pid}.opml`);
    writeFileSync(opml, `<opml version="2.0"><body><outline text="x"><outline xmlUrl="https://example.org/a.xml"/><outline xmlUrl="https://example.com/b.rss" title="B"/></outline></body></opml>`);
    const imp = await radar(p, 'feeds', 'import', opml);
    expect(imp.code).toBe(0);
    expect(imp.stderr).toContain('already there');

    const list = await radar(p, 'feeds', 'list', '--json');
    const feeds = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; url: string; health: string; title: string | null });
    expect(feeds.map((f) => f.url)).toEqual(['https://example.org/a.xml', 'https://example.com/b.rss']);
    expect(feeds.every((f) => f.health === 'new')).toBe(true);
    expect(feeds[1]!.title).toBe('B');

    expect((await radar(p, 'feeds', 'remove', String(feeds[0]!.id))).code).toBe(0);
    const gone = await radar(p, 'feeds', 'remove', String(feeds[0]!.id));
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`no feed ${feeds[0]!.id}`);
  });

  it('lists jobs that failed for good with their reason, and retries them', async () => {
    // A payload no retry can fix fails at once, and is kept.
    await p.rt.queues.queue('extract-article').add('extract-article', { articleId: -1 }, { jobId: 'extract-bad', attempts: 3 });
    const w = await p.start(['extract-article']);
    await p.waitFor('the failed job', async () => (await p.rt.queues.failed()).length === 1);
    await w.close(1000);
    p.workers.splice(p.workers.indexOf(w), 1);

    const failed = await radar(p, 'failed', '--json');
    expect(failed.code).toBe(0);
    const jobs = failed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; id: string; failedReason: string });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'extract-article', id: 'extract-bad' });
    expect(jobs[0]!.failedReason).toContain('invalid payload');

    const retry = await radar(p, 'failed', '--retry');
    expect(retry.stderr).toContain('1 failed job(s) queued again');
    expect(await p.rt.queues.failed()).toHaveLength(0);
  });

  it('refuses subscription filters naming ids the taxonomy does not know, as the API does', async () => {
    const bad = await radar(p, 'subscriptions', 'add', '--name', 'typo', '--areas', 'ai,quantum', '--clusters', 'moon-base', '--atom');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown area "quantum" \(one of ai, .*; unknown cluster "moon-base"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(await p.rt.repos.subscriptions.list()).toEqual([]);
  });

  it('rejects bad settings and unknown commands with a clear message', async () => {
    const bad = await radar({ ...p, env: { ...p.env, PORT: 'x' } } as Pipeline, 'feeds', 'list');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PORT="x" is invalid: expected an integer between 0 and 65535');
    const unknown = await radar(p, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    // A command with subcommands, given none, shows them.
    for (const cmd of ['feeds', 'subscriptions', 'tokens']) {
      const bare = await radar(p, cmd);
      expect(bare.code, cmd).toBe(2);
      expect(bare.stderr).toMatch(new RegExp(`^usage:\\n  pnpm radar ${cmd} `));
      expect(bare.stderr).not.toContain('unknown');
    }
    // A missing file is the user's mistake: one line, no stack.
    for (const args of [['feeds', 'import', '/nonexistent.opml'], ['train', '--corpus', '/nonexistent']]) {
      const missing = await radar(p, ...args);
      expect(missing.code, missing.stderr).toBe(2);
      expect(missing.stderr).toMatch(/^radar \w+: ENOENT: no such file or directory, \w+ '\/nonexistent(\.opml)?'\n$/);
    }
  });
});
