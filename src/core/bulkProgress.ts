import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * A durable record of bulk work across accounts (a scan, an org-wide credentials audit, a bulk
 * delete), so work cut short by a window reload, a crash or a cancel resumes from the accounts not
 * yet done. It holds account ids, outcomes and the choices needed to start again — never
 * credentials, never findings (those live in the findings store). Two files per job in the
 * extension's global storage: `<id>.json` (what was asked, written once) and `<id>.progress` (one
 * line per finished account, appended and synced as accounts finish; a torn last line from a crash
 * is ignored).
 */
export type BulkKind = 'scan' | 'credentialsAudit' | 'credentialsDelete';
export type AccountOutcome = 'ok' | 'failed' | 'skipped';

export interface BulkRecord {
  version: 1;
  id: string;
  kind: BulkKind;
  /** What the person chose, for the Resume offer ("the organization", an OU's path). */
  label: string;
  startedAt: string;
  /** The choices to start again with (scan mode, regions …): plain values only. */
  params: Record<string, string | number | boolean | string[]>;
  /** Every account of the job, in order. */
  accounts: string[];
}

export interface BulkJournal {
  readonly record: BulkRecord;
  /** Accounts finished so far, with their outcome. */
  done(): ReadonlyMap<string, AccountOutcome>;
  /** Accounts not finished yet, in the job's order. */
  pending(): string[];
  /**
   * Adds accounts to the job (a scan started while the organization was still being listed); the
   * record is rewritten whole, so a resume sees every account added before it stopped.
   */
  add(accountIds: readonly string[], params?: BulkRecord['params']): Promise<void>;
  /** Records one finished account; resolves once the line is on disk. */
  finished(accountId: string, outcome: AccountOutcome): Promise<void>;
  /** The job ended with every account done: the record is removed. */
  complete(): Promise<void>;
}

export interface BulkStore {
  start(job: Omit<BulkRecord, 'version' | 'id' | 'startedAt'>): Promise<BulkJournal>;
  /** Jobs that did not complete (newest first). */
  unfinished(): Promise<BulkJournal[]>;
  /** Forgets a job the person does not want to resume. */
  discard(id: string): Promise<void>;
}

const ACCOUNT = /^\d{12}$/;
const OUTCOMES = new Set<AccountOutcome>(['ok', 'failed', 'skipped']);
const KINDS = new Set<BulkKind>(['scan', 'credentialsAudit', 'credentialsDelete']);
const ID = /^[a-z0-9-]{8,64}$/;

export function createBulkStore(dir: string, now: () => Date = () => new Date()): BulkStore {
  const paths = (id: string) => ({ record: join(dir, `${id}.json`), progress: join(dir, `${id}.progress`) });

  const journal = (record: BulkRecord, outcomes: Map<string, AccountOutcome>, tornTail = false): BulkJournal => {
    const { progress, record: recordPath } = paths(record.id);
    // After a crash mid-line, the next line starts on a line of its own.
    let queued: string[] = tornTail ? ['\n'] : [];
    let tail: Promise<void> = Promise.resolve();
    let next: Promise<void> | undefined;
    let rewrites: Promise<void> = Promise.resolve();
    // Lines that arrive while a write is under way go out together in the next write and sync.
    const schedule = (): Promise<void> => {
      if (!next) {
        next = tail.then(async () => {
          next = undefined;
          const lines = queued.join('');
          queued = [];
          const fh = await fs.open(progress, 'a');
          try {
            await fh.appendFile(lines);
            await fh.datasync();
          } finally {
            await fh.close();
          }
        });
        tail = next.catch(() => undefined);
      }
      return next;
    };
    return {
      record,
      done: () => outcomes,
      pending: () => record.accounts.filter((a) => !outcomes.has(a)),
      async add(accountIds, params) {
        const known = new Set(record.accounts);
        const fresh = accountIds.filter((a) => !known.has(a));
        if (!fresh.length && !params) return;
        const grown: BulkRecord = { ...record, accounts: [...record.accounts, ...fresh], params: params ?? record.params };
        parseRecord(grown);
        // One rewrite at a time, in order: the last one written holds every account added.
        const write = rewrites.then(() => writeWhole(recordPath, grown));
        rewrites = write.catch(() => undefined);
        record.accounts = grown.accounts;
        record.params = grown.params;
        await write;
      },
      async finished(accountId, outcome) {
        if (!ACCOUNT.test(accountId) || !OUTCOMES.has(outcome)) throw new Error(`not a progress line: ${accountId} ${outcome}`);
        outcomes.set(accountId, outcome);
        queued.push(`${accountId} ${outcome}\n`);
        await schedule();
      },
      async complete() {
        await tail;
        await rewrites;
        await fs.rm(progress, { force: true });
        await fs.rm(recordPath, { force: true });
      },
    };
  };

  const read = async (id: string): Promise<BulkJournal | undefined> => {
    const p = paths(id);
    let record: BulkRecord;
    try {
      record = parseRecord(JSON.parse(await fs.readFile(p.record, 'utf8')));
    } catch {
      return undefined;
    }
    const outcomes = new Map<string, AccountOutcome>();
    const text = await fs.readFile(p.progress, 'utf8').catch(() => '');
    const members = new Set(record.accounts);
    for (const line of text.split('\n')) {
      const [account, outcome] = line.split(' ');
      // A torn line (a crash mid-write) or anything else is not progress.
      if (members.has(account) && OUTCOMES.has(outcome as AccountOutcome)) outcomes.set(account, outcome as AccountOutcome);
    }
    return journal(record, outcomes, text.length > 0 && !text.endsWith('\n'));
  };

  return {
    async start(job) {
      const record: BulkRecord = { version: 1, id: randomUUID(), startedAt: now().toISOString(), ...job };
      parseRecord(record);
      await fs.mkdir(dir, { recursive: true });
      await writeWhole(paths(record.id).record, record);
      return journal(record, new Map());
    },
    async unfinished() {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter((id) => ID.test(id));
      const found = (await Promise.all(ids.map(read))).filter((j): j is BulkJournal => !!j && j.pending().length > 0);
      return found.sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt));
    },
    async discard(id) {
      if (!ID.test(id)) return;
      const p = paths(id);
      await fs.rm(p.progress, { force: true });
      await fs.rm(p.record, { force: true });
    },
  };
}

/** Written whole or not at all: a temp file renamed into place. */
async function writeWhole(path: string, record: BulkRecord): Promise<void> {
  await fs.writeFile(`${path}.tmp`, JSON.stringify(record));
  await fs.rename(`${path}.tmp`, path);
}

function parseRecord(value: unknown): BulkRecord {
  const r = value as BulkRecord;
  const ok = !!r && r.version === 1 && typeof r.id === 'string' && ID.test(r.id) && KINDS.has(r.kind)
    && typeof r.label === 'string' && typeof r.startedAt === 'string' && !!r.params && typeof r.params === 'object'
    && Array.isArray(r.accounts) && r.accounts.every((a) => typeof a === 'string' && ACCOUNT.test(a));
  if (!ok) throw new Error('not a bulk progress record');
  return r;
}
