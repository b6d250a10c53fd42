import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './batcher.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('MicroBatcher', () => {
  it('writes a lone call at once, as a batch of one', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (batches.push(xs), xs.map((x) => x * 2)));
    expect(await b.add(21)).toBe(42);
    expect(batches).toEqual([[21]]);
  });

  it('gathers calls that arrive while a batch is written, up to maxItems', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        batches.push(xs);
        if (batches.length === 1) await gate;
        return xs;
      },
      { maxItems: 3, maxInFlight: 1 },
    );
    const first = b.add(0);
    await tick();
    const rest = [1, 2, 3, 4, 5].map((x) => b.add(x));
    await tick();
    expect(b.waiting).toBe(5);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('fails only the bad item when a batch fails', async () => {
    const b = new MicroBatcher<number, number>(async (xs) => {
      if (xs.includes(13)) throw new Error('unlucky');
      return xs;
    });
    const results = await Promise.allSettled([1, 13, 2].map((x) => b.add(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('unlucky');
  });

  it('rejects every call of a batch whose result count is wrong', async () => {
    const b = new MicroBatcher<number, number>(async () => []);
    await expect(b.add(1)).rejects.toThrow('returned 0 results');
  });

  it('with lingerMs, gathers calls that arrive one at a time, and sends a full batch at once', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (batches.push(xs), xs), { lingerMs: 60, maxItems: 3 });
    const t0 = performance.now();
    const slow = [b.add(1)];
    await tick();
    slow.push(b.add(2));
    await Promise.all(slow);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(batches).toEqual([[1, 2]]);
    const t1 = performance.now();
    await Promise.all([3, 4, 5].map((x) => b.add(x)));
    expect(performance.now() - t1).toBeLessThan(50);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });
});
