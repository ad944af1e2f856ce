// CloudTrail LookupEvents against the sandbox with the real SDK: the AssumeRoot event in the
// management account's history (found by the key that signed it or by the access key it issued as
// a resource), the member account's history of the root session's calls (found by that key id),
// the delivery delay, paging and CloudTrail's request errors.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, clients, rejectsWith, SAMPLE, taskArn, type Creds } from './helpers';

describe('sandbox CloudTrail', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const trail = (creds: Creds) => new CloudTrailClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: creds, maxAttempts: 1 });

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('AssumeRoot is recorded in the management account with the issued key id; the session\'s calls in the member account', async () => {
    const root = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    await rejectsWith(clients(sandbox, root).s3.send(new GetBucketPolicyCommand({ Bucket: 'no-such-bucket-here' })), 'NoSuchBucket');

    const byResource = await trail(sandbox.management).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: root.accessKeyId }] }));
    assert.equal(byResource.Events?.length, 1);
    const event = byResource.Events![0]!;
    assert.equal(event.EventName, 'AssumeRoot');
    assert.equal(event.EventSource, 'sts.amazonaws.com');
    assert.equal(event.ReadOnly, 'false');
    assert.equal(event.AccessKeyId, sandbox.management.accessKeyId);
    assert.ok(event.EventTime instanceof Date && Math.abs(event.EventTime.getTime() - Date.now()) < 10_000);
    const record = JSON.parse(event.CloudTrailEvent!) as { eventID: string; recipientAccountId: string; responseElements: { credentials: { accessKeyId: string } }; requestParameters: { targetPrincipal: string; taskPolicyArn: { arn: string } } };
    assert.equal(record.eventID, event.EventId);
    assert.equal(record.responseElements.credentials.accessKeyId, root.accessKeyId);
    assert.equal(record.requestParameters.targetPrincipal, SAMPLE.paymentsProd);
    assert.equal(record.requestParameters.taskPolicyArn.arn, taskArn('S3UnlockBucketPolicy'));
    assert.equal(record.recipientAccountId, SAMPLE.management);
    assert.ok(!event.CloudTrailEvent!.includes(root.secretAccessKey) && !event.CloudTrailEvent!.includes(root.sessionToken!), 'no secret in the record');

    const bySigner = await trail(sandbox.management).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: sandbox.management.accessKeyId }] }));
    assert.deepEqual(bySigner.Events?.map((e) => e.EventId), [event.EventId]);

    // The member account's history: the root session's own calls, by its key id.
    const member = await control.cloudTrail();
    const inMember = member.filter((e) => e.recipientAccountId === SAMPLE.paymentsProd && e.accessKeyId === root.accessKeyId);
    assert.deepEqual(inMember.map((e) => e.eventName), ['GetBucketPolicy']);
  });

  test('events become visible only after the delivery delay', async () => {
    await control.faults({ cloudTrailDelayMs: 600 });
    const root = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const look = () => trail(sandbox.management).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: root.accessKeyId }] }));
    assert.equal((await look()).Events?.length, 0);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await look()).Events?.length, 1);
  });

  test('pages newest first with NextToken; StartTime/EndTime bound the range', async () => {
    for (let i = 0; i < 3; i++) await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const first = await trail(sandbox.management).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoot' }], MaxResults: 2 }));
    assert.equal(first.Events?.length, 2);
    assert.ok(first.NextToken);
    const second = await trail(sandbox.management).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoot' }], MaxResults: 2, NextToken: first.NextToken }));
    assert.equal(second.Events?.length, 1);
    assert.equal(second.NextToken, undefined);
    const times = [...first.Events!, ...second.Events!].map((e) => e.EventTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    const future = await trail(sandbox.management).send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 3_600_000) }));
    assert.equal(future.Events?.length, 0);
  });

  test('CloudTrail\'s request errors', async () => {
    const t = trail(sandbox.management);
    await rejectsWith(t.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'A' }, { AttributeKey: 'EventName', AttributeValue: 'B' }] })), 'InvalidLookupAttributesException');
    await rejectsWith(t.send(new LookupEventsCommand({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) })), 'InvalidTimeRangeException');
    await rejectsWith(t.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException');
    await rejectsWith(t.send(new LookupEventsCommand({ NextToken: 'forged' })), 'InvalidNextTokenException');
    await control.faults({ throttle: { cloudtrail: 1 } });
    await t.send(new LookupEventsCommand({}));
    await rejectsWith(t.send(new LookupEventsCommand({})), 'ThrottlingException');
  });
});
