import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveUrl } from './url.js';

describe('canonicalizeUrl', () => {
  it.each([
    ['https://Example.COM:443/a/b?utm_source=x&utm_medium=y&id=3#top', 'https://example.com/a/b?id=3'],
    ['http://example.com:80/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['http://example.com/a?fbclid=1&gclid=2&spm=a.b.c&from=timeline', 'https://example.com/a'],
    ['https://example.com/list?from=20', 'https://example.com/list?from=20'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com./p%e4', 'https://example.com/p%E4'],
    ['https://user:pw@example.com/x', 'https://example.com/x'],
  ])('%s -> %s', (input, out) => {
    expect(canonicalizeUrl(input)).toBe(out);
  });

  it('resolves a relative URL and refuses non-http ones', () => {
    expect(canonicalizeUrl('../c?utm_campaign=z', 'http://example.com/a/b/')).toBe('https://example.com/a/c');
    expect(canonicalizeUrl('mailto:a@b.c')).toBeNull();
    expect(canonicalizeUrl('not a url')).toBeNull();
    expect(resolveUrl('/x', 'https://example.com/feed')).toBe('https://example.com/x');
    expect(resolveUrl('javascript:alert(1)')).toBeNull();
  });
});
