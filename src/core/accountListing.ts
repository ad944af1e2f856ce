import type { OrgAccount, OrgIndex } from './orgIndex';

/**
 * The organization's accounts as the tree walk places them, for bulk work started before the index
 * was complete (the first scan, or after a profile switch): each ListAccountsForParent page gives
 * accounts whose OU path is already known, so they can be worked on — and judged by the guardrails
 * and the org-policy checks — while the rest of the tree is still being listed.
 */
export interface AccountListing {
  /** The index the walk fills. */
  readonly index: OrgIndex;
  /** Accounts placed since the last call (possibly again: callers keep their own set); undefined once the walk has ended. */
  next(): Promise<OrgAccount[] | undefined>;
  /** The whole index, once the walk has ended. */
  readonly done: Promise<OrgIndex>;
}

/** The feeding side: `placed` for each page's accounts, `end` when the walk is over (or failed). */
export interface AccountListingFeed extends AccountListing {
  placed(accounts: readonly OrgAccount[]): void;
  end(error?: unknown): void;
}

export function createAccountListing(index: OrgIndex): AccountListingFeed {
  let queued: OrgAccount[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let settle!: { resolve: (i: OrgIndex) => void; reject: (e: unknown) => void };
  const done = new Promise<OrgIndex>((resolve, reject) => (settle = { resolve, reject }));
  // A walk that fails is seen by whoever awaits `done`; an unawaited one must not crash the host.
  done.catch(() => undefined);
  return {
    index,
    done,
    placed(accounts) {
      if (ended || !accounts.length) return;
      queued.push(...accounts);
      wake?.();
    },
    end(error) {
      if (ended) return;
      ended = true;
      if (error === undefined) settle.resolve(index);
      else settle.reject(error);
      wake?.();
    },
    async next() {
      while (!queued.length && !ended) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      if (!queued.length) return undefined;
      const out = queued;
      queued = [];
      return out;
    },
  };
}
