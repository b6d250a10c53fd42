import { collapse } from './dom.js';
import { lastMeta, ldValue, type PageMeta } from './metadata.js';

/**
 * The headline. Metadata written for sharing (JSON-LD, Dublin Core, Open Graph, Twitter) names
 * the article without the site; failing that, the document title is cut at its separators
 * ("Headline | Site", "标题_频道_网站"), checked against the page's own headings.
 */
export function findTitle(meta: PageMeta): string | null {
  const fromMeta = metaTitle(meta);
  if (fromMeta) return fromMeta;
  const t = titleFromDocument(meta);
  return t || null;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return collapse(v) || undefined;
  return undefined;
}

function metaTitle(meta: PageMeta): string | undefined {
  const headline = text(ldValue(meta, 'headline'));
  const name = text(ldValue(meta, 'name'));
  let ld = headline ?? name;
  // Some sites put the site name in one of the two: keep the one closer to the page title.
  if (headline && name && headline !== name) {
    ld = similarity(name, meta.docTitle) > similarity(headline, meta.docTitle) ? name : headline;
  }
  const v =
    ld ??
    lastMeta(meta, ['dc:title', 'dcterm:title', 'dcterms:title', 'og:title', 'weibo:article:title', 'weibo:webpage:title', 'title', 'twitter:title', 'parsely-title', 'articletitle']);
  return v ? collapse(decodeEntities(v)) : undefined;
}

/** Share of the words of `b` found in `a`, 0..1. */
function similarity(a: string, b: string): number {
  const wa = new Set(words(a));
  const wb = words(b);
  if (wa.size === 0 || wb.length === 0) return 0;
  return wb.filter((w) => wa.has(w)).length / wb.length;
}

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordCount(s: string): number {
  // A Chinese character counts as half a word: "中国人民银行" is about three words.
  const latin = s.match(/[A-Za-z0-9\u00c0-\u024f]+/g)?.length ?? 0;
  const cjk = s.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return latin + Math.ceil(cjk / 2);
}

const SEP = /\s[|\-–—\\/>»]\s/;

function titleFromDocument(meta: PageMeta): string {
  const orig = collapse(meta.docTitle);
  let cur = orig;
  let hierarchical = false;
  const headings = [...meta.h1, ...meta.h2].map(collapse).filter(Boolean);

  if (SEP.test(orig)) {
    hierarchical = /\s[\\/>»]\s/.test(orig);
    // Drop the last part ("Headline - Site"); when what is left is too short, the site came first.
    const m = /\s[|\-–—\\/>»]\s/.exec(orig);
    cur = orig.slice(0, lastSepIndex(orig));
    if (wordCount(cur) < 3 && m) cur = orig.slice(m.index + m[0].length);
  } else if (orig.includes(': ')) {
    if (!headings.includes(orig)) {
      cur = orig.slice(orig.lastIndexOf(':') + 1).trim();
      if (wordCount(cur) < 3) cur = orig.slice(orig.indexOf(':') + 1).trim();
      else if (wordCount(orig.slice(0, orig.indexOf(':'))) > 5) cur = orig;
    }
  } else if (/[_｜|]|——|--/.test(orig) && /[\u3400-\u9fff]/.test(orig)) {
    // Chinese portals: "标题_频道_网站", "标题｜网站", "标题——网站", "标题--区政府".
    const first = orig.split(/\s*(?:[_｜|]|——|--)\s*/)[0] ?? orig;
    if (wordCount(first) >= 3) cur = first;
  } else if ((orig.length > 150 || orig.length < 15) && meta.h1.length === 1) {
    cur = collapse(meta.h1[0]!);
  }

  cur = collapse(cur);
  const n = wordCount(cur);
  if (n <= 4 && (!hierarchical || n !== wordCount(orig.replace(/\s[|\-–—\\/>»]\s/g, ' ')) - 1)) cur = orig;

  // A heading that the title starts with is the headline without the site name.
  for (const h of headings) {
    if (h.length >= 10 && h !== cur && cur.startsWith(h) && wordCount(h) >= 3 && /[\u3400-\u9fff]/.test(h)) return h;
  }
  return cur;
}

function lastSepIndex(s: string): number {
  let idx = -1;
  const re = /\s[|\-–—\\/>»]\s/g;
  for (let m = re.exec(s); m; m = re.exec(s)) idx = m.index;
  return idx;
}

function decodeEntities(s: string): string {
  // Meta content is decoded by the parser; JSON-LD strings sometimes still carry entities.
  if (!s.includes('&')) return s;
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
