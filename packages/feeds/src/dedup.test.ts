import { describe, expect, it } from 'vitest';
import { contentHash, features, hammingDistance, isNearDuplicate, simhash, storyFingerprints, storySimhash } from './dedup.js';

const EN =
  'The central bank said on Monday it would extend its digital currency trials to more cities, including Beijing and Shanghai, ' +
  'as it seeks to test the use of the electronic yuan in retail payments, public transport and government services before a wider launch. ' +
  'Banks taking part will open wallets for residents and small merchants, and the trials will cover offline payments on phones ' +
  'without a network connection. Officials did not give a timetable for a national roll-out but said privacy rules for the ' +
  'wallets would be published this year, after complaints that the system could let the authorities follow every purchase.';

/** SimHash by its definition: the feature strings, counted in a Map, hashed as strings. */
function referenceSimhash(text: string): string {
  const hash64 = (f: string): [number, number] => {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < f.length; i++) {
      h1 = Math.imul(h1 ^ f.charCodeAt(i), 0x01000193);
      h2 = Math.imul(h2 ^ f.charCodeAt(i), 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h2 ^= h2 >>> 16;
    h2 = Math.imul(h2, 0xc2b2ae35);
    h2 ^= h2 >>> 13;
    return [h1 >>> 0, h2 >>> 0];
  };
  const counts = new Map<string, number>();
  for (const f of features(text)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const v = new Float64Array(64);
  for (const [f, n] of counts) {
    const w = 1 + Math.log(n);
    const [hi, lo] = hash64(f);
    for (let b = 0; b < 32; b++) {
      v[b]! += (hi >>> b) & 1 ? w : -w;
      v[32 + b]! += (lo >>> b) & 1 ? w : -w;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (v[b]! > 0) hi |= 1 << b;
    if (v[32 + b]! > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

describe('content hash and SimHash', () => {
  it('hashes the features of features(), as their strings would be, without making them', () => {
    const texts = [
      EN,
      EN.repeat(3),
      '数字人民币试点扩大到北京和上海，海淀区发布人工智能产业计划。',
      'abc中文def 数字人民币 the the the of yuan yuan',
      // Han beyond the BMP (surrogate pairs), and lone surrogates.
      '𠀀𠀁𠀂 abc𠀀中文 x \ud800x\udc00 中\ud800',
      'Ｆｕｌｌ ｗｉｄｔｈ　ＡＢＣ 全角',
      '',
      'a',
    ];
    for (const t of texts) expect(simhash(t), JSON.stringify(t.slice(0, 30))).toBe(referenceSimhash(t));
  });

  it('hashes equal texts equally, ignoring case, spacing and punctuation', () => {
    expect(contentHash('Hello,  World!')).toBe(contentHash('hello world'));
    expect(simhash(EN)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(EN)).toBe(simhash(EN.toUpperCase()));
  });

  it('uses word shingles for English and character shingles for Chinese', () => {
    expect(features('Digital yuan trials')).toEqual(['digital', 'yuan', 'digital yuan', 'trials', 'yuan trials']);
    expect(features('数字人民币')).toEqual(['数', '字', '人', '民', '币', '数字', '字人', '人民', '民币']);
  });

  // SimHash is noisy on short texts: a few edits move a 40-word text more than a 100-word one.
  it('keeps a lightly edited copy near and another text far', () => {
    const edited = EN.replace('on Monday', 'this week').replace('wider launch', 'nationwide launch');
    expect(hammingDistance(simhash(EN), simhash(edited))).toBeLessThanOrEqual(10);
    expect(isNearDuplicate(simhash(EN), simhash('Beijing Haidian district unveils artificial intelligence industry plan with a new fund for large model companies.'))).toBe(false);
  });

  it('gives the content hash and story SimHash together as each alone gives them', () => {
    for (const [title, text] of [['Headline', EN], ['Headline', `  ${EN}\n`], ['Headline', 'short teaser'], [null, '数字人民币试点']] as const) {
      expect(storyFingerprints(title, text)).toEqual({ contentHash: contentHash(text), simhash: storySimhash(title, text) });
    }
  });

  it('hashes a substantial body without its (often rewritten) headline', () => {
    expect(storySimhash('Headline A', EN)).toBe(storySimhash('A quite different headline', EN));
    expect(storySimhash('Headline A', 'short teaser')).not.toBe(storySimhash('Other', 'short teaser'));
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow(TypeError);
  });
});
