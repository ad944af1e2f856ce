import type { ChainHead } from './chain';
import { cursorAnchors } from './cursor';
import { AuditGateError, AuditInputError, AuditWriteError, fsReason } from './errors';
import { nodeFs, writeAll, type AuditFs } from './fs';
import { withFileLock } from './lock';
import { LogWriter } from './logWriter';
import { sanitize } from './sanitize';
import { secretLike } from './scrub';
import { listSegments } from './segments';
import type { DeliveryPort } from './sinkController';
import { ALWAYS_STRICT_KINDS, INTENT_KINDS, isIntentKind, type AuditEvent, type AuditInput, type ChainAnchor } from './types';
import { verifyLog } from './verify';

export interface AuditTrailOptions {
  /** The log folder (the extension uses globalStorage/audit). */
  dir: string;
  /** The caller identity ARN; called once per event, so it should be cached by the provider. */
  actor: () => Promise<string> | string;
  clock?: () => Date;
  /** Segment size before rotation (default 10 MiB, at least 4 KiB); a function is read per write. */
  maxFileBytes?: number | (() => number);
  fs?: AuditFs;
  /** The sink's delivery state, or undefined when no sink is configured. */
  delivery?: () => DeliveryPort | undefined;
  /** Intent must be acknowledged by the sink before recordIntent returns. */
  strictAck?: () => boolean;
  /** recordIntent refuses while more events than this wait for the sink (default 1000). */
  maxPending?: () => number;
  /** How long recordIntent waits for the sink's acknowledgement in strict mode (default 30 s). */
  ackTimeoutMs?: number;
  lockTimeoutMs?: number;
}

export interface AuditTrail {
  /** Durably appends (fsync) and returns the event; throws AuditWriteError if it could not be written. */
  record(input: AuditInput): Promise<AuditEvent>;
  /**
   * The gate before AssumeRoot: records the intent; in strict mode also waits for the sink's ack;
   * refuses (AuditGateError, or its subclass AuditWriteError) when pending > maxPending or the
   * write fails.
   */
  recordIntent(input: AuditInput): Promise<AuditEvent>;
  verify(): Promise<{ ok: boolean; events: number; problem?: string }>;
  onDidRecord(listener: (e: AuditEvent) => void): { dispose(): void };
  /** The end of the chain on disk. */
  head(): Promise<ChainHead>;
  /** Path of the segment being written (undefined before the first event). */
  activeFile(): Promise<string | undefined>;
  /** Copies the whole log (all segments, in order) into one JSON-lines file. */
  exportTo(target: string): Promise<{ events: number }>;
  readonly dir: string;
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_PENDING = 1000;

export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const fs = options.fs ?? nodeFs;
  const { dir } = options;
  const listeners = new Set<(e: AuditEvent) => void>();
  const writer = new LogWriter({
    dir,
    fs,
    maxFileBytes: () => {
      const value = typeof options.maxFileBytes === 'function' ? options.maxFileBytes() : options.maxFileBytes;
      return Math.max(4096, value ?? DEFAULT_MAX_FILE_BYTES);
    },
    clock: options.clock ?? (() => new Date()),
    lockTimeoutMs: options.lockTimeoutMs,
    onWritten: (events) => {
      for (const event of events) {
        for (const listener of listeners) {
          try {
            listener(event);
          } catch {
            // A failing view must not turn a durable write into an error.
          }
        }
      }
    },
  });
  const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
    await fs.mkdir(dir, { recursive: true });
    return withFileLock(fs, `${dir}/audit.lock`, fn, { timeoutMs: options.lockTimeoutMs });
  };

  const record = async (input: AuditInput): Promise<AuditEvent> => {
    const clean = sanitize(input);
    let actor: string;
    try {
      actor = String(await options.actor());
    } catch (err) {
      throw new AuditWriteError(`The caller identity for the audit event could not be determined (${fsReason(err)}).`);
    }
    if (!actor || actor.length > 2048 || /[\u0000-\u001f]/.test(actor) || secretLike(actor)) {
      throw new AuditInputError('The caller identity for the audit event is not a plain ARN.');
    }
    return writer.append(clean, actor);
  };

  /** A refused gate is itself worth a line in the log; best effort, the refusal stands either way. */
  const refused = (input: AuditInput, reason: string) =>
    record({ kind: 'guardrail.refused', taskId: input.taskId, task: input.task, accountId: input.accountId, resource: input.resource, outcome: 'denied', detail: { reason } }).catch(() => undefined);

  return {
    dir,
    record,
    async recordIntent(input) {
      if (!isIntentKind(input.kind)) {
        const kinds = INTENT_KINDS.map((k) => `"${k}"`);
        throw new AuditInputError(`recordIntent records ${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)} events only.`);
      }
      const port = options.delivery?.();
      // Break-glass is only allowed once the team has been told: the sink must acknowledge it.
      const forced = ALWAYS_STRICT_KINDS.includes(input.kind);
      const strict = forced || (options.strictAck?.() ?? false);
      if (strict && !port) {
        await refused(input, 'strictAckWithoutSink');
        throw new AuditGateError(forced
          ? 'Break-glass needs the audit sink to acknowledge it, but no audit sink URL is set. The root task was refused.'
          : 'Strict audit acknowledgement is on (rootTasks.audit.strictAck) but no audit sink URL is set. The root task was refused.', 'config');
      }
      if (port) {
        const [head, delivered] = await Promise.all([writer.head(), port.deliveredSeq()]);
        const pending = head.seq - delivered;
        const max = options.maxPending?.() ?? DEFAULT_MAX_PENDING;
        if (pending > max) {
          await refused(input, 'auditBacklog');
          throw new AuditGateError(
            `${pending} audit events are waiting for the audit sink (limit ${max}). Root tasks are refused until they are delivered: check the sink (status bar) or raise rootTasks.audit.maxPending.`,
            'backlog',
          );
        }
      }
      const event = await record(input);
      if (strict && port) {
        port.retryNow();
        try {
          await port.waitForAck(event.seq, options.ackTimeoutMs ?? 30_000);
        } catch (err) {
          await refused(input, 'sinkDidNotAcknowledge');
          throw err;
        }
      }
      return event;
    },
    async verify() {
      try {
        const result = await locked(async () => {
          const anchors: ChainAnchor[] = await cursorAnchors(fs, dir);
          const own = writer.lastWrittenHead;
          if (own) anchors.push({ ...own, source: 'this window (its last write)' });
          return verifyLog(fs, dir, anchors);
        });
        return { ok: result.ok, events: result.events, problem: result.problem };
      } catch (err) {
        return { ok: false, events: 0, problem: `the log could not be read (${fsReason(err)})` };
      }
    },
    onDidRecord(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    head: () => writer.head(),
    async activeFile() {
      const last = (await listSegments(fs, dir)).at(-1);
      return last && `${dir}/${last.name}`;
    },
    exportTo: (target) =>
      locked(async () => {
        const out = await fs.open(target, 'w');
        let events = 0;
        try {
          for (const segment of await listSegments(fs, dir)) {
            const text = await fs.readFile(`${dir}/${segment.name}`, 'utf8');
            events += text.split('\n').length - 1;
            await writeAll(out, Buffer.from(text));
          }
          await out.sync();
        } finally {
          await out.close();
        }
        return { events };
      }),
  };
}
