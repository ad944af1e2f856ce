// CloudTrail correlation end to end below the editor: a root session taken through the one root
// path (flows/env.ts → runner → AssumeRoot on the sandbox), then its AssumeRoot event looked up in
// the sandbox's CloudTrail while the sandbox delays delivery, and `cloudtrail.correlated` recorded
// with the event id the sandbox's history holds for that session's key.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootRunner } from '../../../src/flows/env';
import { flowDeps, memoryAudit, sampleOrgSuite } from './sandboxFlows';

const PAYMENTS = '320000000001';
const BUCKET = 'acme-payments-prod-receipts';

describe('CloudTrail correlation of root sessions (sandbox)', () => {
  const s = sampleOrgSuite();

  async function runOne(delaysMs: number[]) {
    const { audit, events } = memoryAudit();
    const lookups: number[] = [];
    const pending: Promise<unknown>[] = [];
    const deps = {
      ...flowDeps(s.aws, s.index, audit),
      correlation: () => ({
        sleep: (ms: number) => sleep(ms).then(() => void lookups.push(ms)),
        delaysMs,
        track: (p: Promise<unknown>) => void pending.push(p),
      }),
    };
    let key = '';
    await rootRunner(deps)({ task: 'S3UnlockBucketPolicy', accountId: PAYMENTS, resourceArn: `arn:aws:s3:::${BUCKET}`, justification: 'locked bucket', ticket: 'INC-1' },
      async (t) => {
        key = t.session.accessKeyId;
        await t.read('GetBucketPolicy', `arn:aws:s3:::${BUCKET}`, () => t.session.ops.getBucketPolicy(BUCKET, s.sb.region));
      });
    assert.equal(pending.length, 1, 'one correlation per root session');
    await Promise.all(pending);
    return { events, key, lookups };
  }

  test('retries while CloudTrail has not delivered, then records the AssumeRoot event id', async () => {
    // Each lookup round asks twice, 500 ms apart (CloudTrail's 2 requests per second): delivery comes after the first round.
    await s.control.faults({ cloudTrailDelayMs: 2000 });
    const { events, key } = await runOne(Array(10).fill(300));
    const trail = await s.control.cloudTrail();
    const assumed = trail.filter((e) => e.eventName === 'AssumeRoot' && e.issuedAccessKeyId === key);
    assert.equal(assumed.length, 1);
    const correlated = events.filter((e) => e.kind === 'cloudtrail.correlated');
    assert.equal(correlated.length, 1);
    const c = correlated[0]!;
    assert.equal(c.outcome, 'ok');
    assert.equal(c.accessKeyId, key);
    assert.equal(c.detail?.cloudTrailEventId, assumed[0]!.eventId);
    assert.ok(Number(c.detail?.lookups) >= 2, `the first lookup came before delivery (${c.detail?.lookups} lookups)`);
    assert.equal(c.accountId, PAYMENTS);
    assert.ok(c.taskId, 'carries the session task id');
    // It comes after the session's end: the session's own record is complete first.
    assert.ok(events.findIndex((e) => e.kind === 'session.ended') < events.indexOf(c));
    // The member account's history holds the session's call under the same key id.
    assert.ok(trail.some((e) => e.recipientAccountId === PAYMENTS && e.accessKeyId === key && e.eventName === 'GetBucketPolicy'));
    const lookupCalls = (await s.control.requests({ service: 'cloudtrail', operation: 'LookupEvents' })).filter((r) => r.outcome === 'success');
    assert.ok(lookupCalls.every((r) => r.principalType === 'iam-user'), 'looked up with the management credentials, never the root session');
  });

  test('gives up after the bounded lookups and records why, without an event id', async () => {
    await s.control.faults({ cloudTrailDelayMs: 60_000 });
    const { events, lookups } = await runOne([20, 20]);
    const c = events.find((e) => e.kind === 'cloudtrail.correlated')!;
    assert.equal(c.outcome, 'error');
    assert.equal(c.detail?.cloudTrailEventId, undefined);
    assert.match(c.error ?? '', /had not delivered the AssumeRoot event after 3 lookups/);
    assert.deepEqual(lookups, [20, 20]);
  });
});
