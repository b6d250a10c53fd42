import { describe, expect, it } from 'vitest';
import { evaluate, Unsupported } from './py-expect.js';

const env = {
  bozo: false,
  feed: { title: 'Example feed', __supported: new Set(['title', 'link']) },
  entries: [{ title: 'A', link: 'http://x/' }, { title: 'A', link: 'http://x/' }],
};

describe('Expect interpreter', () => {
  it('evaluates the forms of the feedparser corpus', () => {
    expect(evaluate("not bozo and feed['title'] == 'Example feed'", env)).toBe(true);
    expect(evaluate("feed.title == 'Example ' + 'feed'", env)).toBe(true);
    expect(evaluate("entries[0]['link'] == entries[1]['link'] == 'http://x/'", env)).toBe(true);
    expect(evaluate('len(entries) == 2 and not bozo', env)).toBe(true);
    expect(evaluate("feed['title'] == u'\\u00a0' or bozo", env)).toBe(false);
    expect(evaluate("feed.get('link', None) is None", env)).toBe(true);
    expect(evaluate("'title' in feed and entries[-1].title == \"A\"", env)).toBe(true);
  });

  it('raises Unsupported for what the caller does not map', () => {
    expect(() => evaluate("feed['subtitle_detail'] == {}", env)).toThrow(Unsupported);
    expect(() => evaluate("encoding == 'utf-8'", env)).toThrow(Unsupported);
  });
});
