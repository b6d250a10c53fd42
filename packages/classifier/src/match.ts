import { blocksHit, family, type Dictionary, type Hit, type NearRule, type Pattern, type TrapInfo } from './dictionary.js';
import type { Normalised } from './normalise.js';
import { joinable, type Token } from './tokens.js';

export type Field = 'title' | 'body';

/** One field of the input, normalised and cut into Latin words. */
export interface FieldText {
  field: Field;
  norm: Normalised;
  tokens: Token[];
}

/** A pattern found in a field, in normalised offsets. */
export interface Found {
  p: Pattern;
  field: Field;
  start: number;
  end: number;
}

/** A match's contribution to one label, kept or not. */
export interface Counted {
  found: Found;
  hit: Hit;
  /** Why it does not count; undefined when it counts. */
  suppressed?: string;
}

export interface MatchResult {
  counted: Counted[];
  /** Active trap spans per field (normalised offsets): hidden from the model. */
  traps: { field: Field; start: number; end: number; info: TrapInfo; text: string }[];
}

const HAS_CJK = /[\u3400-\u9fff]/;
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

function walk(root: Map<string, Trie>, f: FieldText, exact: boolean, out: Found[]): void {
  const { tokens } = f;
  const text = f.norm.text;
  for (let i = 0; i < tokens.length; i++) {
    let node = root.get(exact ? tokens[i]!.word : tokens[i]!.stem);
    let j = i;
    while (node) {
      if (node.pattern) out.push({ p: node.pattern, field: f.field, start: tokens[i]!.start, end: tokens[j]!.end });
      const nxt = tokens[j + 1];
      if (!nxt || node.next.size === 0 || !joinable(text, tokens[j]!.end, nxt.start)) break;
      j++;
      node = node.next.get(exact ? nxt.word : nxt.stem);
    }
  }
}
type Trie = { next: Map<string, Trie>; pattern?: Pattern };

/** Every occurrence of every pattern in one field, overlapping ones included. */
export function findAll(dict: Dictionary, f: FieldText): Found[] {
  const out: Found[] = [];
  walk(dict.stemTrie, f, false, out);
  walk(dict.exactTrie, f, true, out);
  const text = f.norm.text;
  // Chinese patterns all contain a Chinese character: text without one cannot match them.
  if (dict.ac && HAS_CJK.test(text)) {
    dict.ac.search(text, (index, start, end) => {
      const p = dict.cjk[index]!;
      // A term that begins or ends with a Latin letter must not run into a neighbouring word.
      if (isWordChar(p.text.charCodeAt(0)) && start > 0 && isWordChar(text.charCodeAt(start - 1))) return;
      if (isWordChar(p.text.charCodeAt(p.text.length - 1)) && isWordChar(text.charCodeAt(end))) return;
      out.push({ p, field: f.field, start, end });
    });
  }
  return out;
}

const WINDOW = 40;

/**
 * Co-occurrence rules: for each rule, the first term of one side within `within` characters of a
 * term of the other side counts as one piece of evidence (its text "a…b"). A side overlapping a
 * trap that blocks the rule's label does not count. `found` is in start order.
 */
const nearProbes = new WeakMap<Dictionary, Hit[]>();
/** One shared Hit per co-occurrence rule, standing for its label when deciding which traps run. */
function nearProbe(dict: Dictionary, rule: number): Hit {
  let probes = nearProbes.get(dict);
  if (!probes) nearProbes.set(dict, (probes = dict.near.map((r) => nearHit(r))));
  return probes[rule]!;
}

function nearHit(r: NearRule): Hit {
  return { label: r.label, kind: r.kind, w: r.w, amb: false, ...(r.region ? { region: r.region } : {}), src: r.src };
}

function nearMatches(dict: Dictionary, field: Field, found: Found[], traps: MatchResult['traps']): Counted[] {
  const sides = new Map<number, [Found[], Found[]]>();
  for (const m of found) {
    for (const n of m.p.near!) {
      const probe = nearProbe(dict, n.rule);
      if (traps.some((t) => t.start < m.end && m.start < t.end && blocksHit(t.info.blocks, probe))) continue;
      let s = sides.get(n.rule);
      if (!s) sides.set(n.rule, (s = [[], []]));
      s[n.side].push(m);
    }
  }
  const out: Counted[] = [];
  for (const [index, [as, bs]] of sides) {
    if (as.length === 0 || bs.length === 0) continue;
    const rule = dict.near[index]!;
    let pair: [Found, Found] | undefined;
    for (const x of as) {
      for (const y of bs) {
        if (y.start > x.end + rule.within) break;
        if (y.end + rule.within < x.start || y === x) continue;
        pair = x.start <= y.start ? [x, y] : [y, x];
        break;
      }
      if (pair) break;
    }
    if (!pair) continue;
    const hit = nearHit(rule);
    const p = { text: `${pair[0].p.text}…${pair[1].p.text}`, hits: [hit] };
    out.push({ found: { p, field, start: pair[0].start, end: Math.max(pair[0].end, pair[1].end) }, hit });
  }
  return out;
}

/**
 * Decides which matches count. The rules, in order:
 * 1. the longest match wins: a term inside a longer trap (for the labels it blocks), or inside a
 *    longer term of other labels
 *    ("量子" in "量子位", "北京" in "北京时间", "中关村" in "中关村银行", "加密" in "加密货币"),
 *    does not count;
 * 2. a trap overlapping a term suppresses it for the labels the trap blocks (regex traps too);
 * 3. an ambiguous place name counts only when the text is otherwise about its region (or, for a
 *    lenient one, no conflicting place occurs anywhere) and no conflicting place (辽宁 next to
 *    朝阳, 南通 next to 通州) stands within 40 characters.
 */
export function resolve(dict: Dictionary, fields: FieldText[]): MatchResult {
  const counted: Counted[] = [];
  const traps: MatchResult['traps'] = [];
  for (const f of fields) {
    const all = findAll(dict, f);
    all.sort((a, b) => a.start - b.start || b.end - a.end);
    const text = f.norm.text;
    const fieldTraps: MatchResult['traps'] = [];
    // A regex trap runs only when the field holds a term it could suppress.
    const candidates = new Set<Hit>();
    for (const m of all) {
      for (const h of m.p.hits) candidates.add(h);
      // A side of a co-occurrence rule ("terminal" near "in real time") has no hit of its own,
      // but a trap must still be able to suppress it ("airport terminal").
      if (m.p.near) for (const n of m.p.near) candidates.add(nearProbe(dict, n.rule));
    }
    for (const info of dict.regexTraps) {
      let useful = false;
      for (const h of candidates) if ((useful = blocksHit(info.info.blocks, h))) break;
      if (!useful) continue;
      if (info.requires && !info.requires.some((r) => text.includes(r))) continue;
      info.re.lastIndex = 0;
      for (let m = info.re.exec(text); m; m = info.re.exec(text)) {
        if (m[0].length === 0) {
          info.re.lastIndex++;
          continue;
        }
        const pre = m.groups?.['pre']?.length ?? 0;
        fieldTraps.push({ field: f.field, start: m.index - pre, end: m.index + m[0].length, info: info.info, text: text.slice(m.index - pre, m.index + m[0].length) });
      }
    }
    let reach = -1;
    const nearFound: Found[] = [];
    for (let i = 0; i < all.length; i++) {
      const m = all[i]!;
      if (m.p.near) nearFound.push(m);
      // The longer matches containing this one: all is sorted by start (longest first at equal
      // start), so they come before it, none does when no earlier match reaches its end, and
      // none starts more than the longest span before it (linear time on long texts).
      const containers: Found[] = [];
      if (reach >= m.end) {
        for (let k = i - 1; k >= 0; k--) {
          const o = all[k]!;
          if (o.start < m.end - dict.maxSpan) break;
          if (o.end >= m.end && o.end - o.start > m.end - m.start) containers.push(o);
        }
      }
      if (m.end > reach) reach = m.end;
      if (m.p.hits.length === 0) {
        if (m.p.trap && !containers.some((o) => o.p.hits.length > 0)) {
          fieldTraps.push({ field: f.field, start: m.start, end: m.end, info: m.p.trap, text: m.p.text });
        }
        continue;
      }
      for (const hit of m.p.hits) {
        // Inside a longer term that also supports this label ("AI" in "AI chip") both count;
        // inside a trap that blocks its label, or a term of other labels of the same family ("加密" in "加密货币",
        // "中关村" in "中关村银行"), it does not. A place inside a technology term
        // ("北京" in "北京国际大数据交易所") still counts.
        const over = containers.find(
          (o) =>
            (o.p.hits.length === 0 && o.p.trap !== undefined && blocksHit(o.p.trap.blocks, hit)) ||
            (o.p.hits.some((h) => family(h.kind) === family(hit.kind)) &&
              !o.p.hits.some((h) => h.label === hit.label && h.kind === hit.kind)),
        );
        counted.push(over ? { found: m, hit, suppressed: `inside "${over.p.text}"` } : { found: m, hit });
      }
    }
    // Two place names that overlap without one containing the other ("位于中关村" / "中关村门头沟园"):
    // the longer reading wins.
    // (places is in start order, like all; only neighbours within the longest span can overlap)
    const places = counted.filter((c) => !c.suppressed && c.found.field === f.field && family(c.hit.kind) === 'place');
    for (let i = 0; i < places.length; i++) {
      const c = places[i]!;
      const len = c.found.end - c.found.start;
      const overlaps = (o: Counted) =>
        o.found !== c.found &&
        o.found.start < c.found.end &&
        c.found.start < o.found.end &&
        o.found.end - o.found.start > len &&
        !(o.found.start <= c.found.start && c.found.end <= o.found.end) &&
        !o.found.p.hits.some((h) => h.label === c.hit.label && h.kind === c.hit.kind);
      let longer: Counted | undefined;
      for (let j = i - 1; j >= 0 && !longer && places[j]!.found.start >= c.found.start - dict.maxSpan; j--) if (overlaps(places[j]!)) longer = places[j];
      for (let j = i + 1; j < places.length && !longer && places[j]!.found.start < c.found.end; j++) if (overlaps(places[j]!)) longer = places[j];
      if (longer) c.suppressed = `overlaps the longer place name "${longer.found.p.text}"`;
    }
    // Traps in start order; for each term only those starting within the longest trap before it.
    fieldTraps.sort((a, b) => a.start - b.start);
    let longestTrap = 0;
    for (const t of fieldTraps) longestTrap = Math.max(longestTrap, t.end - t.start);
    for (const c of counted) {
      if (c.suppressed || c.found.field !== f.field) continue;
      let lo = 0;
      let hi = fieldTraps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (fieldTraps[mid]!.start < c.found.start - longestTrap) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < fieldTraps.length && fieldTraps[k]!.start < c.found.end; k++) {
        const t = fieldTraps[k]!;
        if (t.start < c.found.end && c.found.start < t.end && blocksHit(t.info.blocks, c.hit)) {
          // A term that strictly contains an exact trap ("多云管理" over "多云") wins.
          const contains = c.found.start <= t.start && t.end <= c.found.end && c.found.end - c.found.start > t.end - t.start;
          if (contains && !dict.regexTraps.some((r) => r.info === t.info)) continue;
          c.suppressed = `trap "${t.text}": ${t.info.note}`;
          break;
        }
      }
    }
    if (nearFound.length > 1) counted.push(...nearMatches(dict, f.field, nearFound, fieldTraps));
    traps.push(...fieldTraps);
  }
  // Region context from unambiguous evidence, then ambiguous names.
  const context = new Set<string>();
  for (const c of counted) {
    if (!c.suppressed && !c.hit.amb && c.hit.region && c.hit.kind !== 'elsewhere' && c.hit.w >= 0.5) context.add(c.hit.region);
  }
  const conflictAnywhere = new Map<string[], boolean>();
  for (const c of counted) {
    if (c.suppressed || !c.hit.amb) continue;
    let lenientOk = false;
    if (c.hit.lenient) {
      const conflicts = c.hit.conflicts ?? [];
      let found = conflictAnywhere.get(conflicts);
      if (found === undefined) {
        found = fields.some((f) => conflicts.some((x) => f.norm.text.includes(x)));
        conflictAnywhere.set(conflicts, found);
      }
      lenientOk = !found;
    }
    if (!lenientOk && (!c.hit.region || !context.has(c.hit.region))) {
      c.suppressed = `ambiguous place name: nothing else places the story in ${c.hit.region ?? 'the region'}`;
      continue;
    }
    const f = fields.find((x) => x.field === c.found.field)!;
    const around = f.norm.text.slice(Math.max(0, c.found.start - WINDOW), c.found.end + WINDOW);
    const conflict = c.hit.conflicts?.find((x) => around.includes(x));
    if (conflict) c.suppressed = `"${conflict}" nearby: the same name elsewhere`;
  }
  return { counted, traps };
}
