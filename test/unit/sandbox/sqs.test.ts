// SQS against the sandbox with the real SDK (JSON 1.0, query-compatible errors): listing, queue
// URLs, attributes, queue policies under each lockout shape, and Policy = "" removing a policy.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SetQueueAttributesCommand, SQSClient, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, assumeScanRole, rejectsWith, SAMPLE, sampleSeed, type Creds } from './helpers';

const LOCKED = {
  'deny-star': ['payments-settlement', SAMPLE.paymentsProd],
  'deny-aws-star-policy-actions': ['security-findings', SAMPLE.security],
  'not-principal': ['storefront-orders', SAMPLE.storefrontProd],
  'always-true-condition': ['datalake-ingest', SAMPLE.dataLakeProd],
} as const;

describe('sandbox SQS', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const sqs = (creds: Creds, region = sandbox.region) => new SQSClient({ endpoint: sandbox.endpoint, region, credentials: creds, maxAttempts: 1 });
  const url = (account: string, queue: string) => `${sandbox.endpoint}/${account}/${queue}`;
  const getPolicy = (c: SQSClient, account: string, queue: string) =>
    c.send(new GetQueueAttributesCommand({ QueueUrl: url(account, queue), AttributeNames: ['Policy'] }));

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('ListQueues: the caller account’s queues in the request region; prefix; MaxResults paging', async () => {
    const c = sqs(await assumeScanRole(sandbox, SAMPLE.storefrontProd));
    assert.deepEqual((await c.send(new ListQueuesCommand({}))).QueueUrls, [url(SAMPLE.storefrontProd, 'storefront-orders'), url(SAMPLE.storefrontProd, 'storefront-orders-dlq')]);
    assert.equal((await c.send(new ListQueuesCommand({}))).NextToken, undefined);
    const first = await c.send(new ListQueuesCommand({ MaxResults: 1 }));
    assert.equal(first.QueueUrls?.length, 1);
    const second = await c.send(new ListQueuesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    assert.deepEqual(second.QueueUrls, [url(SAMPLE.storefrontProd, 'storefront-orders-dlq')]);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual((await c.send(new ListQueuesCommand({ QueueNamePrefix: 'storefront-orders-' }))).QueueUrls, [url(SAMPLE.storefrontProd, 'storefront-orders-dlq')]);
    assert.equal((await sqs(await assumeScanRole(sandbox, SAMPLE.storefrontProd), 'eu-west-1').send(new ListQueuesCommand({}))).QueueUrls, undefined);
    await rejectsWith(c.send(new ListQueuesCommand({ MaxResults: 1001 })), 'InvalidParameterValue');
  });

  test('GetQueueUrl: own queues, other accounts only with a grant, unknown queues', async () => {
    const c = sqs(await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    assert.equal((await c.send(new GetQueueUrlCommand({ QueueName: 'payments-refunds' }))).QueueUrl, url(SAMPLE.paymentsProd, 'payments-refunds'));
    const err = await rejectsWith(c.send(new GetQueueUrlCommand({ QueueName: 'nope' })), 'QueueDoesNotExist');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    await rejectsWith(c.send(new GetQueueUrlCommand({ QueueName: 'storefront-orders-dlq', QueueOwnerAWSAccountId: SAMPLE.storefrontProd })), 'AccessDenied');
    await control.setQueuePolicy(SAMPLE.storefrontProd, 'storefront-orders-dlq', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: SAMPLE.paymentsProd }, Action: 'sqs:GetQueueUrl', Resource: `arn:aws:sqs:us-east-1:${SAMPLE.storefrontProd}:storefront-orders-dlq` }],
    });
    assert.ok((await c.send(new GetQueueUrlCommand({ QueueName: 'storefront-orders-dlq', QueueOwnerAWSAccountId: SAMPLE.storefrontProd }))).QueueUrl);
  });

  test('GetQueueAttributes: All, chosen names, none; unknown names and addresses', async () => {
    const c = sqs(await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    const all = (await c.send(new GetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'payments-refunds'), AttributeNames: ['All'] }))).Attributes!;
    assert.equal(all.QueueArn, `arn:aws:sqs:us-east-1:${SAMPLE.paymentsProd}:payments-refunds`);
    assert.equal(all.VisibilityTimeout, '30');
    assert.match(all.Policy!, /RefundsFromStorefront/);
    assert.match(all.CreatedTimestamp!, /^\d{10}$/);
    const one = await c.send(new GetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'payments-refunds'), AttributeNames: ['VisibilityTimeout'] }));
    assert.deepEqual(one.Attributes, { VisibilityTimeout: '30' });
    assert.equal((await c.send(new GetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'payments-refunds') }))).Attributes, undefined);
    await rejectsWith(c.send(new GetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'payments-refunds'), AttributeNames: ['Colour' as QueueAttributeName] })), 'InvalidAttributeName');
    await rejectsWith(c.send(new GetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'gone'), AttributeNames: ['All'] })), 'QueueDoesNotExist');
    await rejectsWith(c.send(new GetQueueAttributesCommand({ QueueUrl: 'http://elsewhere/queue', AttributeNames: ['All'] })), 'InvalidAddress');
  });

  test('SetQueueAttributes: values are validated; read-only names are refused; policies are checked', async () => {
    const c = sqs(await assumeScanRole(sandbox, SAMPLE.paymentsDev));
    const q = url(SAMPLE.paymentsDev, 'payments-dev-settlement');
    await c.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { VisibilityTimeout: '120', DelaySeconds: '5' } }));
    const attrs = (await c.send(new GetQueueAttributesCommand({ QueueUrl: q, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }))).Attributes;
    assert.deepEqual(attrs, { VisibilityTimeout: '120', DelaySeconds: '5' });
    await rejectsWith(c.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { VisibilityTimeout: '99999' } })), 'InvalidAttributeValue');
    await rejectsWith(c.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { QueueArn: 'x' } })), 'InvalidAttributeName');
    await rejectsWith(c.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { Policy: '{"Statement":[]}' } })), 'InvalidAttributeValue');
    await rejectsWith(c.send(new SetQueueAttributesCommand({ QueueUrl: q, Attributes: { Policy: 'nope' } })), 'InvalidAttributeValue');
  });

  for (const [shape, [queue, account]] of Object.entries(LOCKED)) {
    test(`lockout "${shape}": the scan role is denied; the owner's root reads, then removes with Policy = ""`, async () => {
      const scan = sqs(await assumeScanRole(sandbox, account));
      const err = await rejectsWith(getPolicy(scan, account, queue), 'AccessDenied');
      assert.equal(err.$metadata?.httpStatusCode, 403);
      const root = sqs(await assumeRoot(sandbox, account, 'SQSUnlockQueuePolicy'));
      assert.ok((await getPolicy(root, account, queue)).Attributes?.Policy);
      await root.send(new SetQueueAttributesCommand({ QueueUrl: url(account, queue), Attributes: { Policy: '' } }));
      assert.equal((await getPolicy(root, account, queue)).Attributes, undefined);
      assert.equal((await getPolicy(scan, account, queue)).Attributes, undefined, 'the scan role reads again');
      assert.equal((await control.account(account)).queues.find((q) => q.name === queue)?.policy, null);
    });
  }

  test('the SQS task: ListQueues and GetQueueUrl allowed, another account denied, a replaced policy kept verbatim', async () => {
    const root = sqs(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'SQSUnlockQueuePolicy'));
    assert.equal((await root.send(new ListQueuesCommand({ MaxResults: 10 }))).QueueUrls?.length, 2);
    assert.ok((await root.send(new GetQueueUrlCommand({ QueueName: 'payments-settlement' }))).QueueUrl);
    const fixed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SAMPLE.paymentsProd}:role/app` }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${SAMPLE.paymentsProd}:payments-settlement` }] }, null, 2);
    await root.send(new SetQueueAttributesCommand({ QueueUrl: url(SAMPLE.paymentsProd, 'payments-settlement'), Attributes: { Policy: fixed } }));
    assert.equal((await getPolicy(root, SAMPLE.paymentsProd, 'payments-settlement')).Attributes?.Policy, fixed);
    await rejectsWith(getPolicy(root, SAMPLE.storefrontProd, 'storefront-orders-dlq'), 'AccessDenied');
  });

  test('a suspected queue hides its policy from the scan role only; a member-account user follows the queue policy', async () => {
    await rejectsWith(getPolicy(sqs(await assumeScanRole(sandbox, SAMPLE.storefrontDev)), SAMPLE.storefrontDev, 'storefront-dev-orders'), 'AccessDenied');
    const seed = sampleSeed();
    await control.seed(seed);
    const dev = sqs(SAMPLE.memberUser);
    assert.ok(await getPolicy(dev, SAMPLE.paymentsDev, 'payments-dev-settlement'), 'same account: the identity policy suffices');
    await rejectsWith(getPolicy(dev, SAMPLE.paymentsProd, 'payments-refunds'), 'AccessDenied');
  });
});
