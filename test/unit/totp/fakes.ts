import type { Clipboard, SecretStore, StateStore, Timers } from '../../../src/core/totp';

/** In-memory SecretStorage; `failStore` makes the next store() reject (an OS keyring error). */
export class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  failStore = false;
  async get(key: string) { return this.map.get(key); }
  async store(key: string, value: string) {
    if (this.failStore) throw new Error('keyring unavailable');
    this.map.set(key, value);
  }
  async delete(key: string) { this.map.delete(key); }
}

/** In-memory globalState that, like the real one, keeps a JSON copy. */
export class MemoryState implements StateStore {
  readonly map = new Map<string, string>();
  failUpdate = false;
  get<T>(key: string): T | undefined {
    const v = this.map.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async update(key: string, value: unknown) {
    if (this.failUpdate) throw new Error('state write failed');
    this.map.set(key, JSON.stringify(value));
  }
  dump(): string { return [...this.map.values()].join('\n'); }
}

/** A manual clock: timers fire only when the test advances time. */
export class ManualClock implements Timers {
  ms: number;
  private next = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(startMs: number) { this.ms = startMs; }
  now = (): number => this.ms;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.set(id, { at: this.ms + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => { this.timers.delete(handle as number); };
  /** Moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.ms + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.ms = due[1].at;
      due[1].fn();
    }
    this.ms = end;
  }
}

export class MemoryClipboard implements Clipboard {
  text = '';
  async readText() { return this.text; }
  async writeText(value: string) { this.text = value; }
}

/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
