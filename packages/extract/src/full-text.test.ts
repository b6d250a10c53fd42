import { describe, expect, it } from 'vitest';
import { hasFullText, textLength } from './full-text.js';

describe('hasFullText', () => {
  it('counts visible characters only, markup and whitespace excluded', () => {
    expect(textLength('<p>Hello <b>world</b></p>\n<script>var x = 1;</script>')).toBe(10);
    expect(textLength('北京 金融&nbsp;科技')).toBe(7);
  });

  it('compares against the configured minimum', () => {
    const summary = '<p>Short summary of the story.</p>';
    const full = `<div>${'<p>A full paragraph of the article text, long enough to count.</p>'.repeat(40)}</div>`;
    expect(hasFullText(summary, 1500)).toBe(false);
    expect(hasFullText(full, 1500)).toBe(true);
    expect(hasFullText(null, 1500)).toBe(false);
    expect(hasFullText('', 0)).toBe(true);
  });
});
