/**
 * Concurrency cap plus a token-bucket rate limit, shared by every AWS call of a listing or scan.
 * AWS throttles per account and API; staying under a configured rate costs less than retrying,
 * and the SDK's adaptive retry still backs off if the real quota is lower.
 */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Calls started so far (for progress and benchmarks). */
  readonly started: number;
}

export interface LimiterOptions {
  /** Requests per second; 0 or Infinity disables the rate limit. */
  ratePerSecond: number;
  /** How many calls may be in flight at once. */
  concurrency: number;
  /** Tokens that may accumulate while idle (default: one second's worth, at least 1). */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createLimiter(options: LimiterOptions): Limiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const rate = options.ratePerSecond > 0 && Number.isFinite(options.ratePerSecond) ? options.ratePerSecond : 0;
  const burst = Math.max(1, options.burst ?? Math.ceil(rate || 1));
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  let tokens = burst;
  let last = now();
  let active = 0;
  let started = 0;
  const waiting: Array<() => void> = [];
  // Rate tokens are handed out in FIFO order through one chain, so no caller starves.
  let tokenChain: Promise<void> = Promise.resolve();

  const takeToken = (): Promise<void> => {
    if (!rate) return Promise.resolve();
    const next = tokenChain.then(async () => {
      for (;;) {
        const t = now();
        tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
        last = t;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(((1 - tokens) / rate) * 1000);
      }
    });
    tokenChain = next;
    return next;
  };

  const acquireSlot = (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  const releaseSlot = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  return {
    get started() {
      return started;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquireSlot();
      try {
        await takeToken();
        started++;
        return await task();
      } finally {
        releaseSlot();
      }
    },
  };
}
