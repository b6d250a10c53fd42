import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseFeedFile } from '../parse.js';
import { htmlToText } from '../text.js';
import type { ParseResult } from '../types.js';
import { evaluate, PyError, Unsupported, type Env } from './py-expect.js';

/** One file of the feedparser corpus with its header (see the corpus README). */
export interface CorpusCase {
  path: string;
  rel: string;
  expect: string | null;
  headers: Record<string, string>;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else if (/\.(xml|json)$/.test(name)) out.push(p);
  }
  return out;
}

/** Decodes the header the way upstream does: BOM or `<?` pattern, else UTF-8 ignoring errors. */
function headerText(bytes: Buffer): string {
  const [a, b, c, d] = bytes;
  let enc = 'utf-8';
  if ((a === 0 && b === 0 && c === 0xfe && d === 0xff) || (a === 0 && b === 0 && c === 0 && d === 0x3c)) enc = 'utf-32be';
  else if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0x3c && b === 0 && c === 0 && d === 0)) enc = 'utf-32le';
  else if ((a === 0xfe && b === 0xff) || (a === 0 && b === 0x3c)) enc = 'utf-16be';
  else if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0)) enc = 'utf-16le';
  if (enc.startsWith('utf-32')) {
    // TextDecoder has no UTF-32: read code units by hand (only the header is needed).
    let s = '';
    for (let i = 0; i + 3 < Math.min(bytes.length, 8192); i += 4) {
      const cp = enc === 'utf-32be' ? bytes.readUInt32BE(i) : bytes.readUInt32LE(i);
      if (cp <= 0x10ffff) s += String.fromCodePoint(cp);
    }
    return s;
  }
  return new TextDecoder(enc).decode(bytes.subarray(0, 8192));
}

export function loadCorpus(root: string): CorpusCase[] {
  return listFiles(root).map((path) => {
    const head = headerText(readFileSync(path));
    const expect = /Description:\s*[\s\S]*?Expect:\s*(.*)\s*-->/.exec(head)?.[1]?.trim() ?? null;
    const headers: Record<string, string> = {};
    for (const m of head.matchAll(/^Header:\s+([^:]+):(.*)$/gm)) headers[m[1]!.trim().toLowerCase()] = m[2]!.trim();
    return { path, rel: relative(root, path), expect, headers };
  });
}

export async function parseCase(c: CorpusCase): Promise<ParseResult> {
  const docUrl = `http://127.0.0.1:8097/tests/${c.rel}`;
  const base = c.rel.includes('http') && c.headers['content-location'] ? new URL(c.headers['content-location'], docUrl).href : docUrl;
  return parseFeedFile(readFileSync(c.path), {
    url: base,
    contentType: c.rel.includes('http') ? (c.headers['content-type'] ?? 'text/xml') : null,
    now: new Date('2030-01-01T00:00:00Z'),
  });
}

/** Whether the Expect line checks a feed title, an entry title or link, or the number of entries. */
export function checksTitleLinkOrCount(expect: string): boolean {
  return /feed(\['title'\]|\.title\b)|entries\[\d+\](\['(title|link)'\]|\.(title|link)\b)|len\(entries\)/.test(expect);
}

const norm = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

/**
 * Feedparser keeps markup in titles (sanitised HTML); Radar's titles are plain text. Two strings
 * agree when equal as they are, or when their visible texts are equal.
 */
export function sameText(ours: string, theirs: string): boolean {
  if (norm(ours) === norm(theirs)) return true;
  return norm(htmlToText(ours)) === norm(htmlToText(theirs)) || norm(ours) === norm(htmlToText(theirs));
}

function supported<T extends object>(o: T, keys: string[]): T & { __supported: Set<string> } {
  return Object.assign(o, { __supported: new Set(keys) });
}

export function envOf(r: ParseResult): Env {
  const feed: Record<string, unknown> = {};
  const entries: Record<string, unknown>[] = [];
  if (r.ok) {
    // Radar's titles are plain text, so a title made only of markup (`<img>`) is empty, not absent.
    feed['title'] = r.feed.title ?? '';
    if (r.feed.link) feed['link'] = r.feed.link;
    if (r.feed.language) feed['language'] = r.feed.language;
    for (const it of r.items) {
      const e: Record<string, unknown> = {};
      e['title'] = it.title ?? '';
      if (it.link) e['link'] = it.link;
      if (it.guid) e['id'] = it.guid;
      entries.push(supported(e, ['title', 'link', 'id']));
    }
  }
  return {
    bozo: !r.ok || r.repaired,
    feed: supported(feed, ['title', 'link', 'language']),
    channel: supported(feed, ['title', 'link', 'language']),
    entries,
    items: entries,
  };
}

export type Verdict = 'agree' | 'disagree' | 'unsupported';

export function judge(expect: string, r: ParseResult): Verdict {
  try {
    return evaluate(expect, envOf(r), sameText) ? 'agree' : 'disagree';
  } catch (e) {
    if (e instanceof Unsupported) return 'unsupported';
    if (e instanceof PyError) return 'disagree';
    throw e;
  }
}
