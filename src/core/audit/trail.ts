import type { ChainHead } from './chain';
import { cursorAnchors } from './cursor';
import { AuditGateError, AuditInputError, AuditWriteError, fsReason } from './errors';
import { nodeFs, writeAll, type AuditFs } from './fs';
import { escapeControls } from '../quote';
import type { HeadStore } from './headStore';
import { LogWriter, damaged } from './logWriter';
import { sanitize } from './sanitize';
import { secretLike } from './scrub';
import { listSegments } from './segments';
import type { DeliveryPort } from './sinkController';
import { ALWAYS_STRICT_KINDS, CHAIN_RESTARTED, INTENT_KINDS, isIntentKind, type AuditEvent, type AuditInput, type ChainAnchor } from './types';
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
  /** The chain head kept outside the log folder (the extension: its secret storage). */
  headStore?: HeadStore;
  /** The head could not be saved or read there (the log itself is fine): reported, not fatal. */
  onHeadStoreError?: (err: unknown) => void;
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
  /** Resolves once the newest head is saved outside the log too (the save does not hold up a batch). */
  headSaved(): Promise<void>;
  /**
   * The person acknowledged that the log is damaged (Verify fails): the damaged files are moved
   * aside, untouched, and a new chain starts with an audit.chainRestarted event that links to the
   * newest head known and never reuses a seq. Nothing happens when the log verifies.
   */
  acknowledgeDamage(): Promise<{ restarted: false } | { restarted: true; event: AuditEvent; problem: string; archive: string }>;
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
    headStore: options.headStore,
    onHeadStoreError: options.onHeadStoreError,
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
    return writer.locked(fn);
  };

  const actorOf = async (): Promise<string> => {
    let actor: string;
    try {
      actor = String(await options.actor());
    } catch (err) {
      throw new AuditWriteError(`The caller identity for the audit event could not be determined (${fsReason(err)}).`);
    }
    if (!actor || actor.length > 2048 || /[\u0000-\u001f]/.test(actor) || secretLike(actor)) {
      throw new AuditInputError('The caller identity for the audit event is not a plain ARN.');
    }
    return actor;
  };
  /** Every point known from outside the log: the delivery cursors and the newest head known. */
  const anchors = async (): Promise<ChainAnchor[]> => {
    const list: ChainAnchor[] = await cursorAnchors(fs, dir);
    const known = await writer.knownHead();
    if (known) list.push({ ...known.head, source: known.source });
    return list;
  };
  /** Root tasks start only on a log that verifies in full (not only its last line). */
  const assertIntact = () => writer.ifChanged(async () => {
    const result = await verifyLog(fs, dir, await anchors());
    if (!result.ok) throw damaged(result.problem ?? 'it does not verify');
  });

  const record = async (input: AuditInput): Promise<AuditEvent> => {
    // Only acknowledgeDamage starts a new chain: anywhere else the event would claim a gap.
    if (input?.kind === CHAIN_RESTARTED) throw new AuditInputError(`"${CHAIN_RESTARTED}" events are written by acknowledging a damaged log only.`);
    const clean = sanitize(input);
    return writer.append(clean, await actorOf());
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
      await assertIntact();
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
        const known = await anchors();
        const result = await locked(() => verifyLog(fs, dir, known));
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
    async acknowledgeDamage() {
      const actor = await actorOf();
      const known = await anchors();
      const result = await locked(() => verifyLog(fs, dir, known));
      if (result.ok) return { restarted: false };
      const problem = result.problem ?? 'it does not verify';
      const archive = `damaged-${(options.clock ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-')}`;
      const event = await writer.restart(
        {
          kind: CHAIN_RESTARTED,
          outcome: 'ok',
          detail: sanitize({ kind: CHAIN_RESTARTED, detail: { problem: escapeControls(problem).slice(0, 256), intactUpTo: result.head.seq, archivedTo: archive } }).detail,
        },
        actor,
        archive,
        async (highest) => {
          // Link to the newest head anyone knew of; take the seq past every seq ever seen.
          const newest = known.reduce<{ seq: number; hash: string }>((a, b) => (b.seq > a.seq ? b : a), result.head);
          return { seq: Math.max(highest, newest.seq), hash: newest.hash };
        },
      );
      return { restarted: true, event, problem, archive };
    },
    headSaved: () => writer.headSaved(),
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
