// The S3 and SQS policy operations over real HTTP against the sandbox, each under a real
// AssumeRoot session scoped to its task, with results checked in the sandbox's own state.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queueUrlProblem } from '../../../src/aws/queueUrl';
import { QUEUE_POLICY, targetFromArgs } from '../../../src/flows/policyKinds';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { assumeRoot, type RootSession } from '../../../src/aws/rootSession';
import { deleteBucketPolicy, getBucketPolicy, listBucketsWithRegion, putBucketPolicy } from '../../../src/aws/s3Policy';
import { getQueuePolicy, listQueues, queueFromUrl, setQueuePolicy } from '../../../src/aws/sqsPolicy';
import type { RootTaskName } from '../../../src/core/tasks';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';

const PAYMENTS = '320000000001';
const STOREFRONT = '320000000002';
const OPEN_POLICY = (arn: string, action: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadFromCi', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::330000000001:root' }, Action: action, Resource: arn }],
});

describe('unlock operations against the sandbox', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let aws: AwsContext;
  const sessions: RootSession[] = [];
  const session = async (accountId: string, task: RootTaskName) => {
    const s = await assumeRoot(aws, { accountId, task, durationSeconds: 300 });
    sessions.push(s);
    return s;
  };

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
    aws = createAwsContext({ region: sandbox.region, endpoint: sandbox.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, sandbox.management);
  });
  beforeEach(async () => {
    for (const s of sessions.splice(0)) s.end();
    await control.reset();
  });
  after(async () => {
    for (const s of sessions) s.end();
    aws?.dispose();
    await sandbox?.close();
  });

  test('ListBuckets (with MaxBuckets) returns every bucket with its region, paged to the end', async () => {
    const s = await session(STOREFRONT, 'S3UnlockBucketPolicy');
    const { buckets, requestId } = await listBucketsWithRegion(s.clients(), sandbox.region, 1);
    assert.ok(requestId);
    assert.deepEqual(buckets.map((b) => [b.name, b.region, b.arn]).sort(), [
      ['acme-storefront-prod-assets', 'us-east-1', 'arn:aws:s3:::acme-storefront-prod-assets'],
      ['acme-storefront-prod-logs-eu', 'eu-west-1', 'arn:aws:s3:::acme-storefront-prod-logs-eu'],
    ]);
    const lists = await control.requests({ operation: 'ListBuckets', accountId: STOREFRONT });
    assert.equal(lists.length, 2, 'one page per bucket with a page size of 1');
  });

  test('bucket policy: read a locked one, none is undefined, put and delete change the real state', async () => {
    const s = await session(PAYMENTS, 'S3UnlockBucketPolicy');
    const locked = await getBucketPolicy(s.clients(), 'acme-payments-prod-receipts');
    assert.match(locked.text ?? '', /DenyEveryone/);
    assert.ok(locked.requestId);

    const fixed = OPEN_POLICY('arn:aws:s3:::acme-payments-prod-receipts/*', 's3:GetObject');
    const put = await putBucketPolicy(s.clients(), 'acme-payments-prod-receipts', fixed);
    assert.ok(put.requestId);
    assert.deepEqual(JSON.parse((await getBucketPolicy(s.clients(), 'acme-payments-prod-receipts')).text ?? ''), JSON.parse(fixed));
    let state = await control.account(PAYMENTS);
    assert.deepEqual(JSON.parse(String(state.buckets.find((b) => b.name === 'acme-payments-prod-receipts')?.policy ?? 'null')), JSON.parse(fixed));

    await deleteBucketPolicy(s.clients(), 'acme-payments-prod-receipts');
    const none = await getBucketPolicy(s.clients(), 'acme-payments-prod-receipts');
    assert.equal(none.text, undefined);
    assert.ok(none.requestId, 'NoSuchBucketPolicy still carries its request id');
    state = await control.account(PAYMENTS);
    assert.equal(state.buckets.find((b) => b.name === 'acme-payments-prod-receipts')?.policy ?? null, null);
  });

  test('a bucket in another region is reached with clients for that region', async () => {
    const s = await session(STOREFRONT, 'S3UnlockBucketPolicy');
    const none = await getBucketPolicy(s.clients('eu-west-1'), 'acme-storefront-prod-logs-eu');
    assert.equal(none.text, undefined);
  });

  test('queue policy: ListQueues pages with MaxResults, read, replace, and Policy="" removes it', async () => {
    const s = await session(PAYMENTS, 'SQSUnlockQueuePolicy');
    const { queues } = await listQueues(s.clients(), sandbox.region, 1);
    assert.deepEqual(queues.map((q) => q.name).sort(), ['payments-refunds', 'payments-settlement']);
    const settlement = queues.find((q) => q.name === 'payments-settlement')!;
    assert.equal(settlement.arn, `arn:aws:sqs:us-east-1:${PAYMENTS}:payments-settlement`);
    assert.equal(settlement.accountId, PAYMENTS);
    assert.ok((await control.requests({ operation: 'ListQueues', accountId: PAYMENTS })).length >= 2, 'paged with NextToken');

    const locked = await getQueuePolicy(s.clients(), settlement.url);
    assert.match(locked.text ?? '', /DenyEveryone/);
    const fixed = OPEN_POLICY(settlement.arn, 'sqs:SendMessage');
    await setQueuePolicy(s.clients(), settlement.url, fixed);
    assert.deepEqual(JSON.parse((await getQueuePolicy(s.clients(), settlement.url)).text ?? ''), JSON.parse(fixed));
    await setQueuePolicy(s.clients(), settlement.url, '');
    assert.equal((await getQueuePolicy(s.clients(), settlement.url)).text, undefined);
    const state = await control.account(PAYMENTS);
    assert.equal(state.queues.find((q) => q.name === 'payments-settlement')?.policy ?? null, null);
  });

  test('the task policy scopes the session: an S3 session cannot touch queues', async () => {
    const s = await session(PAYMENTS, 'S3UnlockBucketPolicy');
    await assert.rejects(listQueues(s.clients(), sandbox.region), (err: Error) => /AccessDenied/.test(err.name));
  });

  test('a root session sends SQS requests to the endpoint, never to the host a queue URL names', async () => {
    const captured: string[] = [];
    const capture = createServer((req, res) => {
      captured.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    try {
      const elsewhere = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/${PAYMENTS}/payments-settlement`;
      const s = await session(PAYMENTS, 'SQSUnlockQueuePolicy');
      const read = await getQueuePolicy(s.clients(), elsewhere);
      assert.match(read.text ?? '', /DenyEveryone/, 'the sandbox (the configured endpoint) answered');
      assert.deepEqual(captured, [], 'a root-signed request reached the host in the queue URL');
    } finally {
      await new Promise((resolve) => capture.close(resolve));
    }
  });

  test('queue URLs from arguments: only AWS SQS hosts, or the configured endpoint', () => {
    const at = { region: 'us-east-1', endpoint: undefined };
    for (const url of ['https://sqs.eu-west-1.amazonaws.com/320000000001/orders', 'https://eu-west-1.queue.amazonaws.com/320000000001/orders', 'https://queue.amazonaws.com/320000000001/orders']) {
      assert.equal(queueUrlProblem(url, undefined), undefined, url);
    }
    for (const url of [
      'https://capture.example/320000000001/orders', 'http://sqs.us-east-1.amazonaws.com/320000000001/orders',
      'https://sqs.us-east-1.amazonaws.com.evil.example/320000000001/orders', 'https://sqs.us-east-1.amazonaws.com:8443/320000000001/orders',
      'https://user@sqs.us-east-1.amazonaws.com/320000000001/orders', 'not a url',
    ]) {
      assert.ok(queueUrlProblem(url, undefined), url);
      assert.throws(() => targetFromArgs(QUEUE_POLICY, undefined, { queueUrl: url }, PAYMENTS, at), /is not a queue URL this extension will use/);
    }
    const sandboxAt = { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' };
    assert.equal(targetFromArgs(QUEUE_POLICY, undefined, { queueUrl: 'http://127.0.0.1:4566/320000000001/orders' }, PAYMENTS, sandboxAt)?.name, 'orders');
    assert.throws(() => targetFromArgs(QUEUE_POLICY, undefined, { queueUrl: 'http://127.0.0.1:9/320000000001/orders' }, PAYMENTS, sandboxAt), /not on the configured endpoint/);
    assert.throws(() => targetFromArgs(QUEUE_POLICY, { kind: 'queue', accountId: PAYMENTS, queue: 'orders', queueUrl: 'https://capture.example/320000000001/orders', region: 'us-east-1' }, undefined, PAYMENTS, at), /not an AWS SQS endpoint/);
    assert.throws(() => targetFromArgs(QUEUE_POLICY, { kind: 'queue', accountId: PAYMENTS, queue: 'orders', queueUrl: '', region: 'capture.example/x' }, undefined, PAYMENTS, at), /is not an AWS region/);
  });

  test('queue URLs: AWS form and emulator form', () => {
    assert.deepEqual(queueFromUrl('https://sqs.eu-west-1.amazonaws.com/320000000001/orders', 'us-east-1'), {
      name: 'orders', url: 'https://sqs.eu-west-1.amazonaws.com/320000000001/orders', region: 'eu-west-1', accountId: '320000000001', arn: 'arn:aws:sqs:eu-west-1:320000000001:orders',
    });
    assert.equal(queueFromUrl('http://127.0.0.1:4566/320000000001/orders', 'us-west-2').arn, 'arn:aws:sqs:us-west-2:320000000001:orders');
  });
});
