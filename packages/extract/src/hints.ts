import type { Element } from 'domhandler';

/**
 * What an element's class and id say about it. Site builders name their boxes after what they
 * hold ("article-body", "related-stories", "share-bar"), in English and in pinyin alike, so the
 * names are a strong, cheap hint on top of the text statistics.
 */

const COMMENTS = /comment|disqus|\brepl(?:y|ies)\b/;

/** Names of boxes that hold the article itself. */
const STRONG =
  /article[-_]?(?:body|content|text|main|detail)|articlebody|story[-_]?(?:body|content|text)|entry[-_]?content|post[-_]?(?:body|content|text|entry)|(?:body|main|rich|news)[-_]?(?:text|copy|content)|content[-_]?(?:body|text|article|main)|text[-_]?(?:body|content)|artibody|article_con|con_?text|trs_editor|\bzoom\b|zhengwen|\bzw\b/;

/** Names that often, not always, hold it. */
const WEAK = /article|content|entry|\bpost\b|story|\btext\b|\bbody\b|\bmain\b|blog|detail|\bnews\b|\bcontainer\b|\bwrapper\b/;

/** Names of boilerplate: navigation, sharing, comments, ads, teasers of other articles. */
const NEGATIVE =
  /comment|disqus|\bshare|sharing|social|related|recommend|newsletter|subscri|signup|sign-up|promo|sponsor|advert|\bads?\b|[-_]ads?\b|\bad[-_]|banner|sidebar|side-bar|footer|masthead|breadcrumb|\bnav|menu|pagination|pager|popup|modal|cookie|gdpr|consent|toolbar|tags?(?:\s|$)|tag-?list|keywords|author-?bio|\bbio\b|byline|dateline|\bmeta\b|rating|login|outbrain|taboola|trending|popular|more-?stories|read-?more|readmore|also-?read|offscreen|visually-?hidden|sr-only|\bhidden\b|\bskip|jump-?link|xgxw|xgwz|xgyd|hotnews|\brank|caption|credit|gallery|slideshow|carousel|lightbox|timestamp|\bdate\b|published|updated/;

export const enum Hint {
  /** Comments: however the boxes inside are named ("comment-body"), never the article. */
  Comments = -2,
  Negative = -1,
  None = 0,
  Weak = 1,
  Strong = 2,
}

const TAG_HINTS: Record<string, Hint> = {
  article: Hint.Weak,
  main: Hint.Weak,
  footer: Hint.Negative,
  aside: Hint.Negative,
  header: Hint.Negative,
  form: Hint.Negative,
  figure: Hint.Negative,
  figcaption: Hint.Negative,
};

export function hintOf(el: Element): Hint {
  const byTag = TAG_HINTS[el.name];
  if (byTag === Hint.Negative) return byTag;
  const cls = el.attribs['class'];
  const id = el.attribs['id'];
  const itemprop = el.attribs['itemprop'];
  if (itemprop === 'articleBody' || itemprop === 'text') return Hint.Strong;
  if (!cls && !id) return byTag ?? Hint.None;
  const names = cls && id ? `${cls} ${id}` : (cls ?? id)!;
  let hint = cache.get(names);
  if (hint === undefined) {
    hint = hintOfNames(names.toLowerCase());
    // Pages repeat the same class lists many times over; the names decide alone.
    if (cache.size > 20_000) cache.clear();
    cache.set(names, hint);
  }
  return hint === Hint.None ? (byTag ?? Hint.None) : hint;
}

const cache = new Map<string, Hint>();

function hintOfNames(names: string): Hint {
  if (COMMENTS.test(names)) return Hint.Comments;
  if (STRONG.test(names)) return Hint.Strong;
  if (NEGATIVE.test(names)) return Hint.Negative;
  if (WEAK.test(names)) return Hint.Weak;
  return Hint.None;
}

/** Hidden by the page itself: never shown to a reader. */
export function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a['hidden'] !== undefined || a['aria-hidden'] === 'true') return true;
  const style = a['style'];
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}
