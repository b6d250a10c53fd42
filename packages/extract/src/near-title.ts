import type { AnyNode, Element } from 'domhandler';
import { parseDate, type DateOptions } from './dates.js';

/**
 * The line under the headline: many pages (most Chinese news sites among them) state the date,
 * the source and the reporter only there, in text, with no metadata at all.
 */
export function textAfter(start: Element, maxChars = 400): string {
  const parts: string[] = [];
  let size = 0;
  const visit = (n: AnyNode): boolean => {
    if (n.type === 'text') {
      // A long run is the article itself: the byline area is over.
      if (n.data.trim().length > 80) return true;
      parts.push(n.data);
      size += n.data.length;
      return size >= maxChars;
    }
    if (n.type !== 'tag') return false;
    parts.push(' ');
    for (const c of n.children) if (visit(c)) return true;
    return false;
  };
  // Document order after `start`: its next siblings, then those of its ancestors.
  for (let node: AnyNode | null = start; node; node = node.parent) {
    for (let s = node.next; s; s = s.next) if (visit(s)) return parts.join('');
    if (node.parent?.type === 'root') break;
  }
  return parts.join('');
}

export function dateNear(text: string, opts: DateOptions): string | null {
  return parseDate(text.replace(/\s+/g, ' '), opts);
}

const ZH_AUTHOR = /(?:记者|作者|撰文|文\s*[/／])\s*[:：]?\s*([\u4e00-\u9fa5]{2,4}(?:[、，,]\s*[\u4e00-\u9fa5]{2,4}){0,3})/;
const EN_AUTHOR = /\b[Bb]y\s+([A-Z][\p{L}.'-]+(?:\s+(?:[A-Z][\p{L}.'-]+|de|van|von|da|and))*?\s+[A-Z][\p{L}.'-]+)/u;

export function authorNear(text: string): string | null {
  const t = text.replace(/\s+/g, ' ');
  const zh = ZH_AUTHOR.exec(t);
  if (zh) return zh[1]!.split(/[、，,]\s*/).filter(Boolean).join(', ');
  const en = EN_AUTHOR.exec(t);
  return en ? en[1]! : null;
}
