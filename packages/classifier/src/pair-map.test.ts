import { describe, expect, it } from 'vitest';
import { PairMap } from './pair-map.js';

describe('PairMap', () => {
  it('agrees with a Map over many random pairs, through growth', () => {
    const m = new PairMap(4);
    const ref = new Map<string, number>();
    let seed = 1;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 20000; i++) {
      const a = rnd(5000);
      const b = rnd(65536);
      m.set(a, b, i);
      ref.set(`${a},${b}`, i);
    }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      expect(m.get(a, b)).toBe(v);
    }
    expect(m.get(5001, 3)).toBe(-1);
  });
});
