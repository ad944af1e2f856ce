// CloudTrail correlation in the real extension host: an unlock against the sandbox, whose
// CloudTrail delays delivery, ends with a `cloudtrail.correlated` event naming the sandbox's
// CloudTrail event for that session's AssumeRoot (found after retries, with the management
// credentials), and the session's calls in the member account under the same key id.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { UnlockResult } from '../../src/flows/unlock';
import { WHY, unlockHarness, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';
const LOCKED = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${RECEIPTS}`, `arn:aws:s3:::${RECEIPTS}/*`] }] });

describe('CloudTrail correlation (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
  });
  afterEach(async () => {
    await h.resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => h?.dispose());

  it('an unlock records cloudtrail.correlated with the sandbox\'s CloudTrail event id of its AssumeRoot', async () => {
    // The tiers turn correlation off (their suites assert each task's exact events); on here,
    // looking every second while the sandbox's CloudTrail takes 2.5 s to deliver.
    await h.setSetting('audit.cloudTrailCorrelation', true);
    await h.setSetting('audit.cloudTrailLookupIntervalSeconds', 1);
    await h.setSetting('audit.cloudTrailLookupAttempts', 15);
    await h.control.faults({ cloudTrailDelayMs: 2500 });
    await h.control.setBucketPolicy(PAYMENTS, RECEIPTS, LOCKED);
    const result = await vscode.commands.executeCommand<UnlockResult | undefined>('rootTasks.unlockBucketPolicy', { ...WHY, accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete' });
    assert.equal(result?.outcome, 'deleted', h.errors());

    const correlated = (await until('the cloudtrail.correlated event', () => h.events.find((e) => e.kind === 'cloudtrail.correlated'), Boolean, 30_000))!;
    assert.equal(correlated.outcome, 'ok', correlated.error);
    const assumeRoot = (await h.rootCalls()).find((c) => c.operation === 'AssumeRoot');
    const key = assumeRoot?.detail?.issuedAccessKeyId;
    assert.ok(key, 'the sandbox logged the key AssumeRoot issued');
    assert.equal(correlated.accessKeyId, key);
    const trail = await h.control.cloudTrail();
    const event = trail.find((e) => e.eventName === 'AssumeRoot' && e.issuedAccessKeyId === key);
    assert.ok(event, 'the sandbox recorded the AssumeRoot in CloudTrail');
    assert.equal(correlated.detail?.cloudTrailEventId, event.eventId);
    assert.equal(correlated.accountId, PAYMENTS);
    assert.equal(correlated.taskId, h.events.find((e) => e.kind === 'intent')?.taskId);
    assert.ok(Number(correlated.detail?.lookups) >= 2, 'the first lookups came before CloudTrail delivered');
    assert.ok(h.kinds().indexOf('session.ended') < h.kinds().indexOf('cloudtrail.correlated'));
    // What the session did in the member account carries the same key id there.
    assert.deepEqual(trail.filter((e) => e.recipientAccountId === PAYMENTS && e.accessKeyId === key).map((e) => e.eventName),
      ['GetBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicy']);
    const lookups = await h.control.requests({ service: 'cloudtrail', operation: 'LookupEvents' });
    assert.ok(lookups.length >= 2 && lookups.every((r) => r.principalType === 'iam-user'), 'looked up with the management credentials');
    // No root secret in the event (only the key id).
    const issued = await h.control.issuedCredentials();
    const secret = issued.credentials.find((c) => c.accessKeyId === key)?.secretAccessKey;
    assert.ok(secret && !JSON.stringify(h.events).includes(secret));
  });
});
