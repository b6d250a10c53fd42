/**
 * A hash table from a pair of non-negative integers (a, b < 65536) to a non-negative integer,
 * in typed arrays with open addressing. The two hot lookups of classify() go through it: the
 * Aho-Corasick transitions (state, code unit) and the model's Chinese bigrams (char, char); a
 * JavaScript Map keyed by numbers is several times slower there and allocates.
 */
export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 16) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keysA = new Int32Array(n).fill(-1);
    this.keysB = new Int32Array(n);
    this.values = new Int32Array(n);
    this.mask = n - 1;
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
  }

  /** The value for (a, b), or -1. */
  get(a: number, b: number): number {
    const { keysA, keysB, mask } = this;
    for (let i = this.slot(a, b) & mask; ; i = (i + 1) & mask) {
      const k = keysA[i]!;
      if (k === -1) return -1;
      if (k === a && keysB[i] === b) return this.values[i]!;
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keysA.length) this.grow();
    const { keysA, keysB, mask } = this;
    for (let i = this.slot(a, b) & mask; ; i = (i + 1) & mask) {
      const k = keysA[i]!;
      if (k === -1) {
        keysA[i] = a;
        keysB[i] = b;
        this.values[i] = value;
        this.size++;
        return;
      }
      if (k === a && keysB[i] === b) {
        this.values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    const n = keysA.length * 2;
    this.keysA = new Int32Array(n).fill(-1);
    this.keysB = new Int32Array(n);
    this.values = new Int32Array(n);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < keysA.length; i++) if (keysA[i] !== -1) this.set(keysA[i]!, keysB[i]!, values[i]!);
  }
}
