// The S3 Object Lock destination against the sandbox with the real SDK: the sandbox's Object Lock
// answers (lock configuration, puts needing a checksum and a future date, retention, deletes
// refused inside COMPLIANCE retention), and the audit trail delivered as one locked object per
// batch, at least once with nothing lost through an outage and throttling; a bucket without
// Object Lock is refused with that reason, never written to.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { createAuditTrail, SinkController, type AuditEvent, type SinkStatus } from '../../../src/core/audit';
import { eventHash } from '../../../src/core/audit/chain';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { rejectsWith } from '../sandbox/helpers';

const LOCKED = 'acme-audit-locked';
const SHA_X = createHash('sha256').update('x').digest('base64');
const PLAIN = 'acme-audit-plain';

describe('S3 Object Lock destination (sandbox)', () => {
  let sb: SandboxHandle;
  let control: SandboxControl;
  let s3: S3Client;
  let aws: AwsContext;

  before(async () => {
    sb = await startSandbox();
    control = sandboxControl(sb.endpoint);
    s3 = new S3Client({ endpoint: sb.endpoint, region: sb.region, credentials: sb.management, forcePathStyle: true, maxAttempts: 1 });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 2 }, sb.management);
  });
  beforeEach(async () => {
    await control.reset();
    await s3.send(new CreateBucketCommand({ Bucket: LOCKED, ObjectLockEnabledForBucket: true }));
    await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
  });
  after(async () => {
    s3.destroy();
    aws.dispose();
    await sb.close();
  });

  test('the sandbox answers as S3 Object Lock does', async () => {
    assert.equal((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: LOCKED }))).ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
    await rejectsWith(s3.send(new GetObjectLockConfigurationCommand({ Bucket: PLAIN })), 'ObjectLockConfigurationNotFoundError');
    await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: LOCKED })), 'BucketAlreadyOwnedByYou');
    const until = new Date(Date.now() + 86_400_000);
    const err = await rejectsWith(s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumSHA256: SHA_X })), 'InvalidRequest');
    assert.match(err.message, /Object Lock/);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() - 1000), ChecksumSHA256: SHA_X })), 'InvalidArgument');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumSHA256: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })), 'BadDigest');
    const put = await s3.send(new PutObjectCommand({ Bucket: LOCKED, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumSHA256: SHA_X }));
    assert.ok(put.VersionId);
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: LOCKED, Key: 'k' }));
    assert.equal(retention.Retention?.Mode, 'COMPLIANCE');
    assert.equal(retention.Retention?.RetainUntilDate?.toISOString(), until.toISOString());
    const denied = await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'k', VersionId: put.VersionId })), 'AccessDenied');
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: LOCKED, Key: 'k' }));
    assert.equal(marker.DeleteMarker, true);
    // The locked version is still there under its id.
    const kept = await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: 'k', VersionId: put.VersionId }));
    assert.equal(await kept.Body?.transformToString(), 'x');
    await rejectsWith(s3.send(new GetObjectRetentionCommand({ Bucket: PLAIN, Key: 'k' })), 'InvalidRequest');
  });

  async function deliver(t: { after: (fn: () => unknown) => void }, bucket: string) {
    const dir = mkdtempSync(join(tmpdir(), 'rt-s3l-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const statuses: SinkStatus[] = [];
    const sink = new SinkController({ dir, logHead: async () => (await trail.head()).seq, onStatus: (s) => statuses.push(s), worker: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 50, batchMaxEvents: 5 } });
    t.after(() => sink.dispose());
    const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::210987654321:user/alice', delivery: () => sink.port() });
    trail.onDidRecord((e) => sink.notify(e.seq));
    await sink.configureDestination({
      label: `S3 ${bucket}`, cursorKey: `s3:${bucket}`,
      destination: aws.ops.objectLockDestination({ bucket, prefix: 'audit/', mode: 'COMPLIANCE', retentionDays: 30 }, 'native'),
    });
    const record = (n: number, label: string) => Promise.all(Array.from({ length: n }, (_, i) => trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', resource: `arn:aws:s3:::b-${label}-${i}`, outcome: 'ok' })));
    const waitDelivered = async (seq: number) => {
      const until = Date.now() + 20_000;
      while ((await sink.port()!.deliveredSeq()) < seq) {
        assert.ok(Date.now() < until, `delivered only ${await sink.port()!.deliveredSeq()} of ${seq}: ${JSON.stringify(statuses.at(-1))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { sink, statuses, record, waitDelivered };
  }

  test('one locked object per batch, every event at least once through an outage and throttling', async (t) => {
    const d = await deliver(t, LOCKED);
    await d.record(30, 'first');
    await d.waitDelivered(30);
    await control.faults({ errorRate: { s3: 1 } });
    await d.record(30, 'outage');
    await new Promise((r) => setTimeout(r, 400));
    assert.ok((await d.sink.port()!.deliveredSeq()) <= 30, 'nothing acknowledged while S3 fails');
    await control.faults({ throttle: { s3: 2 } });
    await d.record(30, 'throttled');
    await d.waitDelivered(90);
    await control.faults({});

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCKED, Prefix: 'audit/' }));
    const keys = (listed.Contents ?? []).map((c) => c.Key!);
    assert.ok(keys.length >= 18, `${keys.length} objects`);
    const seen = new Set<number>();
    for (const key of keys) {
      assert.match(key, /^audit\/\d{12}-\d{12}\.jsonl$/);
      const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: LOCKED, Key: key }));
      assert.equal(retention.Retention?.Mode, 'COMPLIANCE', `${key} is locked`);
      assert.ok(retention.Retention!.RetainUntilDate!.getTime() > Date.now() + 29 * 86_400_000);
      const text = await (await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: key }))).Body!.transformToString();
      const events = text.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
      const [first, last] = key.slice('audit/'.length, -'.jsonl'.length).split('-').map(Number);
      assert.deepEqual([events[0]!.seq, events.at(-1)!.seq], [first, last], 'the key names the batch\'s sequence range');
      for (const e of events) {
        assert.equal(eventHash(e), e.hash);
        seen.add(e.seq);
      }
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 90 }, (_, i) => i + 1), 'every event at least once, none lost');
    const puts = await control.requests({ service: 's3', operation: 'PutObject' });
    assert.ok(puts.filter((r) => r.principalType).every((r) => r.principalType === 'iam-user'));
    assert.ok(puts.some((r) => r.errorCode === 'SlowDown'), 'throttling was exercised');
  });

  test('a bucket without Object Lock is refused with that reason and receives nothing', async (t) => {
    const d = await deliver(t, PLAIN);
    await d.record(3, 'plain');
    const until = Date.now() + 5000;
    while (!d.statuses.some((s) => s.configured && s.state === 'failing')) {
      assert.ok(Date.now() < until, 'the destination reports failing');
      await new Promise((r) => setTimeout(r, 20));
    }
    const failing = d.statuses.find((s) => s.configured && s.state === 'failing');
    assert.match(failing?.configured ? failing.lastError ?? '' : '', /has no Object Lock/);
    assert.equal(await d.sink.port()!.deliveredSeq(), 0);
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: PLAIN }))).KeyCount, 0);
  });
});
