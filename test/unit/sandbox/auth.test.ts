// Authentication against the sandbox: every request's SigV4 signature is recomputed; unknown keys,
// bad signatures, missing or wrong session tokens, expired sessions, skewed clocks and tampered
// bodies fail with the code each protocol uses.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, clients, destroyAll, rejectsWith, SAMPLE, sampleSeed, type Creds } from './helpers';

describe('sandbox authentication', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  /** One call per service; each must fail with that service's code for `creds`. */
  async function expectEverywhere(creds: Creds, names: { sts: string; iam: string; org: string; s3: string; sqs: string }) {
    const c = clients(sandbox, creds);
    try {
      await rejectsWith(c.sts.send(new GetCallerIdentityCommand({})), names.sts);
      await rejectsWith(c.iam.send(new ListAccessKeysCommand({})), names.iam);
      await rejectsWith(c.org.send(new ListAccountsCommand({})), names.org);
      await rejectsWith(c.s3.send(new ListBucketsCommand({})), names.s3);
      await rejectsWith(c.sqs.send(new ListQueuesCommand({})), names.sqs);
    } finally {
      destroyAll(c);
    }
  }

  test('an unknown access key', () =>
    expectEverywhere(
      { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) },
      { sts: 'InvalidClientTokenId', iam: 'InvalidClientTokenId', org: 'UnrecognizedClientException', s3: 'InvalidAccessKeyId', sqs: 'InvalidClientTokenId' },
    ));

  test('a wrong secret: the recomputed signature does not match', () =>
    expectEverywhere(
      { accessKeyId: sandbox.management.accessKeyId, secretAccessKey: 'y'.repeat(40) },
      { sts: 'SignatureDoesNotMatch', iam: 'SignatureDoesNotMatch', org: 'InvalidSignatureException', s3: 'SignatureDoesNotMatch', sqs: 'SignatureDoesNotMatch' },
    ));

  test('a session key without its token, or with another token, or expired: ExpiredToken', async () => {
    const root = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const expired = { sts: 'ExpiredToken', iam: 'ExpiredToken', org: 'ExpiredTokenException', s3: 'ExpiredToken', sqs: 'ExpiredToken' };
    await expectEverywhere({ accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey }, expired);
    await expectEverywhere({ ...root, sessionToken: 'IQoJb3JpZ2luX2VjEBogus' }, expired);
    assert.equal(await control.expireSessions(root.accessKeyId), 1);
    await expectEverywhere(root, expired);
  });

  test('a skewed clock: more than 15 minutes off is refused', async () => {
    const cfg = { endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.management, maxAttempts: 1, systemClockOffset: -20 * 60_000 };
    const err = await rejectsWith(new STSClient(cfg).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch');
    assert.match(err.message, /Signature expired/);
    const near = new STSClient({ ...cfg, systemClockOffset: -5 * 60_000 });
    assert.ok((await near.send(new GetCallerIdentityCommand({}))).Arn);
  });

  test('unsigned requests: MissingAuthenticationToken (query), AccessDenied (S3)', async () => {
    const sts = await fetch(sandbox.endpoint + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(sts.status, 403);
    assert.match(await sts.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    const s3 = await fetch(sandbox.endpoint + '/');
    assert.equal(s3.status, 403);
    assert.match(await s3.text(), /<Code>AccessDenied<\/Code>/);
  });

  async function signed(service: string, body: string, headers: Record<string, string>) {
    const url = new URL(sandbox.endpoint);
    const request = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, ...headers }, body });
    const signer = new SignatureV4({ credentials: sandbox.management, region: sandbox.region, service, sha256: Hash.bind(null, 'sha256') });
    return signer.sign(request);
  }

  test('a body changed after signing is caught (payload hash and signature)', async () => {
    const req = await signed('sts', 'Action=GetCallerIdentity&Version=2011-06-15', { 'content-type': 'application/x-www-form-urlencoded' });
    const ok = await fetch(sandbox.endpoint + '/', { method: 'POST', headers: req.headers, body: req.body as string });
    assert.equal(ok.status, 200);
    const tampered = await fetch(sandbox.endpoint + '/', { method: 'POST', headers: req.headers, body: 'Action=GetCallerIdentity&Version=2011-06-16' });
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /SignatureDoesNotMatch/);

    const url = new URL(sandbox.endpoint);
    const s3req = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update('not empty').digest('hex') } });
    const s3signed = await new SignatureV4({ credentials: sandbox.management, region: sandbox.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false }).sign(s3req);
    const mismatch = await fetch(sandbox.endpoint + '/', { headers: s3signed.headers });
    assert.equal(mismatch.status, 400);
    assert.match(await mismatch.text(), /XAmzContentSHA256Mismatch/);
  });

  test('root access keys sign as the root user; a deleted key stops working at once', async () => {
    const seed = sampleSeed();
    const bob = seed.ous!.find((o) => o.name === 'Sandbox')!.accounts!.find((a) => a.id === SAMPLE.sandboxBob)!;
    const rootKey = { accessKeyId: 'AKIABOBROOTKEY000001', secretAccessKey: 'bobRootSecretForSandboxTestsOnly/0000000' };
    bob.root = { accessKeys: [rootKey] };
    await control.seed(seed);
    const c = clients(sandbox, rootKey);
    const me = await c.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${SAMPLE.sandboxBob}:root`);
    // Root credentials may not call AssumeRoot.
    await rejectsWith(assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy', rootKey), 'AccessDenied');
    const session = clients(sandbox, await assumeRoot(sandbox, SAMPLE.sandboxBob, 'IAMDeleteRootUserCredentials'));
    const { DeleteAccessKeyCommand } = await import('@aws-sdk/client-iam');
    await session.iam.send(new DeleteAccessKeyCommand({ AccessKeyId: rootKey.accessKeyId }));
    await rejectsWith(c.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    destroyAll(c);
    destroyAll(session);
  });

  test('an inactive key is refused; using a key records its last use', async () => {
    const seed = sampleSeed();
    const key = { accessKeyId: 'AKIAINACTIVEUSERKEY1', secretAccessKey: 'inactiveUserSecretForSandboxTests/000000', status: 'Inactive' as const };
    seed.management.users = [{ userName: 'parked', accessKeys: [key] }];
    await control.seed(seed);
    await rejectsWith(new STSClient({ endpoint: sandbox.endpoint, region: 'eu-central-1', credentials: key, maxAttempts: 1 }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    await new STSClient({ endpoint: sandbox.endpoint, region: 'eu-central-1', credentials: sandbox.management, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
    const m = await control.account(SAMPLE.management);
    const admin = m.users.find((u) => u.userName === 'sandbox-admin')!;
    assert.equal(admin.accessKeys[0]!.lastUsed?.service, 'sts');
    assert.equal(admin.accessKeys[0]!.lastUsed?.region, 'eu-central-1');
  });
});
