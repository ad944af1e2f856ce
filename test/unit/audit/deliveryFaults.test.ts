// Delivery to a real local HTTPS receiver under faults. Each case ends with assertAllDelivered:
// every event arrived (after de-duplication by id), in chain order, hashes verified, the local
// chain verifies; the number of duplicates is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { ReceiverStats } from '../../support/webhookReceiver';
import { assertAllDelivered, recordMany, scenario } from './fixtures';

/**
 * The README's contract: a retry is the same batch (same webhook-id, same body) however many
 * events were appended meanwhile, so a receiver that de-duplicates by webhook-id stores each
 * event once.
 */
function assertSameMessageRetried(stats: ReceiverStats): void {
  assert.equal(stats.changedRetries, 0, `${stats.changedRetries} retries after a failure were a different batch`);
  assert.equal(stats.messageConflicts, 0, 'a webhook-id was reused for a different body');
}

test('a failed batch is resent as the same message, although more events were appended meanwhile', async (t) => {
  // The backoff is long enough to append more events between the failure and the retry.
  const s = await scenario(t, { worker: { backoff: { baseMs: 600, maxMs: 600 }, batchMaxEvents: 100 } });
  s.receiver.setFaults({ errorRate: 1 });
  await s.connect();
  await recordMany(s.trail, 3, 'before the failure');
  await s.receiver.waitFor(() => s.receiver.stats.errors >= 1, 10_000);
  s.receiver.setFaults({});
  await recordMany(s.trail, 3, 'during the backoff');
  await assertAllDelivered('retry after appends', s, 6);
  assertSameMessageRetried(s.receiver.stats);
  assert.ok(s.receiver.stats.requests >= 3, 'the new events went in a batch of their own after the retry');
});

test('30 % of responses are 5xx: everything arrives, in order', async (t) => {
  const s = await scenario(t, { faults: { errorRate: 0.3 }, seed: 7 });
  await s.connect();
  await recordMany(s.trail, 1000, '5xx');
  await assertAllDelivered('30% 5xx', s, 1000);
  assert.ok(s.receiver.stats.errors > 0, 'no 5xx was injected');
  assertSameMessageRetried(s.receiver.stats);
  assert.ok(s.statuses.some((st) => st.configured && st.state === 'failing'), 'the status never showed failing');
});

test('5 s stalls are cut by the request timeout and retried', async (t) => {
  // Real 5 s stalls; the client gives up after 250 ms, so the suite does not wait them out.
  const s = await scenario(t, { faults: { stallRate: 0.25, stallMs: 5000 }, seed: 3, requestTimeoutMs: 250 });
  await s.connect();
  await recordMany(s.trail, 400, 'stall');
  await assertAllDelivered('5 s stalls', s, 400);
  assert.ok(s.receiver.stats.stalls > 0, 'no stall was injected');
  assertSameMessageRetried(s.receiver.stats);
  assert.ok(s.statuses.some((st) => st.configured && /TIMEOUT|within 250 ms/.test(st.lastError ?? '')), 'no request timed out');
});

test('connection resets are retried', async (t) => {
  const s = await scenario(t, { faults: { resetRate: 0.3 }, seed: 11 });
  await s.connect();
  await recordMany(s.trail, 600, 'reset');
  await assertAllDelivered('connection resets', s, 600);
  assert.ok(s.receiver.stats.resets > 0, 'no reset was injected');
  assertSameMessageRetried(s.receiver.stats);
  assert.ok(s.statuses.some((st) => st.configured && /ECONNRESET|socket hang up/.test(st.lastError ?? '')), 'no reset was seen');
});

test('a burst of 10,000 events across rotated segments, while delivering', async (t) => {
  const s = await scenario(t, { trail: { maxFileBytes: 256 * 1024 }, worker: { batchMaxEvents: 100 } });
  await s.connect();
  const started = performance.now();
  await recordMany(s.trail, 10_000, 'burst');
  const written = performance.now() - started;
  assert.ok(readdirSync(s.dir).filter((n) => n.endsWith('.jsonl')).length > 5, 'expected rotation during the burst');
  await assertAllDelivered('burst of 10,000', s, 10_000, 60_000);
  console.log(`[audit burst] 10,000 events written in ${written.toFixed(0)} ms, delivered after ${(performance.now() - started).toFixed(0)} ms`);
});

test('a sink that rejects big bodies with 413 gets smaller batches', async (t) => {
  const s = await scenario(t, { faults: { maxBodyBytes: 8 * 1024 }, worker: { batchMaxEvents: 100 } });
  await s.connect();
  await recordMany(s.trail, 200, '413');
  await assertAllDelivered('413 halving', s, 200);
  assert.ok(s.receiver.stats.tooLarge > 0);
});
