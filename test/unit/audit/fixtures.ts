// Shared set-up for the audit tests (not a test file itself).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditTrail, SinkController, type AuditTrail, type AuditTrailOptions, type SinkStatus } from '../../../src/core/audit';
import type { DeliveryWorkerOptions } from '../../../src/core/audit/delivery';
import { chainProblem, startWebhookReceiver, type ReceiverFaults, type WebhookReceiver } from '../../support/webhookReceiver';

export const ACTOR = 'arn:aws:iam::111122223333:user/alice';

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A temp folder removed when the test ends (also on failure). */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function newTrail(dir: string, options: Partial<AuditTrailOptions> = {}): AuditTrail {
  return createAuditTrail({ dir, actor: () => ACTOR, ...options });
}

/** Virtual time for backoff waits: sleepers wake only when the test advances the clock. */
export class FakeClock {
  elapsed = 0;
  private sleepers: Array<{ until: number; wake: () => void }> = [];
  constructor(private readonly start = Date.now()) {}

  now = (): Date => new Date(this.start + this.elapsed);

  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      const sleeper = { until: this.elapsed + ms, wake: resolve };
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      }, { once: true });
      this.sleepers.push(sleeper);
    });

  /** Moves time on, wakes the sleepers that are due, and lets them run (real I/O included). */
  async advance(ms: number): Promise<void> {
    this.elapsed += ms;
    const due = this.sleepers.filter((s) => s.until <= this.elapsed);
    this.sleepers = this.sleepers.filter((s) => s.until > this.elapsed);
    for (const s of due) s.wake();
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Scenario {
  dir: string;
  trail: AuditTrail;
  sink: SinkController;
  receiver: WebhookReceiver;
  secrets: string[];
  statuses: SinkStatus[];
  /** Starts (or restarts) delivery to the receiver. */
  connect(overrides?: { secrets?: string[]; caPem?: string; requestTimeoutMs?: number; format?: 'native' | 'ocsf' }): Promise<void>;
}

/** A trail in a temp folder, a real HTTPS receiver with faults, and a sink controller between them. */
export async function scenario(t: TestContext, options: {
  faults?: ReceiverFaults;
  worker?: Partial<DeliveryWorkerOptions>;
  trail?: Partial<AuditTrailOptions>;
  seed?: number;
  requestTimeoutMs?: number;
} = {}): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-audit-'));
  const secrets = [newSecret()];
  const receiver = await startWebhookReceiver({ secrets, seed: options.seed });
  receiver.setFaults(options.faults ?? {});
  const statuses: SinkStatus[] = [];
  const sink = new SinkController({
    dir,
    logHead: async () => (await trail.head()).seq,
    onStatus: (s) => statuses.push(s),
    worker: { backoff: { baseMs: 5, maxMs: 100 }, pollMs: 50, batchMaxEvents: 50, ...options.worker },
  });
  // One hook, in this order: stop delivery, close the receiver, remove the folder.
  t.after(async () => {
    await sink.dispose();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const trail = newTrail(dir, { delivery: () => sink.port(), ...options.trail });
  trail.onDidRecord((e) => sink.notify(e.seq));
  const connect: Scenario['connect'] = (o = {}) =>
    sink.configure({
      url: receiver.url,
      caPem: o.caPem ?? receiver.caPem,
      secrets: () => o.secrets ?? secrets,
      requestTimeoutMs: o.requestTimeoutMs ?? options.requestTimeoutMs ?? 2000,
      format: o.format,
    });
  return { dir, trail, sink, receiver, secrets, statuses, connect };
}

export async function recordMany(trail: AuditTrail, count: number, label: string): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, i) =>
    trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', resource: `arn:aws:s3:::bucket-${i}`, outcome: 'ok', detail: { scenario: label, i } })));
}

/**
 * The assertion every delivery scenario ends with: the sink acknowledged everything, all events
 * arrived (after de-duplication) in chain order with valid hashes, none conflicted, the local
 * chain verifies. Prints the number of duplicates the receiver dropped.
 */
export async function assertAllDelivered(name: string, s: Scenario, expected: number, timeoutMs = 30_000): Promise<number> {
  await s.receiver.waitFor(() => s.receiver.events().length >= expected, timeoutMs);
  const started = Date.now();
  while ((await s.sink.port()!.deliveredSeq()) < expected) {
    if (Date.now() - started > timeoutMs) assert.fail(`${name}: sink acknowledged only ${await s.sink.port()!.deliveredSeq()} of ${expected}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(chainProblem(s.receiver.events(), expected), undefined);
  assert.equal(s.receiver.stats.conflicts, 0, 'an event id arrived twice with different content');
  assert.equal(s.receiver.stats.badSignatures, 0, 'a batch failed signature verification');
  const verified = await s.trail.verify();
  assert.deepEqual(verified, { ok: true, events: expected, problem: undefined });
  const st = s.receiver.stats;
  console.log(`[audit ${name}] ${expected} events delivered; duplicates dropped by the receiver: ${st.duplicates}; requests ${st.requests} (5xx ${st.errors}, stalls ${st.stalls}, resets ${st.resets}, 413 ${st.tooLarge})`);
  return st.duplicates;
}
