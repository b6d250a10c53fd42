/**
 * Bytes of a page to text, for callers that hold bytes (tests, the CLI reading files). The
 * crawler decodes its own responses; this follows the same order as browsers do: a byte order
 * mark, the charset the caller got from the Content-Type header, a <meta> charset declaration
 * in the first KB, else UTF-8 (and GB18030 when the bytes are not valid UTF-8, the commonest
 * legacy encoding on Chinese sites).
 */
export function decodeHtml(bytes: Uint8Array, charset?: string | null): string {
  const bom = sniffBom(bytes);
  const label = bom ?? normalise(charset) ?? normalise(sniffMeta(bytes));
  if (label) {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown label: fall through to the default.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function sniffBom(b: Uint8Array): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return null;
}

function sniffMeta(b: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(b.subarray(0, 2048));
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head);
  return m?.[1] ?? null;
}

function normalise(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().toLowerCase();
  // GB2312 and GBK pages routinely use characters only GB18030 (their superset) names.
  if (l === 'gb2312' || l === 'gbk' || l === 'x-gbk' || l === 'gb_2312-80') return 'gb18030';
  return l;
}
