import type { BulkJournal, BulkRecord, BulkStore } from '../core/bulkProgress';
import type { FlowLog } from './ports';

/**
 * The progress record of a bulk flow: the one it resumes, or a new one in the store. A record that
 * cannot be written never stops the work (it only could not be resumed): the log says so.
 */
export async function journalFor(
  store: BulkStore | undefined, resume: BulkJournal | undefined, job: Omit<BulkRecord, 'version' | 'id' | 'startedAt'>, log: FlowLog,
): Promise<BulkJournal | undefined> {
  if (resume) return resume;
  // A scan started while the organization is still listed has a record before its first account.
  if (!store || (!job.accounts.length && job.params.listing === undefined)) return undefined;
  try {
    return await store.start(job);
  } catch (err) {
    log.warn(job.kind, `The progress record could not be written (${String(err)}); this work cannot be resumed if interrupted.`);
    return undefined;
  }
}

/** Records one finished account; a failed write only costs the resume. */
export async function markDone(journal: BulkJournal | undefined, accountId: string, outcome: 'ok' | 'failed' | 'skipped'): Promise<void> {
  await journal?.finished(accountId, outcome).catch(() => undefined);
}

/** Accounts from a record still to do, as the index knows them; ones gone from the organization are marked skipped. */
export async function pendingAccounts<A>(journal: BulkJournal, lookup: (id: string) => A | undefined): Promise<A[]> {
  const out: A[] = [];
  for (const id of journal.pending()) {
    const a = lookup(id);
    if (a) out.push(a);
    else await markDone(journal, id, 'skipped');
  }
  return out;
}
