import { randomUUID } from 'node:crypto';
import { CHAIN_START, eventHash, eventLine, parseEventLine, type ChainHead } from './chain';
import { AuditWriteError, fsReason } from './errors';
import { syncDir, writeAll, type AuditFs } from './fs';
import { LockTimeoutError, withFileLock } from './lock';
import { listSegments, readRange, segmentName } from './segments';
import type { AuditEvent, AuditInput } from './types';

export interface LogWriterOptions {
  dir: string;
  fs: AuditFs;
  /** A segment is closed and a new one started before it would grow past this (read per batch). */
  maxFileBytes: () => number;
  clock: () => Date;
  /** Called once per batch, in chain order, after the batch is durable. */
  onWritten: (events: AuditEvent[]) => void;
  lockTimeoutMs?: number;
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

  /** The current end of the chain on disk (loads it under the lock if needed). */
  async head(): Promise<ChainHead> {
    try {
      await this.ensureDir();
      const state = await withFileLock(this.options.fs, this.lockPath, () => this.sync(), { timeoutMs: this.options.lockTimeoutMs });
      return state.head;
    } catch (err) {
      throw this.writeError(err);
    }
  }

  private get lockPath(): string {
    return `${this.options.dir}/audit.lock`;
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
    return withFileLock(fs, this.lockPath, async () => {
      const state = await this.sync();
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
      return events;
    }, { timeoutMs: this.options.lockTimeoutMs });
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
    const known = this.lastWritten;
    if (known && (head.seq < known.seq || (head.seq === known.seq && head.hash !== known.hash))) {
      throw damaged(`event seq ${known.seq} written by this window is no longer at the end of the log (deleted or replaced)`);
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

function damaged(problem: string): AuditWriteError {
  return new AuditWriteError(
    `The audit log is damaged: ${problem}. Root tasks are refused until it is repaired (run "Root Tasks: Verify Audit Log" for details).`,
  );
}
