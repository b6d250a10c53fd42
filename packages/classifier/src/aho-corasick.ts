/**
 * Aho-Corasick over UTF-16 code units, for the Chinese dictionary: every occurrence of every
 * pattern in one pass over the raw character stream. Written here rather than taken from npm
 * because the matcher must run on 2,000 articles a second: transitions live in one typed-array
 * hash table keyed by (state, code unit), root transitions in a direct table, outputs are
 * pattern indices, and failure links are followed at build time so a search is a single loop. (The npm `ahocorasick` package, which this
 * replaced, keeps transitions in string-keyed objects and was the slowest step of classify().)
 */
import { PairMap } from './pair-map.js';

export class AhoCorasick {
  /** (state, code unit) -> next state, built first as a Map, then packed into a PairMap. */
  private readonly build = new Map<number, number>();
  private readonly goto = new PairMap();
  /** Transitions from the root, by code unit (0 = none): most steps of a search start there. */
  private readonly root = new Uint32Array(65536);
  private readonly fail: number[] = [0];
  /** Patterns ending at each state, own and inherited through failure links. */
  private readonly out: number[][] = [[]];

  constructor(readonly patterns: string[]) {
    let states = 1;
    patterns.forEach((p, index) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const key = s * 65536 + p.charCodeAt(i);
        let next = this.build.get(key);
        if (next === undefined) {
          next = states++;
          this.build.set(key, next);
          this.out.push([]);
          this.fail.push(0);
        }
        s = next;
      }
      this.out[s]!.push(index);
    });
    for (const [key, next] of this.build) {
      if (key < 65536) this.root[key] = next;
      this.goto.set(Math.floor(key / 65536), key % 65536, next);
    }
    // Breadth-first: failure links of depth-d states from those of depth d-1.
    const children = new Map<number, [number, number][]>();
    for (const [key, next] of this.build) {
      const parent = Math.floor(key / 65536);
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push([key % 65536, next]);
    }
    const queue: number[] = [];
    for (const [, next] of children.get(0) ?? []) queue.push(next);
    for (let q = 0; q < queue.length; q++) {
      const r = queue[q]!;
      for (const [code, s] of children.get(r) ?? []) {
        queue.push(s);
        let f = this.fail[r]!;
        while (f > 0 && this.goto.get(f, code) < 0) f = this.fail[f]!;
        const target = this.goto.get(f, code);
        this.fail[s] = target >= 0 && target !== s ? target : 0;
        const inherited = this.out[this.fail[s]!]!;
        if (inherited.length) this.out[s] = [...this.out[s]!, ...inherited];
      }
    }
  }

  /** Calls found(patternIndex, start, end) for every occurrence, in order of end position. */
  search(text: string, found: (pattern: number, start: number, end: number) => void): void {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next = -1;
      while (s > 0 && (next = this.goto.get(s, code)) < 0) s = this.fail[s]!;
      s = s > 0 ? next : this.root[code]!;
      const out = this.out[s]!;
      for (let k = 0; k < out.length; k++) {
        const p = out[k]!;
        found(p, i + 1 - this.patterns[p]!.length, i + 1);
      }
    }
  }
}
