import { cursorName } from './cursor';
import { DeliveryWorker, type BatchDestination, type DeliveryStatus, type DeliveryWorkerOptions, type SinkPreset } from './delivery';
import { AuditGateError } from './errors';
import type { AuditFs } from './fs';
import type { AuditFormat } from './ocsf';
import { createHttpsTransport, parseSinkUrl, TransportError, type SinkTransport } from './httpsTransport';

/** What the trail's gate needs from delivery (see AuditTrailOptions.delivery). */
export interface DeliveryPort {
  /** Seq the sink has acknowledged. */
  deliveredSeq(): Promise<number>;
  /** Resolves once the sink acknowledged `seq`; rejects with AuditGateError('ack') after timeoutMs. */
  waitForAck(seq: number, timeoutMs: number): Promise<void>;
  /** Someone waits for an acknowledgement: retry now instead of after the backoff. */
  retryNow(): void;
}

export interface SinkConfig {
  url: string;
  /** PEM of a private CA; or the reason it could not be read (reported as the failure). */
  caPem?: string;
  caError?: string;
  /** Current secret first, then the previous one during a rotation. */
  secrets: () => Promise<readonly string[]> | readonly string[];
  requestTimeoutMs?: number;
  /** Native events (default) or OCSF 1.1.0 (rootTasks.audit.format). */
  format?: AuditFormat;
  /** Standard Webhooks (default) or the Splunk HTTP Event Collector preset. */
  preset?: SinkPreset;
  hecHost?: string;
}

export interface DestinationConfig {
  /** How the destination is named in messages and the cursor file (never a secret). */
  label: string;
  /** What identifies the destination for its cursor (e.g. cloudwatch:<region>/<group>/<stream>). */
  cursorKey: string;
  destination: BatchDestination;
  format?: AuditFormat;
  batchMaxEvents?: number;
  batchMaxBytes?: number;
}

export type SinkStatus = ({ configured: true; sink: string } & DeliveryStatus) | { configured: false };

export interface SinkControllerOptions {
  dir: string;
  fs?: AuditFs;
  logHead?: () => Promise<number>;
  onStatus?: (status: SinkStatus) => void;
  /** Tests shorten batches, backoff and time here. */
  worker?: Partial<DeliveryWorkerOptions>;
  makeTransport?: (config: SinkConfig) => SinkTransport;
}

/**
 * Owns the one delivery worker for the configured sink and swaps it when the URL, CA or secrets
 * change. Acknowledgement waiters live here, so they survive a swap. A sink that cannot even be
 * set up (bad URL, unreadable CA) still gets a worker whose every attempt fails with that reason:
 * the events pile up as pending and the gate refuses, exactly as for an unreachable sink.
 */
export class SinkController {
  private worker: DeliveryWorker | undefined;
  private transport: SinkTransport | undefined;
  private sink = '';
  private waiters = new Set<{ seq: number; resolve: () => void }>();
  private latest: SinkStatus = { configured: false };

  constructor(private readonly options: SinkControllerOptions) {}

  async configure(config: SinkConfig | undefined): Promise<void> {
    await this.shutdown();
    if (!config?.url.trim()) {
      this.publish({ configured: false });
      return;
    }
    const url = config.url.trim();
    this.sink = originOf(url);
    this.transport = this.buildTransport({ ...config, url });
    this.worker = new DeliveryWorker({
      dir: this.options.dir,
      fs: this.options.fs,
      logHead: this.options.logHead,
      ...this.options.worker,
      transport: this.transport,
      sinkOrigin: this.sink,
      cursorName: cursorName(url),
      secrets: config.secrets,
      format: config.format,
      preset: config.preset,
      hecHost: config.hecHost,
      onStatus: (s) => this.publish({ configured: true, sink: this.sink, ...s }),
    });
    this.worker.start();
  }

  /**
   * A destination other than the webhook (CloudWatch Logs, S3 with Object Lock): its own worker
   * and cursor (`cursorKey` names the destination: a new one receives the whole log), the same
   * at-least-once delivery, backoff and acknowledgement waiters. Undefined: not configured.
   */
  async configureDestination(config: DestinationConfig | undefined): Promise<void> {
    await this.shutdown();
    if (!config) {
      this.publish({ configured: false });
      return;
    }
    this.sink = config.label;
    this.worker = new DeliveryWorker({
      dir: this.options.dir,
      fs: this.options.fs,
      logHead: this.options.logHead,
      ...this.options.worker,
      destination: config.destination,
      sinkOrigin: config.label,
      cursorName: cursorName(config.cursorKey),
      format: config.format,
      batchMaxEvents: config.batchMaxEvents ?? this.options.worker?.batchMaxEvents,
      batchMaxBytes: config.batchMaxBytes ?? this.options.worker?.batchMaxBytes,
      onStatus: (s) => this.publish({ configured: true, sink: config.label, ...s }),
    });
    this.worker.start();
  }

  status(): SinkStatus {
    return this.latest;
  }

  notify(seq: number): void {
    this.worker?.notify(seq);
  }

  /** The gate's view of delivery, or undefined when no sink is configured. */
  port(): DeliveryPort | undefined {
    if (!this.worker) return undefined;
    return {
      deliveredSeq: () => this.worker?.deliveredSeq() ?? Promise.resolve(0),
      retryNow: () => this.worker?.retryNow(),
      waitForAck: (seq, timeoutMs) => this.waitForAck(seq, timeoutMs),
    };
  }

  async dispose(): Promise<void> {
    await this.shutdown();
  }

  private waitForAck(seq: number, timeoutMs: number): Promise<void> {
    const delivered = this.latest.configured ? this.latest.deliveredSeq : 0;
    if (delivered >= seq) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        seq,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const why = this.latest.configured && this.latest.lastError ? ` (${this.latest.lastError})` : '';
        reject(new AuditGateError(
          `The audit sink did not acknowledge the intent within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}${why}. The root task was refused; the intent stays in the log and will be delivered.`,
          'ack',
        ));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private publish(status: SinkStatus): void {
    this.latest = status;
    if (status.configured) {
      for (const w of this.waiters) {
        if (w.seq <= status.deliveredSeq) {
          this.waiters.delete(w);
          w.resolve();
        }
      }
    }
    this.options.onStatus?.(status);
  }

  private buildTransport(config: SinkConfig): SinkTransport {
    try {
      if (config.caError) throw new Error(config.caError);
      return (this.options.makeTransport ?? defaultTransport)(config);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { post: () => Promise.reject(new TransportError('CONFIG', reason)), dispose: () => undefined };
    }
  }

  private async shutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.stop();
    this.transport?.dispose();
    this.transport = undefined;
  }
}

function defaultTransport(config: SinkConfig): SinkTransport {
  return createHttpsTransport({ url: config.url, caPem: config.caPem, timeoutMs: config.requestTimeoutMs ?? 15_000 });
}

function originOf(url: string): string {
  try {
    return parseSinkUrl(url).origin;
  } catch {
    return 'an invalid sink URL';
  }
}

/**
 * The gate's view of several destinations at once: an event counts as delivered once every
 * configured destination has acknowledged it (the backlog is the slowest one's), and strict
 * acknowledgement waits for all of them. Undefined when none is configured.
 */
export function combinedPort(controllers: readonly SinkController[]): DeliveryPort | undefined {
  const ports = controllers.map((c) => c.port()).filter((p): p is DeliveryPort => p !== undefined);
  if (ports.length <= 1) return ports[0];
  return {
    deliveredSeq: async () => Math.min(...(await Promise.all(ports.map((p) => p.deliveredSeq())))),
    retryNow: () => ports.forEach((p) => p.retryNow()),
    waitForAck: async (seq, timeoutMs) => {
      await Promise.all(ports.map((p) => p.waitForAck(seq, timeoutMs)));
    },
  };
}
