import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.js';

function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, i) => {
    for (let k = text.indexOf(p); k >= 0; k = text.indexOf(p, k + 1)) out.push(`${i}@${k}`);
  });
  return out.sort();
}

describe('AhoCorasick', () => {
  it('finds every occurrence, overlapping and nested, like a naive search', () => {
    const patterns = ['区块链', '区块', '块链', '链', '人工智能', '智能', '能', 'he', 'she', 'his', 'hers', '北京', '北京市', '京'];
    const text = '北京市的区块链和人工智能，北京。ushers his shell 区块区块链链';
    const got: string[] = [];
    new AhoCorasick(patterns).search(text, (p, s, e) => {
      expect(text.slice(s, e)).toBe(patterns[p]);
      got.push(`${p}@${s}`);
    });
    expect(got.sort()).toEqual(naive(patterns, text));
  });
  it('handles random strings over a small alphabet', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (len: number) => Array.from({ length: len }, () => 'abc'[rnd(3)]).join('');
    const patterns = [...new Set(Array.from({ length: 40 }, () => word(1 + rnd(5))))];
    const text = word(500);
    const got: string[] = [];
    new AhoCorasick(patterns).search(text, (p, s) => got.push(`${p}@${s}`));
    expect(got.sort()).toEqual(naive(patterns, text));
  });
});
