import { describe, expect, it } from 'vitest';
import { evaluate, KeywordSyntaxError, parseKeywords, requiredTerms } from './keywords.js';
import { prepareText } from './text.js';

const matches = (expr: string, text: string) => evaluate(parseKeywords(expr), prepareText(text));

describe('keyword expressions', () => {
  it('matches English on word boundaries, case-folded', () => {
    expect(matches('AI', 'The bank said its AI model is ready')).toBe(true);
    expect(matches('AI', 'The bank said it will open in Dubai')).toBe(false);
    expect(matches('blockchain', 'BLOCKCHAIN pilots in Xicheng')).toBe(true);
    expect(matches('chain', 'blockchain pilots')).toBe(false);
  });

  it('matches Chinese as substrings, with full-width forms folded', () => {
    expect(matches('区块链', '西城区发布区块链产业政策')).toBe(true);
    expect(matches('区块链', '西城区发布供应链金融政策')).toBe(false);
    expect(matches('ＡＩ', 'AI lab')).toBe(true);
    expect(matches('5G网络', '北京建成5G网络')).toBe(true);
    expect(matches('AI', '海淀区AI大模型')).toBe(true);
  });

  it('supports AND, OR, NOT, implicit AND, symbols and precedence', () => {
    const text = 'Quantum key distribution pilot at Financial Street, Xicheng';
    expect(matches('quantum AND xicheng', text)).toBe(true);
    expect(matches('quantum xicheng', text)).toBe(true);
    expect(matches('quantum haidian', text)).toBe(false);
    expect(matches('haidian OR xicheng', text)).toBe(true);
    expect(matches('quantum NOT pilot', text)).toBe(false);
    expect(matches('quantum -pilot', text)).toBe(false);
    expect(matches('quantum !haidian', text)).toBe(true);
    expect(matches('haidian | quantum & xicheng', text)).toBe(true);
    // AND binds tighter than OR: (haidian AND quantum) OR missing
    expect(matches('haidian quantum OR missing', text)).toBe(false);
    expect(matches('quantum and (haidian or xicheng) and not securities', text)).toBe(true);
  });

  it('keeps quoted phrases together, in straight, curly and corner quotes', () => {
    expect(matches('"supply chain"', 'A supply chain finance platform')).toBe(true);
    expect(matches('"supply chain"', 'chain stores supply food')).toBe(false);
    expect(matches('blockchain NOT "supply chain"', 'blockchain for supply chain finance')).toBe(false);
    expect(matches('“machine learning”', 'Machine-learning models')).toBe(true);
    expect(matches('「人工智能」 OR 量子', '量子通信')).toBe(true);
  });

  it('matches prefixes with a trailing star', () => {
    expect(matches('crypto*', 'Cryptography research')).toBe(true);
    expect(matches('crypto*', 'encrypted data')).toBe(false);
    expect(matches('"smart contract*"', 'smart contracts on chain')).toBe(true);
  });

  it('reports syntax errors with a position', () => {
    expect(() => parseKeywords('(ai OR ml')).toThrow(KeywordSyntaxError);
    expect(() => parseKeywords('ai OR')).toThrow(/expected a term/);
    expect(() => parseKeywords('"open')).toThrow(/unclosed quote/);
    expect(() => parseKeywords('ai )')).toThrow(/at character 4/);
    expect(() => parseKeywords('   ')).toThrow(/empty/);
  });

  it('finds the terms one of which any match must contain', () => {
    const names = (e: string) => requiredTerms(parseKeywords(e))?.map((t) => t.raw);
    expect(names('a OR b')).toEqual(['a', 'b']);
    expect(names('(a OR b) AND c')).toEqual(['c']);
    expect(names('a NOT b')).toEqual(['a']);
    expect(names('(a OR NOT b) c')).toEqual(['c']);
    expect(requiredTerms(parseKeywords('NOT b'))).toBeNull();
  });
});
