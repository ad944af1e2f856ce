import type { ChainHead } from './chain';

/**
 * The chain's head (seq and hash of the newest event) kept outside the log folder — the
 * extension keeps it in its secret storage — so that deleting the newest events, or the whole
 * folder, is noticed: the log must still reach this head. Saved after every durable batch.
 */
export interface HeadStore {
  load(): Promise<ChainHead | undefined>;
  save(head: ChainHead): Promise<void>;
}

/** The stored form: `<seq>:<hash>`. */
export function formatHead(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

export function parseHead(text: string | undefined): ChainHead | undefined {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text ?? '');
  return m ? { seq: Number(m[1]), hash: m[2]! } : undefined;
}

/** A head store over any string key-value store (SecretStorage, a map in tests). */
export function keyValueHeadStore(store: { get(key: string): PromiseLike<string | undefined>; store(key: string, value: string): PromiseLike<void> }, key: string): HeadStore {
  return {
    load: async () => parseHead(await store.get(key)),
    save: async (head) => {
      await store.store(key, formatHead(head));
    },
  };
}

/** The later of two heads (by seq), either possibly missing. */
export function laterHead(a: ChainHead | undefined, b: ChainHead | undefined): ChainHead | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.seq > a.seq ? b : a;
}
