import type { AnyNode, Element, ParentNode } from 'domhandler';

/**
 * Small helpers over the domhandler tree that cheerio builds. The extractor walks this tree
 * directly: a selector query per heuristic would traverse the page many times over.
 */

export function isElement(node: AnyNode): node is Element {
  // 'script' and 'style' nodes are elements too, with their own type.
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function attr(el: Element, name: string): string | undefined {
  return el.attribs[name];
}

/** Depth-first, document order, stopping early when `visit` returns true. */
export function findElement(root: ParentNode, visit: (el: Element) => boolean): Element | undefined {
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    if (visit(node)) return node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return undefined;
}

/** Every element, document order. Recursive: faster than a stack on these shallow trees. */
export function eachElement(root: ParentNode, visit: (el: Element) => void): void {
  const children = root.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      visit(node as Element);
      if (node.children.length) eachElement(node as Element, visit);
    }
  }
}

/** Text content with whitespace collapsed; <br> and block boundaries become spaces. */
export function textOf(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    if (n.type === 'text') parts.push(n.data);
    else if (isElement(n)) {
      if (n.type !== 'tag' || n.name === 'br') {
        parts.push(' ');
        return;
      }
      for (const c of n.children) walk(c);
      if (!INLINE_TAGS.has(n.name)) parts.push(' ');
    }
  };
  walk(node);
  return collapse(parts.join(''));
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Phrasing elements: their text belongs to the block around them. */
export const INLINE_TAGS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'del', 'dfn', 'em',
  'font', 'i', 'ins', 'kbd', 'label', 'mark', 'nobr', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small',
  'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', 'img', 'picture',
]);

/** Never text of an article. */
export const SKIP_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas',
  'video', 'audio', 'source', 'track', 'map', 'button', 'input', 'select', 'textarea', 'option',
  'head', 'title', 'meta', 'link', 'base', 'dialog', 'menu', 'nav',
]);
