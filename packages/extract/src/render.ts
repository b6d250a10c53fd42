import type { AnyNode, Element } from 'domhandler';
import type { Analysis, Box } from './analyse.js';
import type { Selection } from './select.js';
import { INLINE_TAGS } from './dom.js';

/**
 * Turns the chosen box into plain text, one paragraph per block, leaving out the boilerplate
 * inside it: boxes marked as such, link lists, and the headline (which the caller has).
 */
export function render(selection: Selection, analysis: Analysis, dropTitle: (text: string) => boolean): string[] {
  const main = selection.main;
  const out: string[] = [];
  let buf: string[] = [];
  let pre = 0;

  const flush = (): void => {
    if (buf.length === 0) return;
    const raw = buf.join('');
    buf = [];
    const text = pre > 0 ? raw.replace(/^\n+|\s+$/g, '') : raw.replace(/\s+/g, ' ').trim();
    // Markup shown as text (a serialised <noscript> pixel) is not prose.
    if (text && !/^<[a-z][^>]*>$/i.test(text)) out.push(text);
  };

  const keep = (box: Box): boolean => {
    if (box === main) return true;
    if (box.boiler) return false;
    if (box.len > 0 && box.link / box.len > 0.5) return false;
    return true;
  };

  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      buf.push(node.data);
      return;
    }
    if (node.type !== 'tag') return;
    const el: Element = node;
    if (analysis.skipped.has(el)) return;
    const name = el.name;
    if (name === 'br') {
      if (pre > 0) buf.push('\n');
      else flush();
      return;
    }
    if (INLINE_TAGS.has(name) || name.includes('-')) {
      for (const c of el.children) walk(c);
      return;
    }
    const box = analysis.boxes.get(el);
    if (box && !keep(box)) return;
    if ((name === 'h1' || name === 'h2') && box && dropTitle(textLen(box) < 400 ? plain(el) : '')) return;
    flush();
    if (name === 'pre') pre++;
    for (const c of el.children) walk(c);
    flush();
    if (name === 'pre') pre--;
  };

  if (selection.parts) {
    const parts = new Set(selection.parts.map((b) => b.el));
    for (const c of main.el.children) {
      if (c.type === 'tag' && parts.has(c)) walk(c);
    }
  } else walk(main.el);
  flush();
  return out;
}

function textLen(box: Box): number {
  return box.len;
}

function plain(el: Element): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (n.type === 'tag') for (const c of n.children) walk(c);
  };
  walk(el);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
