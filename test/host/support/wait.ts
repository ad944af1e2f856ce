// Waiting in host tests: for a condition, never for a time. A test polls what it needs to see with
// a deadline; past the deadline it fails and says what it waited for and what it saw last, so a
// loaded machine can make a test slow, but can neither hang it nor let it pass without checking.
import * as assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';

export interface WaitOptions {
  /** How long to wait before failing (default 15 s). */
  timeoutMs?: number;
  /** Pause between two reads (default 50 ms). */
  intervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * Reads `read()` until `ok` accepts the value and returns that value; fails the test with
 * "timed out waiting for <what>" and the last value read when the deadline passes first.
 */
export async function until<T>(what: string, read: () => T | PromiseLike<T>, ok: (v: T) => boolean, options: WaitOptions | number = {}): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${show(value)}`);
    await pause(intervalMs);
    value = await read();
  }
  return value;
}

/** Waits for a promise to settle, failing the test with "timed out waiting for <what>" after the deadline. */
export async function settled<T>(what: string, promise: PromiseLike<T>, timeoutMs = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `timed out after ${timeoutMs} ms waiting for ${what}` })), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** One Node timer (setTimeout) created while a {@link watchTimers} watch was on. */
export interface WatchedTimer {
  /** Its delay in ms, as given to setTimeout. */
  readonly delayMs: number;
  /** When it was created (Date.now()). */
  readonly createdAt: number;
  /** When its callback started, once it has (Date.now()). */
  firedAt?: number;
  /** Its callback has returned (what it started synchronously, e.g. a request, is on its way). */
  done: boolean;
}

export interface TimerWatch {
  /** The timers created since the watch started (not only the extension's: filter by delay). */
  readonly timers: WatchedTimer[];
  /** Stops recording new timers; those already recorded are still followed until they fire. */
  stop(): void;
  /** Ends the watch altogether. */
  dispose(): void;
}

/**
 * Records the setTimeout timers created in this process (the extension host runs the extension
 * and the tests) and when each one fires: the positive event a test waits for when it checks
 * that a delayed action did *not* happen, instead of sleeping past the delay.
 */
export function watchTimers(): TimerWatch {
  const timers: WatchedTimer[] = [];
  const byId = new Map<number, WatchedTimer>();
  let recording = true;
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (!recording || type !== 'Timeout') return;
      const delayMs = (resource as { _idleTimeout?: number })._idleTimeout;
      if (typeof delayMs !== 'number' || delayMs < 0) return;
      const timer: WatchedTimer = { delayMs, createdAt: Date.now(), done: false };
      timers.push(timer);
      byId.set(asyncId, timer);
    },
    before(asyncId) {
      const timer = byId.get(asyncId);
      if (timer && timer.firedAt === undefined) timer.firedAt = Date.now();
    },
    after(asyncId) {
      const timer = byId.get(asyncId);
      if (timer) timer.done = true;
    },
    destroy(asyncId) {
      byId.delete(asyncId);
    },
  }).enable();
  return {
    timers,
    stop: () => {
      recording = false;
    },
    dispose: () => {
      recording = false;
      hook.disable();
      byId.clear();
    },
  };
}
