import { describe, expect, it } from 'vitest';
import { excerptRanges, segments, spansFor } from './evidence.js';

describe('spansFor', () => {
  it('merges overlapping evidence of several labels and keeps each label once', () => {
    const text = '北京海淀区区块链与人工智能试点';
    const spans = spansFor('title', text.length, [
      { id: 'cloud-blockchain', evidence: [{ term: '区块链', field: 'title', start: 5, end: 8 }] },
      { id: 'ai', evidence: [{ term: '人工智能', field: 'title', start: 9, end: 13 }, { term: '智能', field: 'title', start: 11, end: 13 }] },
      { id: 'haidian', evidence: [{ term: '海淀区', field: 'title', start: 2, end: 5 }, { term: 'x', field: 'body', start: 0, end: 1 }] },
    ]);
    expect(spans).toEqual([
      { start: 2, end: 5, labels: ['haidian'], terms: ['海淀区'] },
      { start: 5, end: 8, labels: ['cloud-blockchain'], terms: ['区块链'] },
      { start: 9, end: 13, labels: ['ai'], terms: ['人工智能', '智能'] },
    ]);
    expect(segments(text, spans).map((s) => [s.text, s.mark?.labels[0] ?? null])).toEqual([
      ['北京', null],
      ['海淀区', 'haidian'],
      ['区块链', 'cloud-blockchain'],
      ['与', null],
      ['人工智能', 'ai'],
      ['试点', null],
    ]);
  });

  it('drops model features, empty spans and offsets past the end of the text', () => {
    const spans = spansFor('body', 10, [
      { id: 'ai', evidence: [{ term: 'model', field: 'model', weight: 2 }, { term: 'a', field: 'body', start: 4, end: 4 }, { term: 'b', field: 'body', start: 8, end: 30 }] },
    ]);
    expect(spans).toEqual([{ start: 8, end: 10, labels: ['ai'], terms: ['b'] }]);
  });

  it('joins spans of two labels that overlap into one naming both', () => {
    const spans = spansFor('body', 50, [
      { id: 'a', evidence: [{ term: 'x', field: 'body', start: 0, end: 10 }] },
      { id: 'b', evidence: [{ term: 'y', field: 'body', start: 5, end: 20 }] },
    ]);
    expect(spans).toEqual([{ start: 0, end: 20, labels: ['a', 'b'], terms: ['x', 'y'] }]);
  });
});

describe('excerptRanges', () => {
  it('keeps a short text whole and a long one around its highlights', () => {
    expect(excerptRanges(100, [])).toEqual([[0, 100]]);
    const spans = [
      { start: 5000, end: 5010, labels: ['ai'], terms: ['AI'] },
      { start: 5300, end: 5310, labels: ['ai'], terms: ['AI'] },
      { start: 9000, end: 9005, labels: ['iot'], terms: ['5G'] },
    ];
    expect(excerptRanges(10_000, spans, 400)).toEqual([
      [4600, 5710],
      [8600, 9405],
    ]);
    expect(excerptRanges(10_000, [], 400)).toEqual([[0, 3000]]);
  });
});
