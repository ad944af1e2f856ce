import { createLimiter } from '../core/rateLimit';

/**
 * Runs `work` for each item with at most `concurrency` at once, in input order of starting.
 * After the signal aborts no new item starts; items already started finish (or stop at their next
 * AWS call). Each item's outcome is its own: `work` must not throw for one item's failure.
 * The shared limiter bounds the calls themselves; this bounds the root sessions held at once (one
 * limiter for both would deadlock: a session waits for a call slot its peers hold).
 */
export async function forEachAccount<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<R>,
): Promise<{ done: R[]; notStarted: T[] }> {
  const pool = createLimiter({ ratePerSecond: 0, concurrency });
  const done: R[] = [];
  const notStarted: T[] = [];
  await Promise.all(items.map((item) =>
    pool.run(async () => {
      if (signal?.aborted) {
        notStarted.push(item);
        return;
      }
      done.push(await work(item));
    }),
  ));
  return { done, notStarted };
}
