import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg']);
const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'blockquote', 'section', 'article',
  'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'dd', 'dt', 'figure', 'figcaption',
]);

/**
 * Visible text of an HTML fragment: tags dropped, script/style contents dropped, entities
 * decoded, blocks separated by a space, white space collapsed.
 */
export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return collapse(html);
  const out: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++;
        else if (BLOCK.has(name)) out.push(' ');
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCK.has(name)) out.push(' ');
      },
      ontext(text) {
        if (!skipDepth) out.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return collapse(out.join(''));
}

export function collapse(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** Whether a string holds markup (a tag or an entity), so that it should go through htmlToText. */
export function looksLikeHtml(s: string): boolean {
  return /<\/?[a-z][\w:-]*(\s[^<>]*)?\/?>|&(#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i.test(s);
}

/**
 * Text of a feed field that may hold HTML (RSS titles and descriptions often do): when it looks
 * like markup, its visible text; otherwise the string itself with white space collapsed.
 */
export function fieldText(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = looksLikeHtml(s) ? htmlToText(s) : collapse(s);
  return t || null;
}

export { decodeHTML };
