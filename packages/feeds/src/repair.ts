import { decodeHTMLStrict } from 'entities';
import { Parser } from 'htmlparser2';

/**
 * Repairs for ill-formed XML that a lenient reader accepts: a strict parser (xml2js/sax, under
 * rss-parser) rejects the whole feed for one undefined `&nbsp;`, a stray control character or a
 * missing end tag. Each repair is named in the result so the feed can be marked "repaired".
 */

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// The two names whose HTML 5 meaning differs from HTML 4's; feeds (and feed readers) mean HTML 4.
const HTML4_ENTITIES = new Map([['lang', '\u2329'], ['rang', '\u232a']]);
// Characters XML 1.0 forbids: they are what this pattern is for.
const INVALID_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface Repaired {
  text: string;
  /** What was fixed, e.g. `control characters`, `undefined entities`. Empty when nothing was. */
  fixes: string[];
}

function dtdEntities(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const doctype = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/i.exec(text.slice(0, 20_000));
  if (!doctype) return out;
  for (const m of doctype[1]!.matchAll(/<!ENTITY\s+([\w.-]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
    out.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return out;
}

function charRef(s: string): string {
  let out = '';
  for (const ch of s) out += `&#${ch.codePointAt(0)};`;
  return out;
}

// Comments, CDATA sections and the DOCTYPE (with its internal subset); an unterminated one runs
// to the end, as in a truncated feed.
const LITERALS = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!DOCTYPE(?:[^[>]*\[[\s\S]*?\]\s*>|[^>]*>)/gi;

/** Applies `fix` to the text between comments, CDATA sections and the DOCTYPE. */
function outsideLiterals(text: string, fix: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LITERALS)) {
    out += fix(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fix(text.slice(last));
}

/**
 * Character-level fixes: invalid characters, undefined entities, bare ampersands, junk before the
 * root. A well-formed document comes back with no fixes (its DTD-declared entities expanded).
 */
export function repairText(input: string): Repaired {
  const fixes: string[] = [];
  let text = input;

  const start = text.search(/<[?!a-zA-Z]/);
  if (start > 0 && text.slice(0, start).trim()) {
    text = text.slice(start);
    fixes.push('text before the root element');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const cleaned = text.replace(INVALID_CHARS, '');
  if (cleaned !== text) fixes.push('control characters');
  text = cleaned;

  // `<?xml version="1.0" encoding="x"?>` after decoding means nothing, and a declaration that
  // is not first (or is malformed) is fatal to a strict parser.
  const decl = /^\s*<\?xml[^>]*\?>/.exec(text);
  if (decl && !/^<\?xml\s+version=(["'])1\.[01]\1[^>]*\?>$/.test(decl[0].trim())) {
    text = text.slice(decl[0].length);
    fixes.push('XML declaration');
  } else if (!decl && /<\?xml\s/.test(text.slice(1, 2000))) {
    text = text.replace(/<\?xml\s[^>]*\?>/, '');
    fixes.push('XML declaration');
  }

  // Entities and ampersands are markup only outside comments, CDATA sections and the DTD: a
  // literal `AT&T` in a comment or `?a=1&b=2` in CDATA is well-formed and must stay as it is.
  const declared = dtdEntities(text);
  let undefinedEntities = false;
  text = outsideLiterals(text, (part) =>
    part.replace(/&([A-Za-z_][\w.-]*);/g, (whole, name: string) => {
      if (XML_ENTITIES.has(name)) return whole;
      // A DTD-declared entity is well-formed XML; it is expanded here only because the reader
      // under rss-parser does not read the internal subset.
      const own = declared.get(name);
      if (own !== undefined) return own.includes('&') ? own : charRef(own);
      undefinedEntities = true;
      const decoded = HTML4_ENTITIES.get(name) ?? decodeHTMLStrict(whole);
      return decoded !== whole ? charRef(decoded) : `&amp;${name};`;
    }),
  );
  if (undefinedEntities) fixes.push('undefined entities');

  const amp = outsideLiterals(text, (part) => part.replace(/&(?!(?:#\d+|#x[\da-fA-F]+|[A-Za-z_][\w.-]*);)/g, '&amp;'));
  if (amp !== text) fixes.push('bare ampersands');
  text = amp;

  // Numeric references to characters XML forbids (&#x1; in a title) are as fatal as the raw ones.
  const refs = outsideLiterals(text, (part) =>
    part.replace(/&#(x[\da-fA-F]+|\d+);/g, (whole, n: string) => {
      const cp = n[0] === 'x' ? parseInt(n.slice(1), 16) : parseInt(n, 10);
      const ok = cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      return ok ? whole : '';
    }),
  );
  if (refs !== text) fixes.push('invalid character references');
  text = refs;
  return { text, fixes };
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/**
 * Structural repair: the document is read by htmlparser2 in XML mode (which closes what is left
 * open, drops stray end tags and tolerates a truncated ending) and written out again well-formed.
 * Entities must have been fixed by repairText first.
 */
export function rebuildXml(input: string): string {
  const out: string[] = [];
  let depth = 0;
  let rootClosed = false;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (rootClosed) return;
        depth++;
        let tag = `<${name}`;
        for (const [k, v] of Object.entries(attribs)) {
          if (/^[A-Za-z_:][\w:.-]*$/.test(k)) tag += ` ${k}="${escapeAttr(v)}"`;
        }
        out.push(`${tag}>`);
      },
      ontext(text) {
        if (depth > 0 && !rootClosed) out.push(escapeText(text));
      },
      onclosetag(name) {
        if (rootClosed) return;
        out.push(`</${name}>`);
        depth--;
        if (depth === 0) rootClosed = true;
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true, recognizeSelfClosing: true },
  );
  parser.write(input);
  parser.end();
  return out.join('');
}
