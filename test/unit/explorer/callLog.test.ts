// The AWS call log: every call is reported with allow-listed fields, retries fold into one record,
// and nothing the sandbox issued as a secret (secret keys, session tokens) ever appears in it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { startSandbox, sandboxControl, type SandboxHandle } from '../../sandbox';
import { createAwsContext, type CallRecord } from '../../../src/aws';

describe('AWS call log', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => sb?.close());

  it('records service, operation, status and request id — and no secret', async () => {
    const calls: CallRecord[] = [];
    const { accessKeyId, secretAccessKey } = sb.management;
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4 }, { accessKeyId, secretAccessKey }, (c) => calls.push(c));
    try {
      const session = await aws.ops.assumeRoot({ accountId: '320000000001', task: 'S3UnlockBucketPolicy', durationSeconds: 300 });
      const policy = await session.clients().s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' }));
      assert.ok(policy.Policy);
      await assert.rejects(session.clients().s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-artifacts-nope' })));
      session.end();
    } finally {
      aws.dispose();
    }
    assert.deepEqual(calls.map((c) => `${c.service}.${c.operation}`), ['STS.AssumeRoot', 'S3.GetBucketPolicy', 'S3.GetBucketPolicy']);
    assert.equal(calls[0].status, 200);
    assert.ok(calls[0].requestId);
    assert.equal(calls[2].error, 'NoSuchBucket');
    const logged = JSON.stringify(calls);
    const { secrets } = await sandboxControl(sb.endpoint).issuedCredentials();
    assert.ok(secrets.length >= 2, 'the sandbox reports what it issued');
    for (const secret of [...secrets, secretAccessKey]) assert.ok(!logged.includes(secret), 'no issued secret in the call log');
  });
});
