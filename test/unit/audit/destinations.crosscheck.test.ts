// The audit destinations' client suite (CloudWatch Logs, S3 with Object Lock) run against the
// sandbox and against moto_server, as test/unit/sandbox/crosscheck.test.ts does for the other
// services: the trail delivered through a fault proxy (test/support/faultProxy.ts) that is down
// for a while and then throttles, every event stored at least once, none lost, and Object Lock
// retention on every object. moto has no CloudTrail LookupEvents, so the correlation is checked
// against the sandbox only (test/unit/flows/correlation.sandbox.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectLockConfigurationCommand, PutObjectCommand, GetObjectCommand, GetObjectRetentionCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createAwsContext } from '../../../src/aws/context';
import type { BatchDestination } from '../../../src/core/audit';
import { createAuditTrail, SinkController, type AuditEvent } from '../../../src/core/audit';
import { eventHash } from '../../../src/core/audit/chain';
import { startSandbox, type SandboxHandle } from '../../sandbox/index';
import { startFaultProxy, type FaultProxy } from '../../support/faultProxy';
import { motoInstalled, startMoto, type Moto } from '../sandbox/motoServer';
import { rejectsWith } from '../sandbox/helpers';
import { createHash } from 'node:crypto';

interface Target {
  /** moto answers GetObjectRetention as GetObject (not implemented); HeadObject's lock headers are checked everywhere. */
  getObjectRetention: boolean;
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Records 36 events: 12 delivered, 12 while the endpoint is down, 12 while it throttles. */
async function deliverThroughFaults(name: string, proxy: FaultProxy, destination: BatchDestination): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-xdest-'));
  const sink = new SinkController({ dir, logHead: async () => (await trail.head()).seq, worker: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 50, batchMaxEvents: 4 } });
  const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::123456789012:user/alice', delivery: () => sink.port() });
  trail.onDidRecord((e) => sink.notify(e.seq));
  try {
    await sink.configureDestination({ label: name, cursorKey: name, destination });
    const record = (n: number, label: string) => Promise.all(Array.from({ length: n }, (_, i) => trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', resource: `arn:aws:s3:::b-${label}-${i}`, outcome: 'ok' })));
    const delivered = async (seq: number) => {
      const until = Date.now() + 60_000;
      while ((await sink.port()!.deliveredSeq()) < seq) {
        assert.ok(Date.now() < until, `${name}: delivered only ${await sink.port()!.deliveredSeq()} of ${seq}: ${JSON.stringify(sink.status())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await record(12, 'first');
    await delivered(12);
    proxy.set({ kind: 'down' });
    await record(12, 'down');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await sink.port()!.deliveredSeq(), 12, 'nothing acknowledged while the endpoint is down');
    proxy.set({ kind: 'throttle', every: 2 });
    await record(12, 'throttled');
    await delivered(36);
    proxy.set({ kind: 'up' });
    assert.ok(proxy.counts.refused > 0 && proxy.counts.throttled > 0, `${name}: both faults were exercised (${JSON.stringify(proxy.counts)})`);
  } finally {
    await sink.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertAllSeqs(events: AuditEvent[], count: number): void {
  const seqs = new Set<number>();
  for (const e of events) {
    assert.equal(eventHash(e), e.hash);
    seqs.add(e.seq);
  }
  assert.deepEqual([...seqs].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i + 1), 'every event at least once, none lost');
}

function destinationSuite(name: string, target: () => Target) {
  test(`${name}: CloudWatch Logs and S3 Object Lock answer the destinations' calls as AWS documents`, async () => {
    const t = target();
    const logs = new CloudWatchLogsClient({ endpoint: t.endpoint, region: t.region, credentials: t.credentials, maxAttempts: 1 });
    const s3 = new S3Client({ endpoint: t.endpoint, region: t.region, credentials: t.credentials, forcePathStyle: true, maxAttempts: 1 });
    try {
      const group = '/crosscheck/answers';
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      const now = Date.now();
      await rejectsWith(logs.send(new PutLogEventsCommand({ logGroupName: '/no/such/group', logStreamName: 's', logEvents: [{ timestamp: now, message: 'x' }] })), 'ResourceNotFoundException');
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
      await rejectsWith(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' })), 'ResourceAlreadyExistsException');
      await rejectsWith(logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })), 'InvalidParameterException');
      // An event older than 14 days is not kept and is reported (whether the end index is inclusive is not documented: moto
      // says 0 for one event, the sandbox 1; both name it).
      const old = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: now - 15 * 86_400_000, message: 'old' }] }));
      assert.equal(typeof old.rejectedLogEventsInfo?.tooOldLogEventEndIndex, 'number');
      const fresh = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: now, message: 'new' }] }));
      assert.equal(fresh.rejectedLogEventsInfo, undefined);

      await s3.send(new CreateBucketCommand({ Bucket: 'crosscheck-plain' }));
      await rejectsWith(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'crosscheck-plain' })), 'ObjectLockConfigurationNotFoundError');
      await s3.send(new CreateBucketCommand({ Bucket: 'crosscheck-locked', ObjectLockEnabledForBucket: true }));
      assert.equal((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'crosscheck-locked' }))).ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
      const body = Buffer.from('locked');
      const put = await s3.send(new PutObjectCommand({
        Bucket: 'crosscheck-locked', Key: 'k', Body: body, ContentMD5: createHash('md5').update(body).digest('base64'),
        ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(now + 86_400_000),
      }));
      assert.ok(put.VersionId);
      await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'crosscheck-locked', Key: 'k', VersionId: put.VersionId })), 'AccessDenied');
    } finally {
      logs.destroy();
      s3.destroy();
    }
  });

  test(`${name}: CloudWatch Logs destination through an outage and throttling`, async () => {
    const t = target();
    const proxy = await startFaultProxy(t.endpoint);
    const aws = createAwsContext({ region: t.region, endpoint: proxy.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, t.credentials);
    const logs = new CloudWatchLogsClient({ endpoint: t.endpoint, region: t.region, credentials: t.credentials, maxAttempts: 1 });
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/security/root-access' }));
      await deliverThroughFaults(`${name} CloudWatch Logs`, proxy, aws.ops.cloudWatchLogsDestination({ logGroup: '/security/root-access', logStream: 'aws-root-tasks' }));
      const messages: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < 50; page++) {
        const r = await logs.send(new GetLogEventsCommand({ logGroupName: '/security/root-access', logStreamName: 'aws-root-tasks', startFromHead: true, nextToken: token }));
        messages.push(...(r.events ?? []).map((e) => e.message!));
        if (!r.events?.length || r.nextForwardToken === token) break;
        token = r.nextForwardToken;
      }
      assertAllSeqs(messages.map((m) => JSON.parse(m) as AuditEvent), 36);
    } finally {
      logs.destroy();
      aws.dispose();
      await proxy.close();
    }
  });

  test(`${name}: S3 Object Lock destination through an outage and throttling, retention on every object`, async () => {
    const t = target();
    const proxy = await startFaultProxy(t.endpoint);
    const aws = createAwsContext({ region: t.region, endpoint: proxy.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, t.credentials);
    const s3 = new S3Client({ endpoint: t.endpoint, region: t.region, credentials: t.credentials, forcePathStyle: true, maxAttempts: 1 });
    const bucket = 'acme-root-audit-locked';
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
      await deliverThroughFaults(`${name} S3`, proxy, aws.ops.objectLockDestination({ bucket, prefix: 'audit/', mode: 'COMPLIANCE', retentionDays: 7 }, 'native'));
      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'audit/' }))).Contents ?? []).map((c) => c.Key!);
      assert.ok(keys.length >= 9, `${keys.length} objects`);
      const events: AuditEvent[] = [];
      for (const key of keys) {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        assert.equal(head.ObjectLockMode, 'COMPLIANCE', `${key}: Object Lock retention`);
        assert.ok(head.ObjectLockRetainUntilDate!.getTime() > Date.now() + 6 * 86_400_000);
        if (t.getObjectRetention) {
          const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: bucket, Key: key }));
          assert.equal(retention.Retention?.Mode, 'COMPLIANCE', `${key}: GetObjectRetention`);
        }
        const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
        events.push(...text.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent));
      }
      assertAllSeqs(events, 36);
    } finally {
      s3.destroy();
      aws.dispose();
      await proxy.close();
    }
  });
}

describe('audit destinations cross-check: sandbox', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  destinationSuite('sandbox', () => ({ getObjectRetention: true, endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.management }));
});

const skipMoto = motoInstalled() ? false : 'moto_server is not installed: the moto cross-check of the audit destinations is skipped (pip install "moto[server]")';

describe('audit destinations cross-check: moto_server', { skip: skipMoto }, () => {
  let moto: Moto | undefined;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });
  destinationSuite('moto', () => ({ getObjectRetention: false, endpoint: moto!.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIAMOTOMANAGEMENT01', secretAccessKey: 'motoDoesNotCheckSecretsButTheSdkSignsAll' } }));
});
