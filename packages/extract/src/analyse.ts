import type { AnyNode, Element, ParentNode } from 'domhandler';
import { INLINE_TAGS, SKIP_TAGS } from './dom.js';
import { Hint, hintOf, isHidden } from './hints.js';

/**
 * One walk over the page builds a tree of boxes: the block-level elements, each with the text
 * statistics of the inline runs it owns directly (a run is the text between two block
 * boundaries). Chinese characters weigh more than Latin ones: one carries about as much as a
 * short English word.
 */
export interface Box {
  el: Element;
  parent: Box | null;
  children: Box[];
  hint: Hint;
  /** Own runs: weighted length, of which inside links, sentence punctuation, count. */
  ownLen: number;
  ownLink: number;
  ownPunct: number;
  /** Content weight and boilerplate weight of the own runs. */
  ownGood: number;
  ownBad: number;
  /** Subtree totals, filled after the walk. */
  len: number;
  link: number;
  punct: number;
  good: number;
  bad: number;
  /** Good minus bad over the subtree, boilerplate subtrees counted as all bad. */
  score: number;
  boiler: boolean;
  /** Good weight inside boxes named as the article body (itself or its descendants). */
  strongGood: number;
}

const CJK_WEIGHT = 3;
/** Boilerplate weight of a short line outside links ("Share", a date, a kicker). */
const SHORT_PENALTY = 3;

function newBox(el: Element, parent: Box | null, hint: Hint): Box {
  return {
    el, parent, children: [], hint,
    ownLen: 0, ownLink: 0, ownPunct: 0, ownGood: 0, ownBad: 0,
    len: 0, link: 0, punct: 0, good: 0, bad: 0, score: 0, boiler: false, strongGood: 0,
  };
}

/** Weight of one run as article text (good) or as boilerplate (bad). */
function weigh(box: Box, len: number, link: number, punct: number): void {
  if (len === 0) return;
  const ld = link / len;
  if (ld > 0.5) box.ownBad += len;
  else if (len >= 150 || (len >= 50 && punct >= 2) || (len >= 80 && punct >= 1)) box.ownGood += len - link;
  // Short text in a table cell is data more often than chrome: neutral.
  else if (box.el.name === 'td' || box.el.name === 'th') box.ownBad += link;
  else box.ownBad += SHORT_PENALTY + link;
}

export interface Analysis {
  root: Box;
  boxes: Map<Element, Box>;
  /** Elements never rendered: scripts, forms, hidden boxes. */
  skipped: Set<Element>;
}

export function analyse(body: ParentNode, rootEl: Element): Analysis {
  const boxes = new Map<Element, Box>();
  const skipped = new Set<Element>();
  const root = newBox(rootEl, null, Hint.None);
  boxes.set(rootEl, root);

  let runLen = 0;
  let runLink = 0;
  let runPunct = 0;
  let linkDepth = 0;

  const flush = (owner: Box): void => {
    if (runLen > 0) {
      owner.ownLen += runLen;
      owner.ownLink += runLink;
      owner.ownPunct += runPunct;
      weigh(owner, runLen, runLink, runPunct);
    }
    runLen = runLink = runPunct = 0;
  };

  const text = (data: string): void => {
    let len = 0;
    let punct = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c <= 32 || c === 160 || c === 0x3000) continue;
      if (c >= 0x2e80 && c <= 0x9fff) len += CJK_WEIGHT;
      else len += 1;
      // , . ; : ! ? and their full-width forms, the ideographic comma and full stop.
      if (c === 44 || c === 46 || c === 59 || c === 33 || c === 63 || c === 0xff0c || c === 0x3002 ||
          c === 0xff1b || c === 0xff01 || c === 0xff1f || c === 0x3001 || c === 0xff1a) punct++;
    }
    runLen += len;
    runPunct += punct;
    if (linkDepth > 0) runLink += len;
  };

  const walk = (node: AnyNode, owner: Box): void => {
    if (node.type === 'text') {
      text(node.data);
      return;
    }
    if (node.type !== 'tag') return; // comments, scripts, styles, directives
    const el = node;
    const name = el.name;
    if (SKIP_TAGS.has(name) || isHidden(el)) {
      skipped.add(el);
      if (!INLINE_TAGS.has(name)) flush(owner);
      return;
    }
    if (name === 'br' || name === 'hr') {
      flush(owner);
      return;
    }
    // Custom elements (<hl-trusted-source>, <amp-img>) wrap inline bits as often as blocks:
    // transparent, their block children still make boxes of their own.
    if (INLINE_TAGS.has(name) || name.includes('-')) {
      const isLink = name === 'a';
      if (isLink) linkDepth++;
      for (const c of el.children) walk(c, owner);
      if (isLink) linkDepth--;
      return;
    }
    flush(owner);
    const box = newBox(el, owner, hintOf(el));
    boxes.set(el, box);
    owner.children.push(box);
    for (const c of el.children) walk(c, box);
    flush(box);
  };

  for (const c of body.children) walk(c, root);
  flush(root);
  total(root);
  return { root, boxes, skipped };
}

function total(box: Box): void {
  box.len = box.ownLen;
  box.link = box.ownLink;
  box.punct = box.ownPunct;
  box.good = box.ownGood;
  box.bad = box.ownBad;
  box.strongGood = 0;
  for (const c of box.children) {
    total(c);
    box.strongGood += c.strongGood;
    box.len += c.len;
    box.link += c.link;
    box.punct += c.punct;
    box.good += c.good;
    box.bad += c.bad;
  }
  if (box.hint === Hint.Strong) box.strongGood = box.good;
}
