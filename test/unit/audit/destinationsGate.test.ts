// Several destinations at once: the gate's combined view (delivered = the slowest destination's
// seq, strict acknowledgement waits for every destination, a retry reaches all), and Check
// Setup's item per destination with that destination's own state and reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combinedPort, createAuditTrail, SinkController, type DestinationResult } from '../../../src/core/audit';
import { auditDestinationItems } from '../../../src/core/setupCheck';

function destination(answer: () => DestinationResult) {
  const sent: number[] = [];
  return { sent, destination: { send: async (b: { events: readonly { seq: number }[] }) => {
    const r = answer();
    if (r.kind === 'acked') sent.push(...b.events.map((e) => e.seq));
    return r;
  } } };
}

test('the gate counts an event delivered once every destination has it; strict ack waits for all', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-multi-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let bOk = false;
  const a = destination(() => ({ kind: 'acked' }));
  const b = destination(() => (bOk ? { kind: 'acked' } : { kind: 'failed', reason: 'CloudWatch Logs: the log group /x does not exist' }));
  const opts = { dir, logHead: async () => (await trail.head()).seq, worker: { backoff: { baseMs: 5, maxMs: 20 }, pollMs: 20 } };
  const first = new SinkController(opts);
  const second = new SinkController(opts);
  t.after(async () => {
    await first.dispose();
    await second.dispose();
  });
  const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::210987654321:user/alice', delivery: () => combinedPort([first, second]), strictAck: () => true, ackTimeoutMs: 300 });
  trail.onDidRecord((e) => {
    first.notify(e.seq);
    second.notify(e.seq);
  });
  await first.configureDestination({ label: 'A', cursorKey: 'a', destination: a.destination });
  await second.configureDestination({ label: 'B', cursorKey: 'b', destination: b.destination });
  await trail.record({ kind: 'aws.read', operation: 'ListBuckets', outcome: 'ok' });
  // One destination failing: strict acknowledgement refuses the intent (it is still in the log).
  await assert.rejects(trail.recordIntent({ kind: 'intent', taskId: 't', task: 'S3UnlockBucketPolicy', accountId: '320000000001', justification: 'j', ticket: 'T-1' }), (err: Error & { reason?: string }) => err.reason === 'ack');
  assert.ok(a.sent.includes(2), 'the healthy destination has the intent');
  assert.equal(await combinedPort([first, second])!.deliveredSeq(), 0);
  bOk = true;
  await trail.recordIntent({ kind: 'intent', taskId: 't2', task: 'S3UnlockBucketPolicy', accountId: '320000000001', justification: 'j', ticket: 'T-2' });
  // The refusal itself was recorded (guardrail.refused) before this intent.
  const intentSeq = (await trail.head()).seq;
  assert.equal(intentSeq, 4);
  assert.ok(b.sent.includes(intentSeq), 'strict acknowledgement returned once the slowest destination had the intent');
  assert.ok((await combinedPort([first, second])!.deliveredSeq()) >= intentSeq);
  // Separate cursors: each destination got every event, in order.
  assert.deepEqual([...new Set(a.sent)].slice(0, 4), [1, 2, 3, 4]);
  assert.deepEqual([...new Set(b.sent)].slice(0, 4), [1, 2, 3, 4]);
});

test('Check Setup: one item per destination, with its own state and reason', () => {
  const items = auditDestinationItems([
    { configured: true, sink: 'CloudWatch Logs /security/root-access/aws-root-tasks', state: 'idle', pending: 0, failures: 0, lastDeliveredAt: new Date('2026-01-01T00:00:00Z'), required: false },
    { configured: true, sink: 'S3 acme-audit (Object Lock COMPLIANCE, 365 days)', state: 'failing', pending: 4, failures: 3, lastError: 'S3 bucket acme-audit has no Object Lock', required: true },
  ]);
  assert.deepEqual(items.map((i) => [i.id, i.status]), [['auditDestination', 'ok'], ['auditDestination', 'fail']]);
  assert.match(items[0]!.title, /CloudWatch Logs/);
  assert.match(items[1]!.detail, /has no Object Lock/);
  assert.match(items[1]!.detail, /4 events wait/);
});
