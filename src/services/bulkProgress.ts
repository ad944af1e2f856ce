import * as path from 'node:path';
import { createBulkStore, type BulkJournal, type BulkStore } from '../core/bulkProgress';

/** Progress records of bulk work live in the extension's global storage (account ids and outcomes only). */
export function progressStore(storageDir: string): BulkStore {
  return createBulkStore(path.join(storageDir, 'bulk-progress'));
}

/** The interrupted job a command was asked to resume (`resumeId` in its arguments), if it still has work. */
export async function journalToResume(storageDir: string, arg: unknown): Promise<BulkJournal | undefined> {
  const id = (arg as { resumeId?: unknown } | undefined)?.resumeId;
  if (typeof id !== 'string') return undefined;
  return (await progressStore(storageDir).unfinished()).find((j) => j.record.id === id);
}
