import type { Box } from './analyse.js';
import { Hint } from './hints.js';

/**
 * Marks boilerplate subtrees and picks the box that holds the article. A box scores the
 * article-likeness of its text (good runs minus boilerplate runs) with each level of nesting
 * discounting what lies deeper: prose gathered under one parent beats the same amount spread
 * over a whole page of teasers. Its siblings that read like more of the same article join it.
 */
const DECAY = 0.85;

export interface Selection {
  /** Box whose subtree is rendered. */
  main: Box;
  /** When set, only these children of `main` are rendered (the top box and its good siblings). */
  parts: Box[] | null;
}

export function selectMain(root: Box): Selection {
  const pageGood = root.good;
  let best = root;
  let bestValue = -Infinity;

  // `articleGood`: good weight of the nearest enclosing box named as the article body.
  const visit = (box: Box, inBoiler: boolean, articleGood: number): number => {
    // A box named like boilerplate that holds most of the page's prose is a misnamed wrapper.
    box.boiler = inBoiler || ((box.hint === Hint.Comments && !holdsThePage(box, pageGood)) || (box.hint === Hint.Negative && !misnamed(box, pageGood, articleGood)));
    const inner = box.hint === Hint.Strong ? box.good : articleGood;
    let score = box.boiler ? -(box.ownGood + box.ownBad) : box.ownGood - box.ownBad;
    let conc = score;
    for (const c of box.children) {
      const childConc = visit(c, box.boiler, inner);
      score += c.score;
      conc += DECAY * childConc;
    }
    box.score = score;
    if (!box.boiler && conc > 0) {
      const value = conc * boost(box);
      if (value > bestValue) {
        bestValue = value;
        best = box;
      }
    }
    return conc;
  };
  visit(root, false, 0);
  return extend(best);
}

function holdsThePage(box: Box, pageGood: number): boolean {
  return box.el.name === 'main' || (box.good >= 0.75 * pageGood && box.good >= 500);
}

/**
 * A box named like boilerplate that is the page's main element, holds most of the page's prose
 * or of the article body around it, or wraps a box named as the article body
 * ("js-social-anchor" around "storytext") is not.
 */
function misnamed(box: Box, pageGood: number, articleGood: number): boolean {
  if (holdsThePage(box, pageGood)) return true;
  // Most of the article body inside it: "read-more-content", an expandable rest of the story.
  if (articleGood > 0 && box.good >= 0.5 * articleGood) return true;
  return box.strongGood >= 0.5 * box.good && box.strongGood >= 200 && box.hint !== Hint.Strong;
}

function boost(box: Box): number {
  let b = 1;
  if (box.hint === Hint.Strong) b *= 1.3;
  else if (box.hint === Hint.Weak) b *= 1.1;
  if (box.el.name === 'article') b *= 1.1;
  return b;
}

function extend(chosen: Box): Selection {
  // Wrappers that add next to nothing are the same box: climb them before looking sideways.
  let top = chosen;
  while (top.parent && !top.parent.boiler && top.parent.len <= top.len * 1.05) top = top.parent;
  const parent = top.parent;
  if (!parent) return { main: top, parts: null };
  const threshold = Math.max(30, top.score * 0.2);
  const parts = parent.children.filter((s) => s === top || isMoreArticle(s, threshold));
  if (parts.length === 1) return { main: top, parts: null };
  return { main: parent, parts };
}

function isMoreArticle(s: Box, threshold: number): boolean {
  if (s.boiler || s.len === 0) return false;
  const ld = s.link / s.len;
  return ld < 0.2 && s.score >= threshold;
}
