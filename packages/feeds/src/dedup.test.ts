import { describe, expect, it } from 'vitest';
import { contentHash, features, hammingDistance, isNearDuplicate, simhash, storySimhash } from './dedup.js';

const EN =
  'The central bank said on Monday it would extend its digital currency trials to more cities, including Beijing and Shanghai, ' +
  'as it seeks to test the use of the electronic yuan in retail payments, public transport and government services before a wider launch. ' +
  'Banks taking part will open wallets for residents and small merchants, and the trials will cover offline payments on phones ' +
  'without a network connection. Officials did not give a timetable for a national roll-out but said privacy rules for the ' +
  'wallets would be published this year, after complaints that the system could let the authorities follow every purchase.';

describe('content hash and SimHash', () => {
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

  it('hashes a substantial body without its (often rewritten) headline', () => {
    expect(storySimhash('Headline A', EN)).toBe(storySimhash('A quite different headline', EN));
    expect(storySimhash('Headline A', 'short teaser')).not.toBe(storySimhash('Other', 'short teaser'));
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow(TypeError);
  });
});
