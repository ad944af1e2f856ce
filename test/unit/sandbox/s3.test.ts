// S3 against the sandbox with the real SDK: ListBuckets paging and regions, bucket policies under
// every lockout shape (the scan role is locked out, the owner's root never is), owner-only policy
// calls, regions, checksums and streamed (aws-chunked) payloads.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, ListBucketsCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, assumeScanRole, clients, rejectsWith, SAMPLE, type Creds } from './helpers';

const LOCKED = {
  'deny-star': ['acme-payments-prod-receipts', SAMPLE.paymentsProd],
  'deny-aws-star-policy-actions': ['acme-storefront-prod-assets', SAMPLE.storefrontProd],
  'not-principal': ['acme-datalake-raw', SAMPLE.dataLakeProd],
  'always-true-condition': ['acme-datalake-curated', SAMPLE.dataLakeProd],
} as const;

const OPEN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Keep', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::acme-payments-prod-receipts' }] });

describe('sandbox S3', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const s3 = (creds: Creds, region = sandbox.region) => new S3Client({ endpoint: sandbox.endpoint, region, credentials: creds, forcePathStyle: true, maxAttempts: 1 });

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('ListBuckets: the caller account’s buckets; BucketRegion only when a parameter is given; paging', async () => {
    const c = s3(await assumeScanRole(sandbox, SAMPLE.storefrontProd));
    const plain = await c.send(new ListBucketsCommand({}));
    assert.deepEqual(plain.Buckets?.map((b) => [b.Name, b.BucketRegion]), [['acme-storefront-prod-assets', undefined], ['acme-storefront-prod-logs-eu', undefined]]);
    assert.match(plain.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    const page1 = await c.send(new ListBucketsCommand({ MaxBuckets: 1 }));
    assert.deepEqual(page1.Buckets?.map((b) => [b.Name, b.BucketRegion]), [['acme-storefront-prod-assets', 'us-east-1']]);
    assert.ok(page1.ContinuationToken);
    const page2 = await c.send(new ListBucketsCommand({ MaxBuckets: 1, ContinuationToken: page1.ContinuationToken }));
    assert.deepEqual(page2.Buckets?.map((b) => [b.Name, b.BucketRegion]), [['acme-storefront-prod-logs-eu', 'eu-west-1']]);
    assert.equal(page2.ContinuationToken, undefined);
    const eu = await c.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    assert.deepEqual(eu.Buckets?.map((b) => b.Name), ['acme-storefront-prod-logs-eu']);
    const prefixed = await c.send(new ListBucketsCommand({ Prefix: 'acme-storefront-prod-a' }));
    assert.deepEqual([prefixed.Buckets?.map((b) => b.Name), prefixed.Prefix], [['acme-storefront-prod-assets'], 'acme-storefront-prod-a']);
    await rejectsWith(c.send(new ListBucketsCommand({ MaxBuckets: 1, ContinuationToken: 'bogus' })), 'InvalidArgument');
  });

  test('the scan role reads ordinary policies and gets NoSuchBucketPolicy where there is none', async () => {
    const c = s3(await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    const policy = (await c.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-artifacts' }))).Policy!;
    assert.equal(JSON.parse(policy).Statement[0].Sid, 'CiRead');
    const dev = s3(await assumeScanRole(sandbox, SAMPLE.paymentsDev));
    const err = await rejectsWith(dev.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-dev-scratch' })), 'NoSuchBucketPolicy');
    assert.equal(err.$metadata?.httpStatusCode, 404);
    await rejectsWith(dev.send(new GetBucketPolicyCommand({ Bucket: 'no-such-bucket-anywhere' })), 'NoSuchBucket');
  });

  for (const [shape, [bucket, account]] of Object.entries(LOCKED)) {
    test(`lockout "${shape}": the scan role is denied, the owner's root reads, replaces and deletes`, async () => {
      const scan = s3(await assumeScanRole(sandbox, account));
      const err = await rejectsWith(scan.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'AccessDenied');
      assert.equal(err.$metadata?.httpStatusCode, 403);
      assert.match(err.message, /explicit deny in a resource-based policy/);
      const root = s3(await assumeRoot(sandbox, account, 'S3UnlockBucketPolicy'));
      assert.ok((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy);
      const replacement = OPEN.replace('acme-payments-prod-receipts', bucket);
      await root.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: replacement }));
      assert.equal((await root.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy, replacement);
      assert.ok((await scan.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy, 'the scan role reads it again');
      await root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
      await rejectsWith(root.send(new GetBucketPolicyCommand({ Bucket: bucket })), 'NoSuchBucketPolicy');
      assert.equal((await control.account(account)).buckets.find((b) => b.name === bucket)?.policy, null);
    });
  }

  test('a "suspected" bucket denies only the scan role; Deny s3:*Policy* still lets the scan role list', async () => {
    const scan = s3(await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    await rejectsWith(scan.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-audit' })), 'AccessDenied');
    const root = s3(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    assert.match((await root.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-audit' }))).Policy!, /HideFromAuditors/);
    const storefront = s3(await assumeScanRole(sandbox, SAMPLE.storefrontProd));
    assert.equal((await storefront.send(new ListBucketsCommand({}))).Buckets?.length, 2);
  });

  test('bucket policy calls are for the owner account: 403 without a grant, 405 with one', async () => {
    const mgmt = s3(sandbox.management);
    await rejectsWith(mgmt.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-artifacts' })), 'AccessDenied');
    await control.setBucketPolicy(SAMPLE.paymentsProd, 'acme-payments-prod-artifacts', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: SAMPLE.management }, Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::acme-payments-prod-artifacts' }],
    });
    const err = await rejectsWith(mgmt.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-artifacts' })), 'MethodNotAllowed');
    assert.equal(err.$metadata?.httpStatusCode, 405);
    const otherRoot = s3(await assumeRoot(sandbox, SAMPLE.paymentsDev, 'S3UnlockBucketPolicy'));
    await rejectsWith(otherRoot.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })), 'AccessDenied');
    const root = s3(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    await rejectsWith(root.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts', ExpectedBucketOwner: SAMPLE.paymentsDev })), 'AccessDenied');
  });

  test('regions: a bucket answers only clients of its region', async () => {
    const creds = await assumeRoot(sandbox, SAMPLE.storefrontProd, 'S3UnlockBucketPolicy');
    const err = await rejectsWith(s3(creds).send(new GetBucketPolicyCommand({ Bucket: 'acme-storefront-prod-logs-eu' })), 'AuthorizationHeaderMalformed');
    assert.match(err.message, /expecting 'eu-west-1'/);
    await rejectsWith(s3(creds, 'eu-west-1').send(new GetBucketPolicyCommand({ Bucket: 'acme-storefront-prod-logs-eu' })), 'NoSuchBucketPolicy');
  });

  test('PutBucketPolicy validates the policy: MalformedPolicy', async () => {
    const root = s3(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    for (const bad of ['not json', '{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::acme-payments-prod-receipts"}]}', OPEN.replace('"s3:DeleteBucket"', '"sqs:SendMessage"'), OPEN.replace('acme-payments-prod-receipts', 'someone-elses-bucket')]) {
      await rejectsWith(root.send(new PutBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts', Policy: bad })), 'MalformedPolicy');
    }
  });

  test('a root session for another task may not touch buckets; an S3 session may not touch queues', async () => {
    const iamTask = clients(sandbox, await assumeRoot(sandbox, SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials'));
    await rejectsWith(iamTask.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })), 'AccessDenied');
    const s3Task = clients(sandbox, await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    await rejectsWith(s3Task.sqs.send(new ListQueuesCommand({})), 'AccessDenied');
  });

  async function rawPut(creds: Creds, bucket: string, mode: string, body: Buffer, extra: Record<string, string>) {
    const url = new URL(sandbox.endpoint);
    const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': mode, 'content-encoding': 'aws-chunked', ...extra };
    const req = new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${bucket}`, query: { policy: '' }, headers, body });
    const signer = new SignatureV4({ credentials: creds, region: sandbox.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    const signed = await signer.sign(req);
    return { signed, signer };
  }

  test('streamed payloads: aws-chunked with an unsigned trailer and with signed chunks', async () => {
    const creds = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const policy = Buffer.from(OPEN);
    const checksum = Buffer.from(crc32(policy).toString(16).padStart(8, '0'), 'hex').toString('base64');
    const trailerBody = Buffer.concat([Buffer.from(`${policy.length.toString(16)}\r\n`), policy, Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`)]);
    const { signed } = await rawPut(creds, 'acme-payments-prod-receipts', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', trailerBody, {
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-decoded-content-length': String(policy.length),
    });
    const r1 = await fetch(`${sandbox.endpoint}/acme-payments-prod-receipts?policy`, { method: 'PUT', headers: signed.headers, body: trailerBody });
    assert.equal(r1.status, 204, await r1.text());

    // Signed chunks: each chunk signature chains from the request's seed signature.
    const second = Buffer.from(OPEN.replace('"Keep"', '"Keep2"'));
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const scope = `${amzDate.slice(0, 8)}/${sandbox.region}/s3/aws4_request`;
    const md5 = createHash('md5').update(second).digest('base64');
    const { signed: seedReq, signer } = await rawPut(creds, 'acme-payments-prod-receipts', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', Buffer.alloc(0), {
      'x-amz-date': amzDate,
      'x-amz-decoded-content-length': String(second.length),
      'content-md5': md5,
    });
    const seed = /Signature=([0-9a-f]+)/.exec(String(seedReq.headers.authorization))![1]!;
    const empty = createHash('sha256').digest('hex');
    const chunkSig = (prev: string, data: Buffer) =>
      signer.sign(['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, prev, empty, createHash('sha256').update(data).digest('hex')].join('\n'), { signingDate: new Date(Date.parse(amzDate.replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, '$1-$2-$3T$4:$5:$6Z'))) });
    const s1 = await chunkSig(seed, second);
    const s2 = await chunkSig(s1, Buffer.alloc(0));
    const chunked = Buffer.concat([Buffer.from(`${second.length.toString(16)};chunk-signature=${s1}\r\n`), second, Buffer.from(`\r\n0;chunk-signature=${s2}\r\n\r\n`)]);
    const r2 = await fetch(`${sandbox.endpoint}/acme-payments-prod-receipts?policy`, { method: 'PUT', headers: seedReq.headers, body: chunked });
    assert.equal(r2.status, 204, await r2.text());
    assert.equal((await control.account(SAMPLE.paymentsProd)).buckets.find((b) => b.name === 'acme-payments-prod-receipts')?.policy, second.toString());

    const forged = Buffer.from(chunked.toString('latin1').replace(s1, s2), 'latin1');
    const r3 = await fetch(`${sandbox.endpoint}/acme-payments-prod-receipts?policy`, { method: 'PUT', headers: seedReq.headers, body: forged });
    assert.equal(r3.status, 403);
  });

  test('checksums: one is required, a wrong one is BadDigest; UNSIGNED-PAYLOAD is accepted', async () => {
    const creds = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const body = Buffer.from(OPEN);
    const put = async (headers: Record<string, string>) => {
      const url = new URL(sandbox.endpoint);
      const req = new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/acme-payments-prod-receipts', query: { policy: '' }, headers: { host: url.host, ...headers }, body });
      const signed = await new SignatureV4({ credentials: creds, region: sandbox.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false }).sign(req);
      const res = await fetch(`${sandbox.endpoint}/acme-payments-prod-receipts?policy`, { method: 'PUT', headers: signed.headers, body });
      return [res.status, /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1]];
    };
    assert.deepEqual(await put({}), [400, 'InvalidRequest']);
    assert.deepEqual(await put({ 'content-md5': createHash('md5').update('other').digest('base64') }), [400, 'BadDigest']);
    assert.deepEqual(await put({ 'x-amz-checksum-sha256': createHash('sha256').update('other').digest('base64') }), [400, 'BadDigest']);
    assert.deepEqual(await put({ 'x-amz-checksum-sha256': createHash('sha256').update(body).digest('base64') }), [204, undefined]);
    assert.deepEqual(await put({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': createHash('md5').update(body).digest('base64') }), [204, undefined]);
  });
});
