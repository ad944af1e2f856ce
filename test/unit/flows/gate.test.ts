// The one audited gate (src/core/gate.ts): every AWS call of every flow is paced by the shared
// limiter and recorded with its outcome and request id; a record that cannot be written stops
// the calls (fail closed) whatever the recorder threw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAuditFailure } from '../../../src/core/audit/errors';
import type { AuditInput } from '../../../src/core/audit/types';
import { createGate, requestIdOf } from '../../../src/core/gate';

function harness(opts: { failRecord?: (e: AuditInput) => boolean; pipelineReads?: boolean; bestEffort?: boolean } = {}) {
  const events: AuditInput[] = [];
  const order: string[] = [];
  const problems: unknown[] = [];
  const gate = createGate({
    record: async (e) => {
      if (opts.failRecord?.(e)) throw new Error('ENOSPC');
      events.push(e);
    },
    limiter: { run: (fn) => { order.push('limiter'); return fn(); } },
    pipelineReads: opts.pipelineReads,
    bestEffortReads: opts.bestEffort ? (err) => problems.push(err) : undefined,
  });
  return { gate, events, order, problems };
}

test('reads and writes are paced by the limiter and recorded with outcome and request id', async () => {
  const h = harness();
  await h.gate.read('GetBucketPolicy', 'arn:aws:s3:::b', async () => ({ $metadata: { requestId: 'r-1' } }));
  await h.gate.write('PutBucketPolicy', 'arn:aws:s3:::b', async () => ({ requestId: 'r-2' }), { afterSha256: 'f'.repeat(64) });
  await assert.rejects(h.gate.read('GetQueueAttributes', 'arn:aws:sqs:us-east-1:1:q', async () => {
    throw Object.assign(new Error('Access denied'), { name: 'AccessDenied', $metadata: { requestId: 'r-3' } });
  }), /Access denied/);
  assert.deepEqual(h.order, ['limiter', 'limiter', 'limiter']);
  assert.equal(h.gate.calls, 3);
  assert.deepEqual(h.events.map((e) => [e.kind, e.operation, e.outcome, e.requestId]), [
    ['aws.read', 'GetBucketPolicy', 'ok', 'r-1'],
    ['aws.write', 'PutBucketPolicy', 'ok', 'r-2'],
    ['aws.read', 'GetQueueAttributes', 'error', 'r-3'],
  ]);
  assert.equal(h.events[1].afterSha256, 'f'.repeat(64));
  assert.match(h.events[2].error ?? '', /Access denied/);
});

test('a write whose record fails throws an audit failure; no later call starts', async () => {
  const h = harness({ failRecord: (e) => e.kind === 'aws.write' });
  await assert.rejects(h.gate.write('PutBucketPolicy', 'arn:aws:s3:::b', async () => ({})), (err: Error) => isAuditFailure(err) && /ENOSPC/.test(err.message));
  await assert.rejects(h.gate.read('GetBucketPolicy', 'arn:aws:s3:::b', async () => assert.fail('no call after a failed record')), (err: Error) => isAuditFailure(err));
});

test('a read whose record fails stops the next call (unpipelined: that very call)', async () => {
  const h = harness({ failRecord: (e) => e.kind === 'aws.read' });
  await assert.rejects(h.gate.read('ListBuckets', '*', async () => ({})), (err: Error) => isAuditFailure(err));
  await assert.rejects(h.gate.read('GetBucketPolicy', 'arn:aws:s3:::b', async () => assert.fail('no call after a failed record')), (err: Error) => isAuditFailure(err));
});

test('pipelined reads do not wait for their records; the first failure stops a later call and settle() throws it', async () => {
  let release!: () => void;
  const slow = new Promise<void>((r) => (release = r));
  const events: string[] = [];
  const gate = createGate({
    record: async (e) => {
      await slow;
      if (e.operation === 'B') throw new Error('EIO');
      events.push(e.operation!);
    },
    limiter: { run: (fn) => fn() },
    pipelineReads: true,
  });
  await gate.read('A', 'x', async () => ({}));
  await gate.read('B', 'x', async () => ({}));
  assert.deepEqual(events, [], 'the calls returned before their records were written');
  release();
  await assert.rejects(gate.settle(), (err: Error) => isAuditFailure(err) && /EIO/.test(err.message));
  assert.deepEqual(events, ['A'], 'records kept their order');
  await assert.rejects(gate.read('C', 'x', async () => assert.fail('no call after a failed record')), /EIO/);
});

test('best-effort reads (read-only diagnostics) report a failed record instead of failing', async () => {
  const h = harness({ failRecord: () => true, bestEffort: true });
  const r = await h.gate.read('DescribeOrganization', '*', async () => ({ ok: true }));
  assert.deepEqual(r, { ok: true });
  assert.equal(h.problems.length, 1);
  await assert.rejects(h.gate.write('EnableAWSServiceAccess', '*', async () => ({})), (err: Error) => isAuditFailure(err), 'writes always need their record');
});

test('requestIdOf reads SDK metadata and plain fields, nothing else', () => {
  assert.equal(requestIdOf({ $metadata: { requestId: 'a' } }), 'a');
  assert.equal(requestIdOf({ requestId: 'b' }), 'b');
  assert.equal(requestIdOf({ requestId: '' }), undefined);
  assert.equal(requestIdOf('x'), undefined);
});

test('calls waiting in the limiter when a record fails are never sent, and not recorded', async () => {
  const queue: Array<() => void> = [];
  const recorded: string[] = [];
  const sent: string[] = [];
  const gate = createGate({
    record: async (e) => {
      if (e.operation === 'A') throw new Error('EIO');
      recorded.push(e.operation!);
    },
    // One slot: later calls wait for it.
    limiter: { run: (fn) => new Promise((resolve, reject) => queue.push(() => fn().then(resolve, reject))) },
    pipelineReads: true,
  });
  const calls = ['A', 'B', 'C'].map((op) => gate.read(op, 'x', async () => void sent.push(op)));
  assert.equal(queue.length, 3, 'all three passed the gate and wait for the limiter');
  queue.shift()!();
  await calls[0];
  await new Promise((r) => setImmediate(r));
  queue.shift()!();
  queue.shift()!();
  const later = await Promise.allSettled(calls.slice(1));
  for (const r of later) assert.ok(r.status === 'rejected' && isAuditFailure(r.reason) && /EIO/.test((r.reason as Error).message));
  assert.deepEqual(sent, ['A']);
  assert.deepEqual(recorded, [], 'a call never sent has no record');
  await assert.rejects(gate.settle(), /EIO/);
});
