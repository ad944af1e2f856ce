// The webhook destination with rootTasks.audit.format = ocsf: the same at-least-once delivery
// (here through 5xx answers and connection resets), each event sent as OCSF 1.1.0 that validates
// against the schema copy, and the native chain recovered whole from raw_data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllDelivered, recordMany, scenario } from '../audit/fixtures';
import { loadSchema, validateOcsf } from './validate';

test('OCSF delivery: every event at least once, each valid OCSF, the chain verifiable from raw_data', async (t) => {
  const s = await scenario(t, { faults: { errorRate: 0.3, resetRate: 0.1 }, seed: 7 });
  await s.connect({ format: 'ocsf' });
  await recordMany(s.trail, 60, 'ocsf');
  await s.trail.record({ kind: 'assumeRoot.granted', taskId: 't-1', task: 'S3UnlockBucketPolicy', accountId: '320000000001', outcome: 'ok', expiresAt: new Date().toISOString() });
  await assertAllDelivered('ocsf', s, 61);
  const schema = loadSchema();
  const received = s.receiver.ocsf() as Record<string, unknown>[];
  assert.ok(received.length >= 61);
  for (const e of received) assert.deepEqual(validateOcsf(schema, e), []);
  assert.ok(received.some((e) => e.class_uid === 3003) && received.some((e) => e.class_uid === 6003));
});
