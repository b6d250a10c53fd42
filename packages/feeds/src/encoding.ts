import { isAscii } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * Character set detection and decoding. Sources in order of trust: a byte-order mark; then the
 * declarations (HTTP header, XML declaration, HTML meta), checked against the bytes: bytes that
 * are valid UTF-8 with multi-byte sequences are UTF-8 whatever was declared, and bytes that a
 * single-byte or UTF-8 declaration cannot explain are given to a statistical detector (chardet)
 * before falling back to the declaration. So a GBK page labelled ISO-8859-1 is not mojibake.
 */

export type EncodingSource = 'bom' | 'header' | 'xml' | 'meta' | 'sniff' | 'default';

export interface Decoded {
  text: string;
  /** iconv-lite name of the encoding used, e.g. `utf-8`, `gb18030`, `windows-1252`. */
  encoding: string;
  source: EncodingSource;
  /** The declared charset, when one was declared and the bytes said otherwise. */
  overridden?: string;
}

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  // GB2312 and GBK pages routinely hold GBK/GB18030 characters: decode with the superset.
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  chinese: 'gb18030',
  'csgb2312': 'gb18030',
  'euc-cn': 'gb18030',
  gb18030: 'gb18030',
  big5: 'cp950',
  'big5-hkscs': 'big5hkscs',
  'x-x-big5': 'cp950',
  cp950: 'cp950',
  // WHATWG: these labels mean windows-1252, which is what servers that send them really serve.
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'l1': 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'windows-1252': 'windows-1252',
  'shift_jis': 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  'x-sjis': 'shift_jis',
  'ms_kanji': 'shift_jis',
  'windows-31j': 'shift_jis',
  'utf-16': 'utf-16le',
};

const MULTIBYTE = new Set(['gb18030', 'cp950', 'big5hkscs', 'shift_jis', 'euc-jp', 'euc-kr', 'iso-2022-jp']);

/** The iconv-lite name for a charset label, or null when unknown. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return null;
  const mapped = ALIASES[l] ?? l;
  return iconv.encodingExists(mapped) ? mapped : null;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return m?.[2] ?? null;
}

function bom(bytes: Uint8Array): { encoding: string; length: number } | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf-32le', length: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** UTF-16/32 without a BOM, recognised by the zero bytes around `<?` (XML spec, appendix F). */
function wideWithoutBom(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0x3c && c === 0 && d === 0x3f) return 'utf-16be';
  if (a === 0x3c && b === 0 && c === 0x3f && d === 0) return 'utf-16le';
  return null;
}

function asciiHead(bytes: Uint8Array, n: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(n, bytes.byteLength)).toString('latin1');
}

export function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(asciiHead(bytes, 512));
  return m?.[1] ?? null;
}

export function htmlMetaCharset(bytes: Uint8Array): string | null {
  const head = asciiHead(bytes, 4096);
  const m =
    /<meta[^>]+charset\s*=\s*["']?([\w:.-]+)/i.exec(head) ??
    /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w:.-]+)/i.exec(head);
  return m?.[1] ?? null;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** The text when the bytes are valid UTF-8, else null. */
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    return null;
  }
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding, { stripBOM: true });
}

/** Share of U+FFFD in a decoded text: how badly an encoding fits the bytes. */
function replacementShare(text: string): number {
  // indexOf searches natively; a clean text (the usual case) is one pass with no match.
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) n++;
  return text.length ? n / text.length : 0;
}

/** What chardet thinks, restricted to encodings it recognises well. */
function sniff(bytes: Uint8Array): { encoding: string; confidence: number } | null {
  const sample = bytes.subarray(0, 64 * 1024);
  for (const m of chardet.analyse(sample)) {
    const enc = normalizeCharset(m.name);
    if (enc && enc !== 'utf-8') return { encoding: enc, confidence: m.confidence };
  }
  return null;
}

export interface DecodeOptions {
  /** The HTTP Content-Type header, whose charset is one declaration. */
  contentType?: string | null;
  /** Which in-document declaration to read (default: both, XML first). */
  kind?: 'xml' | 'html' | 'json';
}

/** Decodes a response body to text. Never throws; an unknown charset falls back to detection. */
export function decodeBody(bytes: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const b = bom(bytes);
  if (b) return { text: decodeWith(bytes.subarray(b.length), b.encoding), encoding: b.encoding, source: 'bom' };
  const wide = wideWithoutBom(bytes);
  if (wide) return { text: decodeWith(bytes, wide), encoding: wide, source: 'sniff' };

  const declared: [string, EncodingSource][] = [];
  const header = charsetFromContentType(opts.contentType);
  if (header) declared.push([header, 'header']);
  if (opts.kind !== 'html' && opts.kind !== 'json') {
    const x = xmlDeclaredEncoding(bytes);
    if (x) declared.push([x, 'xml']);
  }
  if (opts.kind !== 'xml' && opts.kind !== 'json') {
    const m = htmlMetaCharset(bytes);
    if (m) declared.push([m, 'meta']);
  }
  const first = declared.map(([l, s]) => [normalizeCharset(l), s, l] as const).find(([e]) => e !== null);
  const enc = first?.[0] ?? null;
  const source = first?.[1] ?? 'default';

  if (isAscii(bytes)) {
    // Pure ASCII reads the same in UTF-8 and in windows-1252 (Latin-1, the fastest to decode);
    // a 7-bit charset that was declared (UTF-7) still decodes its escapes.
    const e = enc && !enc.startsWith('utf-16') && !enc.startsWith('utf-32') ? enc : 'utf-8';
    const text = e === 'utf-8' || e === 'windows-1252' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : decodeWith(bytes, e);
    return { text, encoding: e, source };
  }
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) {
    // Multi-byte UTF-8 sequences do not happen by chance in legacy encodings.
    const overridden = enc && enc !== 'utf-8' ? first?.[2] : undefined;
    return { text: utf8, encoding: 'utf-8', source: overridden ? 'sniff' : source, ...(overridden ? { overridden } : {}) };
  }
  if (enc && MULTIBYTE.has(enc)) {
    const text = decodeWith(bytes, enc);
    if (replacementShare(text) < 0.001) return { text, encoding: enc, source };
  }
  if (!enc || enc === 'utf-8') {
    // A few broken sequences in a UTF-8 document (a truncated character, one pasted Latin-1
    // byte) should not turn its other characters into mojibake.
    const text = decodeWith(bytes, 'utf-8');
    if (replacementShare(text) < 0.001) return { text, encoding: 'utf-8', source };
  }
  // Declared UTF-8 (but invalid), a single-byte charset, a misfit multi-byte one, or nothing:
  // ask the bytes. A confident multi-byte guess that decodes cleanly wins over a declaration
  // that cannot be checked (every byte is valid Latin-1).
  const guess = sniff(bytes);
  if (guess && (MULTIBYTE.has(guess.encoding) ? guess.confidence >= 30 : guess.confidence >= 50 && !enc)) {
    const text = decodeWith(bytes, guess.encoding);
    if (replacementShare(text) < 0.001) {
      return { text, encoding: guess.encoding, source: 'sniff', ...(first ? { overridden: first[2] } : {}) };
    }
  }
  const fallback = enc && enc !== 'utf-8' ? enc : guess?.encoding ?? 'windows-1252';
  return { text: decodeWith(bytes, fallback), encoding: fallback, source: enc && enc !== 'utf-8' ? source : 'sniff' };
}
