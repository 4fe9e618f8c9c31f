// Tests for the bounded-concurrency helpers used by the EKS fan-out.
import fc from 'fast-check';
import { createLimiter, mapWithConcurrency } from '../../lambda/gateways/concurrency';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the bound (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(3), { maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          let now = 0;
          let max = 0;
          const results = await mapWithConcurrency(delays, limit, async (turns, index) => {
            now += 1;
            max = Math.max(max, now);
            for (let i = 0; i < turns; i += 1) await turn();
            now -= 1;
            return index * 10;
          });
          expect(results).toEqual(delays.map((_, index) => index * 10));
          expect(max).toBeLessThanOrEqual(limit);
          if (delays.length > 0) expect(max).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses the whole bound when there is enough work', async () => {
    let now = 0;
    let max = 0;
    await mapWithConcurrency([1, 2, 3, 4, 5, 6], 4, async () => {
      now += 1;
      max = Math.max(max, now);
      await turn();
      now -= 1;
    });
    expect(max).toBe(4);
  });

  it('rejects with the first failure and starts no further items', async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await turn();
      if (item === 1) throw new Error('item 1 failed');
      return item;
    });
    await expect(run).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1, 2]);
  });

  it('treats a nonsensical bound as 1 and handles an empty list', async () => {
    let now = 0;
    let max = 0;
    await mapWithConcurrency([1, 2, 3], 0, async () => {
      now += 1;
      max = Math.max(max, now);
      await turn();
      now -= 1;
    });
    expect(max).toBe(1);
    await expect(mapWithConcurrency([], 3, async () => 1)).resolves.toEqual([]);
  });
});

describe('createLimiter', () => {
  it('holds tasks from many call sites to the bound and hands slots over on release', async () => {
    const limiter = createLimiter(2);
    let now = 0;
    let max = 0;
    const task = async (value: number) => {
      now += 1;
      max = Math.max(max, now);
      await turn();
      now -= 1;
      return value;
    };
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => limiter.run(() => task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(max).toBe(2);
  });

  it('hands a released slot to the first waiter, not to a caller that arrives later', async () => {
    const limiter = createLimiter(1);
    const order: string[] = [];
    let finishA = () => {};
    let finishB = () => {};
    const a = limiter.run(async () => {
      order.push('A starts');
      await new Promise<void>((resolve) => {
        finishA = resolve;
      });
    });
    const b = limiter.run(async () => {
      order.push('B starts');
      await new Promise<void>((resolve) => {
        finishB = resolve;
      });
      order.push('B ends');
    });
    await turn();
    finishA();
    await a;
    const c = limiter.run(async () => {
      order.push('C starts');
    });
    await turn();
    expect(order).toEqual(['A starts', 'B starts']);
    finishB();
    await Promise.all([b, c]);
    expect(order).toEqual(['A starts', 'B starts', 'B ends', 'C starts']);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});
