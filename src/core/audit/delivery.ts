import { createHash } from 'node:crypto';
import { backoffDelay, type BackoffOptions } from './backoff';
import { CHAIN_START, type ChainHead } from './chain';
import { cursorDir, loadCursor, saveCursor } from './cursor';
import { fsReason } from './errors';
import { nodeFs, type AuditFs } from './fs';
import { TransportError, type SinkTransport } from './httpsTransport';
import { LockTimeoutError, withFileLock } from './lock';
import { LogReader, type ReadBatch } from './logReader';
import type { AuditEvent } from './types';
import { toOcsf, type AuditFormat } from './ocsf';
import { webhookHeaders } from './webhookSignature';

export type DeliveryState = 'starting' | 'idle' | 'delivering' | 'failing' | 'stopped';

export interface DeliveryStatus {
  state: DeliveryState;
  /** Seq of the last event the sink acknowledged. */
  deliveredSeq: number;
  /** Events in the log not yet acknowledged (as far as this worker has seen the log). */
  pending: number;
  /** Failed attempts in a row. */
  failures: number;
  lastError?: string;
  nextAttemptAt?: Date;
  lastDeliveredAt?: Date;
}

/**
 * A destination other than the webhook (CloudWatch Logs, S3): sends one batch and says whether it
 * is stored. The worker keeps the rest (cursor, lease, backoff, the same batch again after a
 * failure); `formatted` holds each event as the destination receives it (stored line or OCSF).
 */
export interface BatchDestination {
  send(batch: { events: readonly AuditEvent[]; formatted: readonly string[] }, signal: AbortSignal): Promise<DestinationResult>;
}

export type DestinationResult =
  /** Stored; `note` is shown as the status's lastError (e.g. events the destination refused to keep). */
  | { kind: 'acked'; note?: string }
  | { kind: 'failed'; reason: string; retryAfterMs?: number }
  /** Refused as too large without storing anything: the worker halves the batch. */
  | { kind: 'tooLarge' };

export interface DeliveryWorkerOptions {
  dir: string;
  fs?: AuditFs;
  /** The webhook's HTTPS transport; or `destination` for any other kind of destination. */
  transport?: SinkTransport;
  destination?: BatchDestination;
  /** Names the sink in the cursor file and in messages: its origin, never path or query. */
  sinkOrigin: string;
  /** File name of this sink's cursor (see cursorName). */
  cursorName: string;
  /** Current secret first, then the previous one during a rotation (webhook only). */
  secrets?: () => Promise<readonly string[]> | readonly string[];
  /**
   * The webhook's request shape: Standard Webhooks (default: signed `rootTasks.audit.batch`), or
   * Splunk HTTP Event Collector (`Authorization: Splunk <token>`, the token being the secret; one
   * {"time","host","source","sourcetype","event"} envelope per event, concatenated).
   */
  preset?: SinkPreset;
  /** The `host` of HEC envelopes (this machine's name). */
  hecHost?: string;
  /** What each event is sent as: its stored line (native, default) or an OCSF 1.1.0 event (ocsf.ts). */
  format?: AuditFormat;
  /** The newest seq in the log, read once at start so pending is right before the first event. */
  logHead?: () => Promise<number>;
  batchMaxEvents?: number;
  batchMaxBytes?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Waits between failed attempts only; must resolve early when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  clock?: () => Date;
  /** How often an idle worker looks for events appended by another window. */
  pollMs?: number;
  onStatus?: (status: DeliveryStatus) => void;
}

type Attempt =
  | { kind: 'acked' | 'empty' | 'tooLarge' | 'stopped' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'failed'; reason: string; retryAfterMs?: number };

type Optional = 'logHead' | 'onStatus' | 'format' | 'transport' | 'destination' | 'secrets' | 'preset' | 'hecHost';

export type SinkPreset = 'standardWebhooks' | 'splunkHec';

export const DELIVERY_DEFAULTS = { batchMaxEvents: 100, batchMaxBytes: 256 * 1024, backoff: { baseMs: 1000, maxMs: 60_000 }, pollMs: 5000 };

/**
 * Delivers the log to the sink in order, in batches, at least once. The cursor advances only
 * after a 2xx; a failure waits with exponential backoff and jitter and resends exactly the same
 * batch (same events and webhook-id, fresh timestamp and signature), however many events were
 * appended meanwhile. Stopping aborts the request in flight
 * without moving the cursor, so the next worker on the same log starts from there. A 413 halves
 * the batch. Runs on promises only: it never blocks the editor.
 */
export class DeliveryWorker {
  private readonly o: Required<Omit<DeliveryWorkerOptions, Optional>> & Pick<DeliveryWorkerOptions, Optional>;
  private readonly reader: LogReader;
  private readonly stopController = new AbortController();
  private cursor: ChainHead = CHAIN_START;
  private lastSeq = 0;
  private current: DeliveryStatus = { state: 'starting', deliveredSeq: 0, pending: 0, failures: 0 };
  private wake: (() => void) | undefined;
  /** Set by notify() since the last read, so a notification just before idle() is not lost. */
  private woken = false;
  private backoffWait: AbortController | undefined;
  private running: Promise<void> | undefined;
  private batchLimit: number;
  /**
   * The batch sent last and not acknowledged: the next attempt from the same cursor resends it
   * exactly (same events, same webhook-id), even if more events have been appended since, so a
   * sink that de-duplicates by webhook-id never stores an event twice.
   */
  private unacknowledged: { after: ChainHead; batch: ReadBatch } | undefined;
  private loaded: Promise<void>;
  private markLoaded!: () => void;

  constructor(options: DeliveryWorkerOptions) {
    this.o = {
      fs: nodeFs,
      random: Math.random,
      sleep: abortableSleep,
      clock: () => new Date(),
      ...DELIVERY_DEFAULTS,
      // An option passed as undefined keeps its default.
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as DeliveryWorkerOptions),
    };
    this.batchLimit = this.o.batchMaxEvents;
    this.reader = new LogReader(this.o.fs, this.o.dir, (fn) => withFileLock(this.o.fs, `${this.o.dir}/audit.lock`, fn));
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  start(): void {
    this.running ??= this.run().catch((err) => {
      // deliveredSeq() must not hang the gate on a worker that died before reading its cursor.
      this.markLoaded();
      this.update({ state: 'stopped', lastError: `delivery stopped: ${fsReason(err)}` });
    });
  }

  /** Stops after aborting any request in flight; the cursor keeps the last acknowledged batch. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.backoffWait?.abort();
    this.wake?.();
    await this.running;
    this.markLoaded();
    this.update({ state: 'stopped', nextAttemptAt: undefined });
  }

  /** New events were appended (seq of the newest, if known): an idle worker sends them now. */
  notify(seq?: number): void {
    if (seq !== undefined && seq > this.lastSeq) {
      this.lastSeq = seq;
      this.update({});
    }
    this.woken = true;
    this.wake?.();
  }

  /** Someone is waiting for an acknowledgement: cut a backoff wait short. */
  retryNow(): void {
    this.woken = true;
    this.backoffWait?.abort();
    this.wake?.();
  }

  status(): DeliveryStatus {
    return { ...this.current };
  }

  /** The acknowledged seq, once the cursor has been read. */
  async deliveredSeq(): Promise<number> {
    await this.loaded;
    return this.cursor.seq;
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const saved = await loadCursor(this.o.fs, this.o.dir, this.o.cursorName);
    this.cursor = saved ?? CHAIN_START;
    this.lastSeq = Math.max(this.lastSeq, this.cursor.seq, (await this.o.logHead?.().catch(() => 0)) ?? 0);
    this.markLoaded();
    this.update({ deliveredSeq: this.cursor.seq, lastError: saved ? undefined : 'the delivery cursor was unreadable; sending the whole log again' });
    while (!this.stopping) {
      this.woken = false;
      let outcome: Attempt;
      try {
        await this.o.fs.mkdir(cursorDir(this.o.dir), { recursive: true });
        // One window delivers at a time; the others wait here, then find the work done.
        outcome = await withFileLock(this.o.fs, `${cursorDir(this.o.dir)}/${this.o.cursorName}.lease`, () => this.attempt(), {
          timeoutMs: 60_000,
          staleMs: 60_000,
          signal: this.stopController.signal,
        });
      } catch (err) {
        if (this.stopping) break;
        outcome = { kind: 'failed', reason: err instanceof LockTimeoutError ? `${err.message} (another window delivering?)` : `the audit log could not be read (${fsReason(err)})` };
      }
      if (outcome.kind === 'stopped') break;
      if (outcome.kind === 'tooLarge') this.batchLimit = Math.ceil(this.batchLimit / 2);
      else if (outcome.kind === 'failed') await this.failed(outcome.reason, outcome.retryAfterMs);
      else if (outcome.kind === 'empty' || outcome.kind === 'waiting') {
        // A missing secret waits for a new one (retryNow on change) or the next poll.
        this.update(outcome.kind === 'waiting' ? { state: 'failing', lastError: outcome.reason } : { state: 'idle', failures: 0, nextAttemptAt: undefined });
        await this.idle();
      }
    }
  }

  /** One batch: read after the cursor, sign, send, and on 2xx move the cursor. */
  private async attempt(): Promise<Attempt> {
    await this.catchUpWithOtherWindows();
    const retry = this.unacknowledged;
    const same = retry && retry.after.seq === this.cursor.seq && retry.after.hash === this.cursor.hash;
    const batch = same ? retry.batch : await this.reader.read(this.cursor, this.batchLimit, this.o.batchMaxBytes);
    if (!same) this.unacknowledged = undefined;
    if ('problem' in batch) return { kind: 'failed', reason: `the audit log cannot be delivered: ${batch.problem}` };
    this.lastSeq = Math.max(this.lastSeq, batch.head.seq);
    if (!batch.events.length) return { kind: 'empty' };
    const events = this.o.format === 'ocsf' ? batch.events.map((e, i) => JSON.stringify(toOcsf(e, batch.lines[i]!))) : batch.lines;
    if (this.o.destination) return this.sendTo(this.o.destination, batch, events);
    if (this.o.preset === 'splunkHec') return this.sendToHec(batch, events);
    const body = Buffer.from(`{"type":"rootTasks.audit.batch","timestamp":${JSON.stringify(batch.events.at(-1)!.time)},"data":{"events":[${events.join(',')}]}}`);
    // The same batch keeps the same webhook-id across retries, as Standard Webhooks asks.
    const id = `msg_${createHash('sha256').update(batch.events.map((e) => e.hash).join('.')).digest('hex').slice(0, 32)}`;
    let headers;
    try {
      const secrets = (await this.o.secrets?.()) ?? [];
      if (!secrets.length) throw new Error('no signing secret is set (run "Root Tasks: Set Audit Sink Secret")');
      headers = webhookHeaders(id, Math.floor(this.o.clock().getTime() / 1000), body, secrets);
    } catch (err) {
      return { kind: 'waiting', reason: err instanceof Error ? err.message : String(err) };
    }
    return this.post(batch, body, headers, (status) => `the sink answered HTTP ${status}`);
  }

  /** Posts one batch over the HTTP transport (webhook or HEC); a 2xx moves the cursor. */
  private async post(batch: ReadBatch & { events: AuditEvent[] }, body: Buffer, headers: Record<string, string>, refused: (status: number) => string): Promise<Attempt> {
    if (this.current.state !== 'failing') this.update({ state: 'delivering' });
    // From here the sink may have stored it: until a 2xx, this is the batch to send again.
    this.unacknowledged = { after: this.cursor, batch };
    let response;
    try {
      response = await this.o.transport!.post(body, headers, this.stopController.signal);
    } catch (err) {
      if (this.stopping) return { kind: 'stopped' };
      return { kind: 'failed', reason: err instanceof TransportError ? err.message : fsReason(err) };
    }
    if (response.status >= 200 && response.status < 300) {
      this.unacknowledged = undefined;
      await this.acknowledged(batch.head);
      return { kind: 'acked' };
    }
    // The sink's body limit does not change between batches: the smaller size is kept. The
    // sink refused the body without storing it, so a smaller batch is a new message.
    if (response.status === 413 && this.batchLimit > 1) {
      this.unacknowledged = undefined;
      return { kind: 'tooLarge' };
    }
    return { kind: 'failed', reason: refused(response.status), retryAfterMs: response.retryAfterMs };
  }

  /**
   * One batch to a Splunk HTTP Event Collector: the same transport, retries and cursor as the
   * webhook; the token (the sink secret) goes in `Authorization: Splunk <token>` and is never
   * logged. 2xx means HEC accepted the batch (indexer acknowledgement is not used).
   */
  private async sendToHec(batch: ReadBatch & { events: AuditEvent[] }, formatted: readonly string[]): Promise<Attempt> {
    const token = ((await this.o.secrets?.()) ?? [])[0];
    if (!token) return { kind: 'waiting', reason: 'no HEC token is set (run "Root Tasks: Set Audit Sink Secret")' };
    const sourcetype = this.o.format === 'ocsf' ? 'ocsf' : 'aws:root-tasks:audit';
    const host = JSON.stringify(this.o.hecHost ?? 'aws-root-tasks');
    const body = Buffer.from(batch.events.map((e, i) =>
      `{"time":${(Date.parse(e.time) / 1000).toFixed(3)},"host":${host},"source":"aws-root-tasks","sourcetype":"${sourcetype}","event":${formatted[i]}}`).join('\n'));
    const headers = { 'content-type': 'application/json', authorization: `Splunk ${token}` };
    return this.post(batch, body, headers, (status) =>
      `Splunk HEC answered HTTP ${status}${status === 401 || status === 403 ? ' (the HEC token is missing, invalid or disabled)' : ''}`);
  }

  /** One batch to a non-webhook destination; the same rules: the cursor moves only once it is stored. */
  private async sendTo(destination: BatchDestination, batch: ReadBatch & { events: AuditEvent[] }, formatted: readonly string[]): Promise<Attempt> {
    if (this.current.state !== 'failing') this.update({ state: 'delivering' });
    this.unacknowledged = { after: this.cursor, batch };
    let result: DestinationResult;
    try {
      result = await destination.send({ events: batch.events, formatted }, this.stopController.signal);
    } catch (err) {
      if (this.stopping) return { kind: 'stopped' };
      return { kind: 'failed', reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    if (result.kind === 'acked') {
      this.unacknowledged = undefined;
      await this.acknowledged(batch.head, result.note);
      return { kind: 'acked' };
    }
    if (this.stopping) return { kind: 'stopped' };
    if (result.kind === 'tooLarge' && this.batchLimit > 1) {
      this.unacknowledged = undefined;
      return { kind: 'tooLarge' };
    }
    return { kind: 'failed', reason: result.kind === 'failed' ? result.reason : 'a single event is too large for the destination', retryAfterMs: result.kind === 'failed' ? result.retryAfterMs : undefined };
  }

  /**
   * Every window runs a worker over the same log and cursor file. Starting from the furthest
   * acknowledged point keeps them from all re-sending each other's batches (the reader checks
   * that this point is in the log with the same hash).
   */
  private async catchUpWithOtherWindows(): Promise<void> {
    const saved = await loadCursor(this.o.fs, this.o.dir, this.o.cursorName);
    if (saved && saved.seq > this.cursor.seq) {
      this.cursor = saved;
      this.update({ deliveredSeq: saved.seq });
    }
  }

  private async acknowledged(head: ChainHead, note?: string): Promise<void> {
    let lastError: string | undefined = note;
    try {
      const saved = await loadCursor(this.o.fs, this.o.dir, this.o.cursorName);
      // Another window may already have saved a later point; never move the file back.
      if (!saved || saved.seq < head.seq) await saveCursor(this.o.fs, this.o.dir, this.o.cursorName, head, this.o.sinkOrigin, this.o.clock());
    } catch (err) {
      // Delivered all the same; after a restart these events are only sent again.
      lastError = `the delivery cursor could not be saved (${fsReason(err)})`;
    }
    // The cursor and the published status move together, so deliveredSeq() never runs ahead.
    this.cursor = head;
    this.update({ state: 'delivering', deliveredSeq: head.seq, failures: 0, lastError, nextAttemptAt: undefined, lastDeliveredAt: this.o.clock() });
  }

  private async failed(reason: string, retryAfterMs?: number): Promise<void> {
    const failures = this.current.failures + 1;
    const delay = Math.min(this.o.backoff.maxMs, Math.max(backoffDelay(failures, this.o.backoff, this.o.random), retryAfterMs ?? 0));
    this.update({ state: 'failing', failures, lastError: reason, nextAttemptAt: new Date(this.o.clock().getTime() + delay) });
    this.backoffWait = new AbortController();
    const stop = () => this.backoffWait?.abort();
    this.stopController.signal.addEventListener('abort', stop, { once: true });
    try {
      await this.o.sleep(delay, this.backoffWait.signal);
    } finally {
      this.stopController.signal.removeEventListener('abort', stop);
      this.backoffWait = undefined;
    }
  }

  /** Waits for notify(), retryNow(), stop() or the poll interval. */
  private idle(): Promise<void> {
    if (this.stopping || this.woken) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.o.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private update(change: Partial<DeliveryStatus>): void {
    const next = { ...this.current, ...change };
    next.pending = Math.max(0, this.lastSeq - next.deliveredSeq);
    this.current = next;
    this.o.onStatus?.({ ...next });
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
