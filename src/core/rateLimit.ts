import { isThrottling } from './throttling';
import { MANAGEMENT as MANAGEMENT_ACCOUNT } from './awsQuotas';

/**
 * The one limiter every AWS call is paced by, keyed the way AWS throttles: one adaptive rate
 * bucket per key (service and calling account, and the API where AWS throttles per API), a global
 * cap on calls in flight (sockets and CPU), an optional ceiling per account, and the old global
 * rate when someone still sets it. A throttling answer halves that key's rate and is retried here
 * (the SDK clients leave throttling to us, see src/aws/clients.ts); successes bring the rate back
 * up to the key's quota. One slow key never slows another.
 */
export interface LimitKey {
  /** `organizations`, `sts`, `s3`, `sqs`, `iam` … */
  service: string;
  /** The account whose quota the call counts against (the caller's account, or the organization's management account). */
  account: string;
  /** Set where AWS throttles per API (Organizations). */
  api?: string;
}

export interface LimiterStats {
  /** Calls started (each attempt counts once). */
  started: number;
  /** Throttling answers seen. */
  throttled: number;
  /** Attempts made again after a throttling answer. */
  retried: number;
}

export interface Limiter {
  run<T>(task: () => Promise<T>, key?: LimitKey): Promise<T>;
  /** Calls started so far (for progress and benchmarks). */
  readonly started: number;
  readonly stats: LimiterStats;
  /** The rate a key is paced at now (requests per second; Infinity = not paced). */
  rateOf(key: LimitKey): number;
}

export interface LimiterOptions {
  /** Old global rate for every call together (rootTasks.requestsPerSecond); 0 or Infinity: none. */
  ratePerSecond: number;
  /** How many calls may be in flight at once. */
  concurrency: number;
  /** Tokens the global rate may accumulate while idle (default: one second's worth, at least 1). */
  burst?: number;
  /** A key's quota in requests per second (its starting and highest rate); undefined: not paced until throttled. */
  quotaOf?: (key: LimitKey) => number | undefined;
  /** Optional ceiling per account, over all its services (0 or undefined: none). */
  perAccountPerSecond?: number;
  /** Attempts per call when AWS answers "throttled" (default 8). */
  maxThrottleAttempts?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Rate a key falls back to when it was throttled without a known quota. */
const UNKNOWN_QUOTA_START = 20;
const MIN_RATE = 0.5;

interface Bucket {
  rate: number;
  max: number;
  /** Theoretical arrival time of the next call (GCRA), ms. */
  tat: number;
  /** How far ahead of the pace a call may start (the burst), ms. */
  burstMs: number;
  /** Tokens are handed out in FIFO order per bucket, so no caller starves. */
  chain: Promise<void>;
}

export function createLimiter(options: LimiterOptions): Limiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const finite = (v: number | undefined) => (v !== undefined && v > 0 && Number.isFinite(v) ? v : 0);
  const globalRate = finite(options.ratePerSecond);
  const perAccount = finite(options.perAccountPerSecond);
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const maxAttempts = Math.max(1, options.maxThrottleAttempts ?? 8);
  const stats: LimiterStats = { started: 0, throttled: 0, retried: 0 };

  const bucket = (rate: number, burst: number): Bucket => ({
    rate, max: rate, tat: now(), burstMs: ((Math.max(1, burst) - 1) / (rate || 1)) * 1000, chain: Promise.resolve(),
  });
  const global = globalRate ? bucket(globalRate, options.burst ?? Math.ceil(globalRate)) : undefined;
  const keys = new Map<string, Bucket>();
  const accounts = new Map<string, Bucket>();
  const keyName = (k: LimitKey) => `${k.service}|${k.account}|${k.api ?? ''}`;
  const keyBucket = (k: LimitKey): Bucket => {
    const name = keyName(k);
    let b = keys.get(name);
    if (!b) {
      const quota = finite(options.quotaOf?.(k));
      // Smooth pacing (a burst of one): AWS's buckets hold a second's worth, so arrival jitter is absorbed there.
      b = bucket(quota || Infinity, 1);
      keys.set(name, b);
    }
    return b;
  };
  const accountBucket = (account: string): Bucket | undefined => {
    if (!perAccount) return undefined;
    let b = accounts.get(account);
    if (!b) accounts.set(account, (b = bucket(perAccount, 1)));
    return b;
  };

  const take = (b: Bucket): Promise<void> => {
    if (!Number.isFinite(b.rate)) return Promise.resolve();
    const next = b.chain.then(async () => {
      const t = now();
      const interval = 1000 / b.rate;
      const start = Math.max(t, b.tat - b.burstMs);
      b.tat = Math.max(b.tat, start) + interval;
      if (start > t) await sleep(start - t);
    });
    b.chain = next;
    return next;
  };

  const onThrottle = (b: Bucket) => {
    b.rate = Number.isFinite(b.rate) ? Math.max(MIN_RATE, b.rate / 2) : UNKNOWN_QUOTA_START;
    if (!Number.isFinite(b.max)) b.max = UNKNOWN_QUOTA_START;
    // No call of this key starts before the slower pace says so.
    b.tat = Math.max(b.tat, now() + 1000 / b.rate);
  };
  // Additive recovery: about twenty successes from half back to the quota.
  const onSuccess = (b: Bucket) => {
    if (b.rate < b.max) b.rate = Math.min(b.max, b.rate + b.max / 40);
  };

  // A free slot goes to the waiting call whose member account started calling first (the
  // management account's calls — AssumeRoot, Organizations — first of all), FIFO among equals. A
  // bulk scan runs a few more accounts than slots; this way the accounts begun first finish
  // first (their findings show early) and the later ones fill the gaps between their calls.
  // The order restarts whenever the limiter falls idle.
  let active = 0;
  const waiting: Array<{ rank: number; go: () => void }> = [];
  const ranks = new Map<string, number>();
  const rankOf = (key: LimitKey | undefined): number => {
    if (!key || key.account === MANAGEMENT_ACCOUNT) return 0;
    let r = ranks.get(key.account);
    if (r === undefined) ranks.set(key.account, (r = ranks.size + 1));
    return r;
  };
  const acquireSlot = (key: LimitKey | undefined): Promise<void> => {
    const rank = rankOf(key);
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((go) => {
      let i = waiting.length;
      while (i > 0 && waiting[i - 1]!.rank > rank) i--;
      waiting.splice(i, 0, { rank, go });
    });
  };
  const releaseSlot = () => {
    const next = waiting.shift();
    if (next) next.go();
    else if (--active === 0) ranks.clear();
  };

  return {
    get started() {
      return stats.started;
    },
    stats,
    rateOf: (k) => keyBucket(k).rate,
    async run<T>(task: () => Promise<T>, key?: LimitKey): Promise<T> {
      const b = key ? keyBucket(key) : undefined;
      const acct = key ? accountBucket(key.account) : undefined;
      for (let attempt = 1; ; attempt++) {
        // The key's pace first, outside the in-flight cap: a slow key waiting holds no slot.
        if (b) await take(b);
        if (acct) await take(acct);
        if (global) await take(global);
        await acquireSlot(key);
        try {
          stats.started++;
          const result = await task();
          if (b) onSuccess(b);
          return result;
        } catch (err) {
          if (!b || !isThrottling(err) || attempt >= maxAttempts) {
            if (isThrottling(err)) stats.throttled++;
            throw err;
          }
          stats.throttled++;
          stats.retried++;
          onThrottle(b);
        } finally {
          releaseSlot();
        }
        // Backoff with jitter on top of the slower pace: AWS's bucket needs time to refill.
        await sleep(Math.min(5000, 50 * 2 ** (attempt - 1)) * (0.5 + random() / 2));
      }
    },
  };
}
