// The gate before AssumeRoot (recordIntent): strict acknowledgement, the pending bound, and the
// sink set-ups that must fail visibly (untrusted certificate, wrong secret, plain http).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditGateError, AuditWriteError, type SinkStatus } from '../../../src/core/audit';
import { assertAllDelivered, newSecret, newTrail, recordMany, scenario, tempDir } from './fixtures';

const intent = { kind: 'intent', task: 'S3UnlockBucketPolicy', accountId: '444455556666', resource: 'arn:aws:s3:::locked', justification: 'prod down', ticket: 'OPS-7' } as const;
const kindsInLog = (dir: string) =>
  readdirSync(dir).filter((n) => n.endsWith('.jsonl')).flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean)).map((l) => JSON.parse(l).kind as string);
const lastStatus = (statuses: SinkStatus[]) => statuses.at(-1) as Extract<SinkStatus, { configured: true }>;

test('strict mode: recordIntent returns only after the sink has the intent', async (t) => {
  const s = await scenario(t, { trail: { strictAck: () => true, ackTimeoutMs: 5000 } });
  await s.connect();
  await recordMany(s.trail, 20, 'strict');
  const event = await s.trail.recordIntent(intent);
  assert.ok(s.receiver.events().some((e) => e.id === event.id), 'recordIntent returned before the sink acknowledged');
  await assertAllDelivered('strict ack', s, 21);
});

test('strict mode: an unreachable sink refuses the task after the ack timeout, and says so in the log', async (t) => {
  const s = await scenario(t, { trail: { strictAck: () => true, ackTimeoutMs: 400 } });
  await s.connect();
  await s.receiver.down();
  await recordMany(s.trail, 1, 'before the intent');
  await s.receiver.waitFor(() => /ECONNREFUSED/.test(lastStatus(s.statuses).lastError ?? ''));
  await assert.rejects(s.trail.recordIntent(intent), (err: Error) => {
    assert.ok(err instanceof AuditGateError && !(err instanceof AuditWriteError));
    assert.equal(err.reason, 'ack');
    assert.match(err.message, /^The audit sink did not acknowledge the intent within 400 ms/);
    assert.match(err.message, /ECONNREFUSED/);
    return true;
  });
  assert.deepEqual(kindsInLog(s.dir), ['aws.read', 'intent', 'guardrail.refused']);
  await s.receiver.up();
  await assertAllDelivered('strict ack after outage', s, 3);
});

test('strict mode without a sink refuses before anything is recorded as intent', async (t) => {
  const dir = tempDir(t);
  const trail = newTrail(dir, { strictAck: () => true, delivery: () => undefined });
  await assert.rejects(trail.recordIntent(intent), (err: Error) => err instanceof AuditGateError && err.reason === 'config');
  assert.deepEqual(kindsInLog(dir), ['guardrail.refused']);
});

test('more pending events than maxPending refuse new root tasks until the sink catches up', async (t) => {
  const s = await scenario(t, { trail: { maxPending: () => 5 } });
  await s.connect();
  await s.receiver.down();
  await recordMany(s.trail, 6, 'backlog');
  await assert.rejects(s.trail.recordIntent(intent), (err: Error) => {
    assert.ok(err instanceof AuditGateError);
    assert.equal(err.reason, 'backlog');
    assert.match(err.message, /^6 audit events are waiting for the audit sink \(limit 5\)/);
    return true;
  });
  assert.ok(!kindsInLog(s.dir).includes('intent'));
  await s.receiver.up();
  s.sink.port()!.retryNow();
  await s.receiver.waitFor(() => s.receiver.events().length === 7);
  await s.receiver.waitFor(() => lastStatus(s.statuses).pending === 0);
  const event = await s.trail.recordIntent(intent);
  assert.equal(event.seq, 8);
  await assertAllDelivered('pending bound', s, 8);
});

test('an untrusted certificate fails visibly; the custom CA makes it deliver', async (t) => {
  const s = await scenario(t);
  await s.connect({ caPem: '' });
  await recordMany(s.trail, 3, 'tls');
  await s.receiver.waitFor(() => /self-signed|certificate/i.test(lastStatus(s.statuses).lastError ?? ''));
  assert.equal(s.receiver.events().length, 0);
  await s.connect();
  await assertAllDelivered('custom CA', s, 3);
});

test('secret rotation: current and previous both sign, so either receiver secret accepts', async (t) => {
  const s = await scenario(t);
  const [previous] = s.secrets;
  const current = newSecret();
  await s.connect({ secrets: [current, previous!] });
  await recordMany(s.trail, 5, 'rotation');
  await s.receiver.waitFor(() => s.receiver.events().length === 5);
  s.receiver.setSecrets([current]);
  await s.connect({ secrets: [current] });
  await recordMany(s.trail, 5, 'rotated');
  await assertAllDelivered('secret rotation', s, 10);
  // A sender with only an unknown secret is rejected by the receiver and shows as failing.
  await s.connect({ secrets: [newSecret()] });
  await recordMany(s.trail, 1, 'wrong secret');
  await s.receiver.waitFor(() => s.receiver.stats.badSignatures > 0 && /HTTP 401/.test(lastStatus(s.statuses).lastError ?? ''));
});

test('a plain http sink URL is refused and the events stay pending', async (t) => {
  const s = await scenario(t);
  await s.sink.configure({ url: s.receiver.url.replace('https:', 'http:'), secrets: () => s.secrets });
  await recordMany(s.trail, 2, 'http');
  await s.receiver.waitFor(() => /must start with https:\/\//.test(lastStatus(s.statuses).lastError ?? ''));
  assert.equal(lastStatus(s.statuses).pending, 2);
});

test('the gate takes a root session intent and a scan intent, and refuses any other kind', async (t) => {
  const dir = tempDir(t);
  const trail = newTrail(dir);
  await trail.recordIntent(intent);
  await trail.recordIntent({ kind: 'scan.started', taskId: 'scan-1', operation: 'scan (rootSession)', resource: 'Workloads / Prod', justification: 'sweep', ticket: 'SEC-1', outcome: 'ok' });
  await assert.rejects(trail.recordIntent({ kind: 'aws.read', operation: 'GetBucketPolicy' }), /recordIntent records "intent", "scan.started" and "breakGlass" events only/);
  assert.deepEqual(kindsInLog(dir), ['intent', 'scan.started']);
});

test('break-glass always needs the sink: without one it is refused even with strictAck off', async (t) => {
  const dir = tempDir(t);
  const trail = newTrail(dir, { strictAck: () => false, delivery: () => undefined });
  const breakGlass = { kind: 'breakGlass', accountId: '444455556666', justification: 'prod down, nobody to approve', outcome: 'ok', detail: { severity: 'high', notice: 'break-glass' } } as const;
  await assert.rejects(trail.recordIntent(breakGlass), (err: Error) => err instanceof AuditGateError && err.reason === 'config' && /Break-glass needs the audit sink/.test(err.message));
  assert.deepEqual(kindsInLog(dir), ['guardrail.refused']);
});
