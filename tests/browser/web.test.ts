import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@radar/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WEBHOOK_HEADERS } from '../../packages/alerts/src/index.js';
import { segments, spansFor, type EvidenceItem } from '../../services/web/src/shared/evidence.js';
import { launchChromium, type TestBrowser } from '../../services/web/src/testing/browser.js';
import { readCorpus, startReceiver, startWebStack, type CorpusItem, type Receiver, type WebStack } from './harness.js';

// The analyst's page in headless Chromium against the API on loopback, over signals the real
// classifier made from the project's labelled corpus, stored in PostgreSQL.
type Page = Awaited<ReturnType<TestBrowser['context']['newPage']>>;

const SHOTS = resolve(REPO_ROOT, 'tests/screenshots');
const HOUR = 3_600_000;

describe('web page', () => {
  let stack: WebStack;
  let browser: TestBrowser;
  let receiver: Receiver;
  let page: Page;
  const ids = new Map<string, number>();
  let live: CorpusItem;

  const api = async <T>(path: string, token = stack.tokens.analyst): Promise<T> => {
    const res = await fetch(`${stack.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const shot = (name: string, p: Page = page, fullPage = false) => p.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage });
  const login = async (p: Page, token: string) => {
    await p.goto(`${stack.base}/`);
    await p.locator('#token').fill(token);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.locator('nav.tabs').waitFor();
  };
  const listIds = (p: Page = page) => p.locator('li.signal').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-signal-id'))));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [stack, browser, receiver] = await Promise.all([startWebStack(), launchChromium(), startReceiver()]);
    const en = readCorpus('en-01.jsonl').slice(0, 30);
    const zh = readCorpus('zh-01.jsonl').slice(0, 30);
    // Arrives while the page is open: Financial Street Forum news (Xicheng; AI, big data, blockchain).
    live = readCorpus('zh-03.jsonl').find((i) => i.id === 'zh-0106')!;
    // en-0001 and zh-0001 tell one story (the same source, in two languages).
    const story = await stack.rt.repos.articles.createStory(en[0]!.title, null);
    const now = Date.now();
    // Oldest first, so the story pair (en-0001, zh-0001) is the newest and opens from the first page.
    const items = en.flatMap((e, i) => [e, zh[i]!]).reverse();
    for (const [i, item] of items.entries()) {
      const storyId = item.id === 'en-0001' || item.id === 'zh-0001' ? story : undefined;
      ids.set(item.id, await stack.store(item, new Date(now - (items.length - i) * 11 * HOUR), { storyId }));
    }
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await stack?.close();
  });

  it('logs in with a token kept in sessionStorage only, and filters the list', async () => {
    await login(page, stack.tokens.analyst);
    expect(await page.evaluate("[sessionStorage.getItem('radar.token') !== null, localStorage.getItem('radar.token'), document.cookie]")).toEqual([true, null, '']);
    await page.locator('li.signal').first().waitFor();
    const all = await api<{ data: { id: number }[] }>('/v1/signals?limit=30');
    expect(await listIds()).toEqual(all.data.map((s) => s.id));

    await page.locator('#f-area').selectOption('cloud-blockchain');
    await page.waitForURL((u) => u.hash.includes('area=cloud-blockchain'));
    const expected = await api<{ data: { id: number }[] }>('/v1/signals?limit=30&area=cloud-blockchain');
    expect(expected.data.length).toBeGreaterThan(3);
    await expect.poll(() => listIds(), { timeout: 10_000 }).toEqual(expected.data.map((s) => s.id));
    const tagged = await page.locator('li.signal').evaluateAll((els) => els.every((e) => e.querySelector('[data-tag="cloud-blockchain"]')));
    expect(tagged).toBe(true);

    await page.locator('#f-lang').selectOption('zh');
    const zhOnly = await api<{ data: { id: number }[] }>('/v1/signals?limit=30&area=cloud-blockchain&lang=zh');
    await expect.poll(() => listIds(), { timeout: 10_000 }).toEqual(zhOnly.data.map((s) => s.id));
    await shot('signals-filtered');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => listIds(), { timeout: 10_000 }).toEqual(all.data.map((s) => s.id));
  });

  it('opens a signal and highlights its evidence in the title and the text', async () => {
    const id = ids.get('zh-0001')!;
    await page.locator(`li.signal[data-signal-id="${id}"] a.signal-title`).click();
    await page.locator(`.detail-pane[data-detail-id="${id}"] article`).waitFor();
    type Detail = { title: string; body: string; areas: { id: string; evidence: EvidenceItem[] }[]; districts: { id: string; evidence: EvidenceItem[] }[]; story_articles: { signal_id: number | null }[] };
    const d = await api<Detail>(`/v1/signals/${id}`);
    const labels = [...d.areas, ...d.districts];
    const marked = (field: string, text: string) => segments(text, spansFor(field, text.length, labels)).filter((s) => s.mark).map((s) => s.text);
    const expectedBody = marked('body', d.body);
    expect(expectedBody.length).toBeGreaterThan(2);
    const pane = page.locator('.detail-pane');
    expect(await pane.locator('[data-field="body"] mark.ev').allTextContents()).toEqual(expectedBody);
    expect(await pane.locator('[data-field="title"] mark.ev').allTextContents()).toEqual(marked('title', d.title));
    // Every tag with its score, and the story's other article (the English telling).
    for (const l of labels) expect(await pane.locator(`tr[data-label="${l.id}"]`).count()).toBe(1);
    expect(d.story_articles.map((a) => a.signal_id)).toEqual([ids.get('en-0001')]);
    await pane.locator(`a[href*="signals/${ids.get('en-0001')}"]`).waitFor();
    await shot('signal-detail');
  });

  it('shows a new signal as it arrives, without reloading', async () => {
    await page.goto(`${stack.base}/app/#/signals`);
    await page.locator('.live-status[data-status="live"]').waitFor({ timeout: 10_000 });
    await page.evaluate('window.marker = 42');
    const id = await stack.store(live, new Date());
    const fresh = page.locator(`li.signal.fresh[data-signal-id="${id}"]`);
    await fresh.waitFor({ timeout: 10_000 });
    expect((await listIds())[0]).toBe(id);
    expect(await fresh.locator('[data-tag="xicheng"]').count()).toBe(1);
    expect(await page.evaluate('window.marker')).toBe(42);
    expect(await page.locator('.new-count').textContent()).toBe('1 new');
    await shot('signals-live');
  });

  it('draws the trends and the district map from the stats, and opens a district from the keyboard', async () => {
    const statsAnswer = page.waitForResponse((r) => r.url().includes('/v1/stats') && r.status() === 200);
    await page.getByRole('link', { name: 'Trends' }).click();
    const stats = (await (await statsAnswer).json()) as { series: { districts: Record<string, number>; areas: Record<string, number> }[] };
    const want: Record<string, number> = {};
    for (const s of stats.series) for (const [k, n] of Object.entries(s.districts)) want[k] = (want[k] ?? 0) + n;
    expect(Object.keys(want).length).toBeGreaterThan(3);
    await page.locator('.map-svg path[data-district]').first().waitFor();
    const drawn = await page.locator('.map-svg path[data-district]').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-district'), Number(e.getAttribute('data-count'))])),
    );
    expect(Object.keys(drawn)).toHaveLength(16);
    for (const [d, n] of Object.entries(drawn)) expect(n, d).toBe(want[d!] ?? 0);
    expect(await page.locator('.chart-svg .series').count()).toBe(5);
    await shot('trends', page, true);

    await page.locator('#district-haidian').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.hash.startsWith('#/signals') && u.hash.includes('district=haidian'), { timeout: 5000 });
    await page.locator('li.signal').first().waitFor();
    const haidian = await page.locator('li.signal').evaluateAll((els) => els.every((e) => e.querySelector('[data-tag="haidian"]')));
    expect(haidian).toBe(true);
  });

  it('creates a subscription, sees its test delivery and a real alert delivered, then edits, pauses and deletes it', async () => {
    await page.goto(`${stack.base}/app/#/subscriptions`);
    await page.getByRole('button', { name: '+ New subscription' }).click();
    const form = page.getByTestId('subscription-form');
    await form.locator('#s-name').fill('Haidian AI');
    await form.locator('input[name="areas"][value="ai"]').check();
    await form.locator('input[name="districts"][value="haidian"]').check();
    await form.locator('#c-url-0').fill(receiver.url);
    await form.locator('#c-secret-0').fill('radar-test-secret');
    await form.getByRole('button', { name: 'Create' }).click();
    const card = page.locator('li[data-subscription-name="Haidian AI"]');
    await card.waitFor();

    await card.getByRole('button', { name: 'Send a test' }).click();
    await card.locator('[data-test-ok="true"]').waitFor();
    expect(receiver.requests).toHaveLength(1);
    const verified = (r: Receiver['requests'][number]) =>
      verifyWebhook('radar-test-secret', r.body, r.headers[WEBHOOK_HEADERS.timestamp] as string, r.headers[WEBHOOK_HEADERS.signature] as string);
    expect(verified(receiver.requests[0]!)).toBe(true);
    expect(JSON.parse(receiver.requests[0]!.body).type).toBe('test');
    expect(await page.getByTestId('subs-note').textContent()).toBe('Test sent: 1 of 1 channels answered.');
    await shot('subscription-test');

    // A Haidian AI story arrives: the alerter matches it and delivers it; the page shows the delivery.
    const story = readCorpus('zh-02.jsonl').find((i) => i.id === 'zh-0052')!;
    const signalId = await stack.store(story, new Date(), { alert: true });
    await card.locator('tr[data-delivery-status="sent"]').waitFor({ timeout: 15_000 });
    expect(await card.locator('tr[data-delivery-status="sent"]').textContent()).toContain(story.title);
    const alert = receiver.requests.find((r) => JSON.parse(r.body).type === 'alert')!;
    expect(verified(alert)).toBe(true);
    expect(JSON.parse(alert.body).stories[0].signalId).toBe(signalId);
    await shot('subscription-delivered');

    // Edit (the secret, left empty, is kept), pause, and delete.
    await card.getByRole('button', { name: 'Edit' }).click();
    await form.locator('#s-name').fill('Haidian AI and chain');
    await form.locator('input[name="areas"][value="cloud-blockchain"]').check();
    await shot('subscription-form', page, true);
    await form.getByRole('button', { name: 'Save' }).click();
    const edited = page.locator('li[data-subscription-name="Haidian AI and chain"]');
    await edited.waitFor();
    expect(await edited.locator('tr[data-delivery-status="sent"]').count()).toBe(1);
    await edited.getByRole('button', { name: 'Pause' }).click();
    await edited.locator('[data-state="paused"]').waitFor();
    page.once('dialog', (d) => void d.accept());
    await edited.getByRole('button', { name: 'Delete' }).click();
    await edited.waitFor({ state: 'detached' });
    expect((await api<{ data: unknown[] }>('/v1/subscriptions')).data).toEqual([]);
  });

  it('switches to Chinese and back', async () => {
    await page.goto(`${stack.base}/app/#/signals`);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: '趋势' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.locator('#f-district option[value="haidian"]').textContent()).toBe('海淀区');
    expect(await page.locator('h1#signals-title').textContent()).toBe('信号');
    await page.locator('li.signal').first().waitFor();
    await shot('signals-zh');
    await page.getByRole('link', { name: '趋势' }).click();
    // The map is drawn from the taxonomy at once but its counts only when /v1/stats answers, and
    // the chart only for a non-zero total: wait for both, or the picture shows all zeros.
    await page.locator('.trends-page .chart-svg').waitFor();
    await page.locator('.map-svg path[data-district]:not([data-count="0"])').first().waitFor();
    await shot('trends-zh', page, true);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('link', { name: 'Trends' }).waitFor();
  });

  it('shows operators the feeds with their health and the queue backlog', async () => {
    const ops = await browser.context.newPage();
    await login(ops, stack.tokens.admin);
    await ops.goto(`${stack.base}/app/#/operators`);
    const failing = ops.locator('table.feeds tr', { hasText: 'Old district bulletin' });
    await failing.waitFor();
    expect(await failing.locator('[data-health="failing"]').textContent()).toBe('failing');
    expect(await failing.textContent()).toContain('HTTP 503 Service Unavailable');
    await ops.locator('table.queues tbody tr').first().waitFor();
    expect(await ops.locator('table.queues tbody tr').count()).toBeGreaterThan(3);
    await shot('operators', ops);
    await ops.close();
  });

  it('reads well on a phone', async () => {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await login(phone, stack.tokens.analyst);
    await phone.locator('li.signal').first().waitFor();
    await shot('phone-signals', phone);
    await phone.locator('li.signal a.signal-title').first().click();
    await phone.locator('.detail-pane article').waitFor();
    expect(await phone.locator('.list-pane').isVisible()).toBe(false);
    await shot('phone-detail', phone);
    await phone.close();
  });
});
