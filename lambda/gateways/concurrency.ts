// Gateway helper: bounded concurrency for fan-out AWS reads (EKS regions, per-cluster describes). No I/O itself.

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. After the
 * first failure no new item is started and the returned promise rejects with that failure.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  // A shared cursor rather than items.entries(): the iterator allocated a pair per item (10k for a snapshot audit).
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workerCount = Math.min(normaliseLimit(limit), items.length);
  await Promise.all(Array.from({ length: workerCount }, worker));
  return results;
}

/** A limiter shared by many call sites: `run(task)` starts the task once fewer than `limit` are in flight. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createLimiter(limit: number): Limiter {
  const max = normaliseLimit(limit);
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (active < max) {
      active += 1;
      return;
    }
    // The releasing task hands its slot over directly, so `active` stays unchanged.
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const nextInLine = waiting.shift();
    if (nextInLine === undefined) active -= 1;
    else nextInLine();
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

function normaliseLimit(limit: number): number {
  return Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : 1;
}
