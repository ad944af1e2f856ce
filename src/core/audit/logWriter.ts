import { randomUUID } from 'node:crypto';
import { CHAIN_START, eventHash, eventLine, parseEventLine, type ChainHead } from './chain';
import { AuditWriteError, fsReason } from './errors';
import { syncDir, writeAll, type AuditFs } from './fs';
import { LockTimeoutError, withFileLock } from './lock';
import { laterHead, type HeadStore } from './headStore';
import { listSegments, logFingerprint, readRange, segmentName } from './segments';
import { CHAIN_RESTARTED, type AuditEvent, type AuditInput } from './types';

export interface LogWriterOptions {
  dir: string;
  fs: AuditFs;
  /** A segment is closed and a new one started before it would grow past this (read per batch). */
  maxFileBytes: () => number;
  clock: () => Date;
  /** Called once per batch, in chain order, after the batch is durable. */
  onWritten: (events: AuditEvent[]) => void;
  lockTimeoutMs?: number;
  /** The chain head kept outside the log: the log must still reach it. */
  headStore?: HeadStore;
  /** A head that could not be saved (the event itself is durable); reported, not fatal. */
  onHeadStoreError?: (err: unknown) => void;
}

interface Entry {
  input: AuditInput;
  actor: string;
  resolve: (event: AuditEvent) => void;
  reject: (err: unknown) => void;
}

interface State {
  head: ChainHead;
  active?: { name: string; size: number };
  /** Last segment name and size as last seen: a change means another process appended. */
  fingerprint: string;
}

interface SegmentWrite {
  name: string;
  sizeBefore: number;
  created: boolean;
  chunks: Buffer[];
}

/** Events per group commit: bounds one write and the work lost to one failure. */
const MAX_GROUP = 512;
const TAIL_WINDOW = 256 * 1024;

/**
 * The append side of the log. Appends are group-committed: calls that arrive while a write is
 * in flight are written together with one fsync, each call resolving only once its event is
 * durable. A failed batch is rolled back (truncated to its previous size) so the log never keeps
 * a half-written line, and every call in it rejects with AuditWriteError.
 */
export class LogWriter {
  private readonly queue: Entry[] = [];
  private flushing = false;
  private state: State | undefined;
  private lastWritten: ChainHead | undefined;
  private dirReady = false;
  /** The log's fingerprint when it last verified in full (kept current across this writer's own appends). */
  private verified: string | undefined;
  /** The newest head not yet in the head store, and the save loop writing it. */
  private unsaved: ChainHead | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** The end of the queue for the log's lock in this process. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogWriterOptions) {}

  append(input: AuditInput, actor: string): Promise<AuditEvent> {
    return new Promise<AuditEvent>((resolve, reject) => {
      this.queue.push({ input, actor, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** The last event this writer made durable (an anchor for verification), if any. */
  get lastWrittenHead(): ChainHead | undefined {
    return this.lastWritten;
  }

  /** The newest head known from outside the log: this writer's last write or the head store. */
  async knownHead(): Promise<{ head: ChainHead; source: string } | undefined> {
    const stored = await this.loadStored();
    const known = laterHead(this.lastWritten, stored);
    if (!known) return undefined;
    return { head: known, source: known === this.lastWritten ? 'this window (its last write)' : 'the chain head kept outside the log' };
  }

  /**
   * Runs `check` under the log's lock unless the log is unchanged since it last passed (any
   * change by another process, including an edit, changes a segment's size or time); this
   * writer's own appends keep the pass.
   */
  async ifChanged(check: () => Promise<void>): Promise<void> {
    try {
      await this.ensureDir();
      await this.locked(async () => {
        const now = await logFingerprint(this.options.fs, this.options.dir);
        if (this.verified === now) return;
        this.verified = undefined;
        await check();
        this.verified = now;
      });
    } catch (err) {
      throw this.writeError(err);
    }
  }

  /** The current end of the chain on disk (loads it under the lock if needed). */
  async head(): Promise<ChainHead> {
    try {
      await this.ensureDir();
      const state = await this.locked(() => this.sync());
      return state.head;
    } catch (err) {
      throw this.writeError(err);
    }
  }

  private get lockPath(): string {
    return `${this.options.dir}/audit.lock`;
  }

  /**
   * Runs `fn` under the log's lock file, the callers in this process taking turns first. The lock
   * file is for other windows; without the turns, a scan's intent check and its group commits
   * raced for the file, and the loser polled it (a read, a stat and a timer per try) while the
   * other held it.
   */
  locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(() => withFileLock(this.options.fs, this.lockPath, fn, { timeoutMs: this.options.lockTimeoutMs }));
    this.turn = run.then(() => undefined, () => undefined);
    return run;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_GROUP);
      try {
        const events = await this.writeBatch(batch);
        batch.forEach((entry, i) => entry.resolve(events[i]!));
        this.options.onWritten(events);
      } catch (err) {
        // The folder may have been removed: create it again next time (the chain check still
        // refuses if events this window wrote are gone).
        this.dirReady = false;
        const error = this.writeError(err);
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = false;
  }

  private async ensureDir(): Promise<void> {
    if (this.dirReady) return;
    await this.options.fs.mkdir(this.options.dir, { recursive: true });
    this.dirReady = true;
  }

  private async writeBatch(batch: Entry[]): Promise<AuditEvent[]> {
    await this.ensureDir();
    const { fs, dir, clock } = this.options;
    const maxFileBytes = this.options.maxFileBytes();
    return this.locked(async () => {
      const state = await this.sync();
      if (this.verified !== undefined && this.verified !== (await logFingerprint(fs, dir))) this.verified = undefined;
      let head = state.head;
      let active = state.active ? { ...state.active } : undefined;
      const writes: SegmentWrite[] = [];
      const events: AuditEvent[] = [];
      for (const entry of batch) {
        const unsigned = { ...entry.input, id: randomUUID(), seq: head.seq + 1, time: clock().toISOString(), actor: entry.actor, prevHash: head.hash };
        const event: AuditEvent = { ...unsigned, hash: eventHash(unsigned) };
        const bytes = Buffer.from(eventLine(event));
        if (!active || (active.size > 0 && active.size + bytes.length > maxFileBytes)) {
          active = { name: segmentName(event.seq), size: 0 };
          writes.push({ name: active.name, sizeBefore: 0, created: true, chunks: [] });
        } else if (writes.at(-1)?.name !== active.name) {
          writes.push({ name: active.name, sizeBefore: active.size, created: false, chunks: [] });
        }
        writes.at(-1)!.chunks.push(bytes);
        active.size += bytes.length;
        head = { seq: event.seq, hash: event.hash };
        events.push(event);
      }
      try {
        for (const w of writes) {
          const handle = await fs.open(`${dir}/${w.name}`, 'a');
          try {
            await writeAll(handle, Buffer.concat(w.chunks));
            await handle.sync();
          } finally {
            await handle.close();
          }
        }
        if (writes.some((w) => w.created)) await syncDir(fs, dir);
      } catch (err) {
        this.state = undefined;
        await this.rollback(writes);
        throw err;
      }
      this.state = { head, active, fingerprint: `${active!.name}:${active!.size}` };
      this.lastWritten = head;
      if (this.verified !== undefined) this.verified = await logFingerprint(fs, dir);
      this.saveHead(head);
      return events;
    });
  }

  /** Resolves once the newest head has been saved outside the log (tests simulate a reload after it). */
  async headSaved(): Promise<void> {
    while (this.unsaved) await this.saving;
    await this.saving;
  }

  private async loadStored(): Promise<ChainHead | undefined> {
    const store = this.options.headStore;
    if (!store) return undefined;
    try {
      // This window's own saves land first, so it never reads a head older than its last write.
      await this.saving;
      return await store.load();
    } catch (err) {
      this.options.onHeadStoreError?.(err);
      return undefined;
    }
  }

  /**
   * Saves the head without holding up the batch (secret storage is a round trip to the editor):
   * saves run one at a time, and one waiting is replaced by a newer head. A save still under way
   * when the window closes only leaves an older head outside the log, a lower bound that
   * never raises a false alarm.
   */
  private saveHead(head: ChainHead): void {
    const store = this.options.headStore;
    if (!store) return;
    const first = this.unsaved === undefined;
    this.unsaved = head;
    if (!first) return;
    this.saving = (async () => {
      while (this.unsaved) {
        const next = this.unsaved;
        try {
          await store.save(next);
        } catch (err) {
          // The event is durable; only the outside copy of the head lags behind.
          this.options.onHeadStoreError?.(err);
        }
        if (this.unsaved === next) this.unsaved = undefined;
      }
    })();
  }


  /**
   * Starts a new chain after the person acknowledged a damaged log (see CHAIN_RESTARTED): every
   * segment is moved, untouched, into `archive` (a folder inside the log folder); the restart
   * event, in a segment of its own, follows the head `chooseStart` picks (told the highest seq on
   * disk): its seq is one past that head's and its prevHash is that head's hash.
   */
  async restart(input: AuditInput, actor: string, archive: string, chooseStart: (segmentsSeq: number) => Promise<ChainHead>): Promise<AuditEvent> {
    const { fs, dir, clock } = this.options;
    try {
      await this.ensureDir();
      return await this.locked(async () => {
        const segments = await listSegments(fs, dir);
        const highest = await highestSeq(fs, dir, segments.map((s) => s.name));
        const prev = await chooseStart(highest);
        if (segments.length) {
          await fs.mkdir(`${dir}/${archive}`, { recursive: true });
          for (const s of segments) await fs.rename(`${dir}/${s.name}`, `${dir}/${archive}/${s.name}`);
        }
        const unsigned = { ...input, kind: CHAIN_RESTARTED, id: randomUUID(), seq: prev.seq + 1, time: clock().toISOString(), actor, prevHash: prev.hash };
        const event: AuditEvent = { ...unsigned, hash: eventHash(unsigned) };
        const bytes = Buffer.from(eventLine(event));
        const name = segmentName(event.seq);
        const handle = await fs.open(`${dir}/${name}`, 'a');
        try {
          await writeAll(handle, bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await syncDir(fs, dir);
        const head = { seq: event.seq, hash: event.hash };
        this.state = { head, active: { name, size: bytes.length }, fingerprint: `${name}:${bytes.length}` };
        this.lastWritten = head;
        this.verified = undefined;
        this.saveHead(head);
        await this.saving;
        this.options.onWritten([event]);
        return event;
      });
    } catch (err) {
      throw this.writeError(err);
    }
  }

  /** Takes back what a failed batch wrote: its events were never acknowledged to anyone. */
  private async rollback(writes: SegmentWrite[]): Promise<void> {
    const { fs, dir } = this.options;
    for (const w of writes) {
      const path = `${dir}/${w.name}`;
      // If this fails too, the next batch re-reads the tail and refuses a torn line.
      if (w.created) await fs.unlink(path).catch(() => undefined);
      else await fs.truncate(path, w.sizeBefore).catch(() => undefined);
    }
  }

  /** Brings the in-memory head up to date with the disk (under the lock). */
  private async sync(): Promise<State> {
    const { fs, dir } = this.options;
    const segments = await listSegments(fs, dir);
    const last = segments.at(-1);
    const lastSize = last ? (await fs.stat(`${dir}/${last.name}`)).size : 0;
    const fingerprint = last ? `${last.name}:${lastSize}` : '';
    if (this.state && this.state.fingerprint === fingerprint) return this.state;

    let head = CHAIN_START;
    for (let i = segments.length - 1; i >= 0; i--) {
      const name = segments[i]!.name;
      const size = i === segments.length - 1 ? lastSize : (await fs.stat(`${dir}/${name}`)).size;
      const tail = await this.readTail(name, size);
      if (tail) {
        head = tail;
        break;
      }
    }
    const stored = await this.loadStored();
    const known = laterHead(this.lastWritten, stored);
    const by = known === this.lastWritten ? 'written by this window' : 'recorded as the chain head outside the log';
    if (known && head.seq < known.seq) {
      throw damaged(`the log ends at seq ${head.seq}, but event seq ${known.seq} ${by} is gone (events removed from the end, or the folder deleted)`);
    }
    if (known && head.seq === known.seq && head.hash !== known.hash) {
      throw damaged(`event seq ${known.seq} ${by} was replaced`);
    }
    this.state = { head, active: last ? { name: last.name, size: lastSize } : undefined, fingerprint };
    return this.state;
  }

  /** The last event of a segment, checked against its own hash; undefined for an empty file. */
  private async readTail(name: string, size: number): Promise<ChainHead | undefined> {
    if (size === 0) return undefined;
    const path = `${this.options.dir}/${name}`;
    for (let window = Math.min(size, TAIL_WINDOW); ; window = Math.min(size, window * 4)) {
      // Cutting into a multi-byte character at the window start is harmless: only the text
      // after a newline (never part of a multi-byte sequence) is used.
      const text = (await readRange(this.options.fs, path, size - window, window)).toString('utf8');
      if (!text.endsWith('\n')) throw damaged(`${name} ends with an incomplete line`);
      const start = text.lastIndexOf('\n', text.length - 2);
      if (start < 0 && window < size) continue;
      const parsed = parseEventLine(text.slice(start + 1, -1));
      if (typeof parsed === 'string') throw damaged(`the last line of ${name} is ${parsed}`);
      if (eventHash(parsed) !== parsed.hash) throw damaged(`the last event of ${name} does not match its hash`);
      return { seq: parsed.seq, hash: parsed.hash };
    }
  }

  private writeError(err: unknown): AuditWriteError {
    if (err instanceof AuditWriteError) return err;
    if (err instanceof LockTimeoutError) {
      return new AuditWriteError(`The audit log could not be written: ${err.message} for too long. Root tasks are refused until it can be written.`);
    }
    return new AuditWriteError(
      `The audit log could not be written (${fsReason(err)}) in ${this.options.dir}. Root tasks are refused until it can be written.`,
    );
  }
}

/** The highest seq on any readable line of the given segments (0 if none): a restart never reuses one. */
async function highestSeq(fs: AuditFs, dir: string, names: string[]): Promise<number> {
  let highest = 0;
  for (const name of names) {
    const text = await fs.readFile(`${dir}/${name}`, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const parsed = line ? parseEventLine(line) : undefined;
      if (parsed && typeof parsed !== 'string' && Number.isSafeInteger(parsed.seq)) highest = Math.max(highest, parsed.seq);
    }
    highest = Math.max(highest, Number(/(\d{12})/.exec(name)?.[1] ?? 0));
  }
  return highest;
}

export function damaged(problem: string): AuditWriteError {
  return new AuditWriteError(
    `The audit log is damaged: ${problem}. Root tasks are refused until it is repaired, or acknowledged with "Root Tasks: Acknowledge Damaged Audit Log" (a new chain, linked to the old one; run "Root Tasks: Verify Audit Log" for details).`,
  );
}
