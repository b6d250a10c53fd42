import { describe, expect, it } from 'vitest';
import { parseFilters, type SubscriptionFiltersInput } from './filters.js';
import { SubscriptionIndex, type MatchableSignal } from './matcher.js';

const signal = (p: Partial<MatchableSignal> = {}): MatchableSignal => ({
  areas: [],
  districts: [],
  beijing: false,
  maxScore: 0,
  source: 'example.org',
  lang: 'en',
  text: '',
  ...p,
});
const index = (...subs: SubscriptionFiltersInput[]) => new SubscriptionIndex(subs.map((f, i) => ({ id: i + 1, filters: parseFilters(f) })));

describe('subscription matching', () => {
  it('blockchain in Xicheng or Haidian', () => {
    const idx = index({ areas: ['cloud-blockchain'], districts: ['xicheng', 'haidian'] });
    const chain = { id: 'cloud-blockchain', score: 0.9 };
    expect(idx.match(signal({ areas: [chain], districts: [{ id: 'haidian', score: 0.8 }] }))).toEqual([1]);
    expect(idx.match(signal({ areas: [chain], districts: [{ id: 'chaoyang', score: 0.8 }] }))).toEqual([]);
    expect(idx.match(signal({ areas: [{ id: 'ai', score: 0.9 }], districts: [{ id: 'xicheng', score: 0.8 }] }))).toEqual([]);
  });

  it('AI in Chinese sources with a score of at least 0.8', () => {
    const idx = index({ areas: ['ai'], lang: ['zh'], minScore: 0.8 });
    expect(idx.match(signal({ lang: 'zh-CN', areas: [{ id: 'ai', score: 0.85 }] }))).toEqual([1]);
    expect(idx.match(signal({ lang: 'zh', areas: [{ id: 'ai', score: 0.7 }] }))).toEqual([]);
    expect(idx.match(signal({ lang: 'en', areas: [{ id: 'ai', score: 0.95 }] }))).toEqual([]);
  });

  it('all-of areas, clusters, beijing, sources and a catch-all', () => {
    const idx = index(
      { areas: ['ai', 'big-data'], areasMatch: 'all' },
      { clusters: ['fintech-security'] },
      { beijing: true },
      { sources: ['www.News.cn'] },
      {},
      { clusters: ['no-such-cluster'] },
    );
    const both = signal({ areas: [{ id: 'ai', score: 1 }, { id: 'big-data', score: 0.6 }] });
    expect(idx.match(both)).toEqual([1, 5]);
    expect(idx.match(signal({ areas: [{ id: 'ai', score: 1 }] }))).toEqual([5]);
    expect(idx.match(signal({ districts: [{ id: 'fangshan', score: 0.7 }], beijing: true }))).toEqual([2, 3, 5]);
    expect(idx.match(signal({ source: 'english.news.cn' }))).toEqual([4, 5]);
    expect(idx.match(signal({ source: 'fakenews.cn' }))).toEqual([5]);
  });

  it('keywords in English and Chinese, through the index', () => {
    const idx = index({ keywords: 'quantum OR 量子' }, { keywords: '区块链 NOT 供应链' }, { keywords: 'crypto*' }, { keywords: 'NOT "supply chain"' }, { keywords: '链' });
    expect(idx.match(signal({ text: 'Quantum computing in Haidian' }))).toEqual([1, 4]);
    expect(idx.match(signal({ text: '海淀区量子通信' }))).toEqual([1, 4]);
    expect(idx.match(signal({ text: '区块链赋能供应链金融' }))).toEqual([4, 5]);
    expect(idx.match(signal({ text: '西城区区块链试点' }))).toEqual([2, 4, 5]);
    expect(idx.match(signal({ text: 'Cryptographic keys for supply chain' }))).toEqual([3]);
  });

  it('files subscriptions so a signal is tested against few of them', () => {
    const subs: SubscriptionFiltersInput[] = [];
    for (let i = 0; i < 1000; i++) subs.push({ areas: ['ai'], districts: [`d${i}`] });
    const idx = index(...subs);
    expect(idx.stats().largestPosting).toBe(1);
    expect(idx.match(signal({ areas: [{ id: 'ai', score: 1 }], districts: [{ id: 'd7', score: 1 }] }))).toEqual([8]);
  });

  it('gives the same answer as testing every subscription (random filters and signals)', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T,>(xs: readonly T[], n: number) => xs.filter(() => rnd() < n / xs.length);
    const AREAS = ['ai', 'big-data', 'iot', 'cloud-blockchain', 'security'];
    const DISTRICTS = ['xicheng', 'haidian', 'chaoyang', 'fangshan', 'tongzhou'];
    const WORDS = ['quantum', 'bank', 'ledger', '区块链', '人工智能', '"digital yuan"', 'pay*'];
    const subs = Array.from({ length: 300 }, (_, i) => {
      const f: SubscriptionFiltersInput = {};
      if (rnd() < 0.6) f.areas = pick(AREAS, 1.5);
      if (rnd() < 0.3) f.areasMatch = 'all';
      if (rnd() < 0.4) f.districts = pick(DISTRICTS, 1.5);
      if (rnd() < 0.1) f.clusters = ['demonstration-zone-core'];
      if (rnd() < 0.3) f.keywords = pick(WORDS, 2).join(rnd() < 0.5 ? ' OR ' : ' ') || 'bank';
      if (rnd() < 0.1) f.keywords = `${f.keywords ?? 'bank'} NOT ledger`;
      if (rnd() < 0.1) f.lang = ['zh'];
      if (rnd() < 0.1) f.beijing = true;
      if (rnd() < 0.1) f.sources = ['news.cn'];
      if (rnd() < 0.2) f.minScore = 0.5;
      return { id: i + 1, filters: parseFilters(f) };
    });
    const idx = new SubscriptionIndex(subs);
    const single = (id: number) => new SubscriptionIndex(subs.filter((s) => s.id === id));
    let total = 0;
    for (let k = 0; k < 200; k++) {
      const s = signal({
        areas: pick(AREAS, 1.5).map((id) => ({ id, score: rnd() })),
        districts: pick(DISTRICTS, 1).map((id) => ({ id, score: rnd() })),
        beijing: rnd() < 0.5,
        maxScore: rnd(),
        source: rnd() < 0.3 ? 'www.news.cn' : 'example.com',
        lang: rnd() < 0.5 ? 'zh' : 'en',
        text: pick(['quantum', 'bank', 'ledger', '区块链', '人工智能', 'digital yuan', 'payments', 'banks'], 3).join(' 与 '),
      });
      const brute = subs.filter((sub) => single(sub.id).match(s).length).map((sub) => sub.id);
      const got = idx.match(s);
      expect(got).toEqual(brute);
      total += got.length;
    }
    expect(total).toBeGreaterThan(100);
  });
});
