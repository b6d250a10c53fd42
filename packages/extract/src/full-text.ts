/**
 * Whether a feed item's content already is the whole article, so that fetching the page again
 * would bring nothing (the `FULL_TEXT_MIN_CHARS` setting). Content may be HTML or plain text;
 * markup, entities and whitespace do not count, a Chinese character counts as one.
 */
export function hasFullText(content: string | null | undefined, minChars: number): boolean {
  if (!content) return minChars <= 0;
  return textLength(content) >= minChars;
}

/** Characters of visible text in an HTML or plain-text fragment, whitespace excluded. */
export function textLength(content: string): number {
  const text = content
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/gi, 'x');
  let n = 0;
  for (const ch of text) if (!/\s/.test(ch)) n++;
  return n;
}
