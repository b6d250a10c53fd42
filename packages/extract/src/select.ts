import type { Box } from './analyse.js';
import { Hint } from './hints.js';

/**
 * Marks boilerplate subtrees and picks the box that holds the article: the one whose text,
 * summed over its subtree, is most article-like (good runs minus boilerplate runs), nudged by
 * what the box's names and tag say.
 */
export function selectMain(root: Box): Box {
  const pageGood = root.good;
  let best = root;
  let bestValue = -Infinity;

  const visit = (box: Box, inBoiler: boolean): number => {
    // A box named like boilerplate that holds most of the page's prose is a misnamed wrapper.
    box.boiler = inBoiler || (box.hint === Hint.Negative && (box.good < 0.75 * pageGood || box.good < 500));
    let score = box.boiler ? -(box.ownGood + box.ownBad) : box.ownGood - box.ownBad;
    for (const c of box.children) score += visit(c, box.boiler);
    box.score = score;
    if (!box.boiler && score > 0) {
      const value = score * boost(box);
      if (value > bestValue) {
        bestValue = value;
        best = box;
      }
    }
    return score;
  };
  visit(root, false);
  return best;
}

function boost(box: Box): number {
  let b = 1;
  if (box.hint === Hint.Strong) b *= 1.3;
  else if (box.hint === Hint.Weak) b *= 1.1;
  if (box.el.name === 'article') b *= 1.1;
  return b;
}
