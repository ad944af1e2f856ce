// AWS-keyed quotas in the sandbox: a bucket per key as AWS keys it (Organizations per API for the
// organization, STS per calling account, S3 per bucket and direction, SQS and IAM per member
// account), each service's own throttling error, and one key's exhaustion never touching another's.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import { GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { FaultConfigError, Faults } from '../../sandbox/faults';
import { SAMPLE, assumeRoot, clients, destroyAll, rejectsWith, type Clients } from './helpers';

const ONE_EACH = { organizationsPerApi: 1, stsPerAccount: 1, s3ReadsPerBucket: 1, s3WritesPerBucket: 1, s3ListBucketsPerAccount: 1, sqsPerAccount: 1, iamPerAccount: 1 };

describe('sandbox quotas keyed as AWS keys them', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let mgmt: Clients;
  const made: Clients[] = [];
  const member = async (account: string, task: Parameters<typeof assumeRoot>[2]) => {
    const c = clients(sandbox, await assumeRoot(sandbox, account, task));
    made.push(c);
    return c;
  };

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
    mgmt = clients(sandbox, sandbox.management);
  });
  beforeEach(() => control.reset());
  after(async () => {
    destroyAll(mgmt);
    made.forEach(destroyAll);
    await sandbox.close();
  });

  test('Organizations: per API for the organization, TooManyRequestsException 400', async () => {
    await control.faults({ quotas: ONE_EACH });
    await mgmt.org.send(new ListRootsCommand({}));
    const err = await rejectsWith(mgmt.org.send(new ListRootsCommand({})), 'TooManyRequestsException');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    // Another API has its own bucket.
    await mgmt.org.send(new DescribeOrganizationCommand({}));
  });

  test('STS: per calling account, Throttling 400; member S3, SQS and IAM calls count against the member', async () => {
    const s3 = await member(SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const sqs = await member(SAMPLE.paymentsProd, 'SQSUnlockQueuePolicy');
    const iam = await member(SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials');
    const otherS3 = await member(SAMPLE.storefrontProd, 'S3UnlockBucketPolicy');
    await control.faults({ quotas: ONE_EACH });
    await mgmt.sts.send(new GetCallerIdentityCommand({}));
    const sts = await rejectsWith(mgmt.sts.send(new GetCallerIdentityCommand({})), 'Throttling');
    assert.equal(sts.$metadata?.httpStatusCode, 400);
    // The member account's own STS bucket is untouched by the management account's.
    await s3.sts.send(new GetCallerIdentityCommand({}));

    await s3.s3.send(new ListBucketsCommand({}));
    const slow = await rejectsWith(s3.s3.send(new ListBucketsCommand({})), 'SlowDown');
    assert.equal(slow.$metadata?.httpStatusCode, 503);
    await otherS3.s3.send(new ListBucketsCommand({}));
    // Per bucket: reading one bucket twice is over, another bucket is not.
    await s3.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })).catch(() => undefined);
    await rejectsWith(s3.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })), 'SlowDown');
    await s3.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-artifacts' })).catch((e: Error) => assert.notEqual(e.name, 'SlowDown'));

    await sqs.sqs.send(new ListQueuesCommand({}));
    await rejectsWith(sqs.sqs.send(new ListQueuesCommand({})), 'RequestThrottled');
    await iam.iam.send(new ListAccessKeysCommand({}));
    const i = await rejectsWith(iam.iam.send(new ListAccessKeysCommand({})), 'Throttling');
    assert.equal(i.$metadata?.httpStatusCode, 400);
  });

  test('AWS figures by default; bad settings refused', () => {
    const faults = new Faults({ quotas: true });
    const call = { service: 'sts' as const, operation: 'AssumeRoot', account: SAMPLE.management, method: 'POST', path: '/' };
    let throttled = 0;
    for (let i = 0; i < 700; i++) if (faults.overQuota(call, 1000)) throttled++;
    assert.equal(throttled, 100, '600 per second per calling account: a burst of 600, then throttled');
    assert.throws(() => new Faults({ quotas: { stsPerAccount: 0 } }), FaultConfigError);
    assert.throws(() => new Faults({ quotas: { nope: 1 } as never }), /unknown quota nope/);
  });
});
