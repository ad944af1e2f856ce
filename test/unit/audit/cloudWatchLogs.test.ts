// The CloudWatch Logs destination against the sandbox with the real SDK: the sandbox's
// PutLogEvents limits and errors, the destination's chunking, and the audit trail delivered to a
// log stream at least once with nothing lost while the endpoint is down for a while and under
// throttling, resuming from its own cursor after a restart.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { putLogEventsChunks, PUT_LOG_EVENTS_LIMITS } from '../../../src/aws/cloudWatchLogs';
import { createAuditTrail, SinkController, type AuditEvent, type SinkStatus } from '../../../src/core/audit';
import { eventHash } from '../../../src/core/audit/chain';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { rejectsWith } from '../sandbox/helpers';

const GROUP = '/security/root-access';
const STREAM = 'aws-root-tasks';

describe('CloudWatch Logs destination (sandbox)', () => {
  let sb: SandboxHandle;
  let control: SandboxControl;
  let logs: CloudWatchLogsClient;
  let aws: AwsContext;

  before(async () => {
    sb = await startSandbox();
    control = sandboxControl(sb.endpoint);
    logs = new CloudWatchLogsClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.management, maxAttempts: 1 });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 2 }, sb.management);
  });
  beforeEach(async () => {
    await control.reset();
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  });
  after(async () => {
    logs.destroy();
    aws.dispose();
    await sb.close();
  });

  async function readStream(): Promise<{ timestamp?: number; message?: string }[]> {
    const out: { timestamp?: number; message?: string }[] = [];
    let token: string | undefined;
    for (;;) {
      const r = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, nextToken: token }));
      out.push(...(r.events ?? []));
      if (!r.events?.length || r.nextForwardToken === token) return out;
      token = r.nextForwardToken;
    }
  }

  test('the sandbox answers as CloudWatch Logs: missing stream, out of order, too many, too large, too old', async () => {
    const now = Date.now();
    await rejectsWith(logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: [{ timestamp: now, message: 'x' }] })), 'ResourceNotFoundException');
    await rejectsWith(logs.send(new PutLogEventsCommand({ logGroupName: 'nope', logStreamName: STREAM, logEvents: [{ timestamp: now, message: 'x' }] })), 'ResourceNotFoundException');
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
    await rejectsWith(logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM })), 'ResourceAlreadyExistsException');
    const put = (logEvents: { timestamp: number; message: string }[]) => logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents }));
    const e = await rejectsWith(put([{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }]), 'InvalidParameterException');
    assert.match(e.message, /chronological order/);
    await rejectsWith(put(Array.from({ length: 10_001 }, (_, i) => ({ timestamp: now, message: `m${i}` }))), 'InvalidParameterException');
    await rejectsWith(put(Array.from({ length: 5 }, () => ({ timestamp: now, message: 'x'.repeat(220_000) }))), 'InvalidParameterException');
    await rejectsWith(put([{ timestamp: now - 25 * 3_600_000, message: 'a' }, { timestamp: now, message: 'b' }]), 'InvalidParameterException');
    const partly = await put([{ timestamp: now - 15 * 24 * 3_600_000, message: 'ancient' }, { timestamp: now - 14 * 24 * 3_600_000 - 1000, message: 'old' }]).catch((err) => err);
    // 24 h span rule first: these two are within a day of each other, both too old.
    assert.deepEqual(partly.rejectedLogEventsInfo ?? partly.name, partly.rejectedLogEventsInfo ? { tooOldLogEventEndIndex: 2 } : 'InvalidParameterException');
    const ok = await put([{ timestamp: now, message: 'kept' }]);
    assert.equal(ok.rejectedLogEventsInfo, undefined);
    assert.deepEqual((await readStream()).map((x) => x.message), ['kept']);
  });

  test('chunks stay within 10,000 events, 1,048,576 bytes (26 per event) and 24 hours', () => {
    const t0 = 1_700_000_000_000;
    const many = Array.from({ length: 25_000 }, (_, i) => ({ timestamp: t0 + i, message: 'x' }));
    assert.deepEqual(putLogEventsChunks(many).map((c) => c.length), [10_000, 10_000, 5_000]);
    const big = Array.from({ length: 30 }, (_, i) => ({ timestamp: t0 + i, message: 'y'.repeat(100_000) }));
    for (const c of putLogEventsChunks(big)) assert.ok(c.reduce((n, e) => n + e.message!.length + 26, 0) <= PUT_LOG_EVENTS_LIMITS.bytes);
    const spread = [{ timestamp: t0, message: 'a' }, { timestamp: t0 + 23 * 3_600_000, message: 'b' }, { timestamp: t0 + 25 * 3_600_000, message: 'c' }];
    assert.deepEqual(putLogEventsChunks(spread).map((c) => c.map((e) => e.message)), [['a', 'b'], ['c']]);
  });

  test('the audit trail reaches the stream at least once, none lost, through an outage and throttling, and resumes after a restart', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-cwl-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const statuses: SinkStatus[] = [];
    const controller = () => new SinkController({ dir, logHead: async () => (await trail.head()).seq, onStatus: (s) => statuses.push(s), worker: { backoff: { baseMs: 20, maxMs: 200 }, pollMs: 50, batchMaxEvents: 25 } });
    let sink = controller();
    const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::210987654321:user/alice', delivery: () => sink.port() });
    trail.onDidRecord((e) => sink.notify(e.seq));
    const configure = (s: SinkController) => s.configureDestination({ label: `CloudWatch Logs ${GROUP}`, cursorKey: `cloudwatch:${sb.region}/${GROUP}/${STREAM}`, destination: aws.ops.cloudWatchLogsDestination({ logGroup: GROUP, logStream: STREAM }) });
    await configure(sink);
    const record = (n: number, label: string) => Promise.all(Array.from({ length: n }, (_, i) => trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', resource: `arn:aws:s3:::b-${label}-${i}`, outcome: 'ok' })));
    const waitDelivered = async (seq: number) => {
      const until = Date.now() + 20_000;
      while ((await sink.port()!.deliveredSeq()) < seq) {
        assert.ok(Date.now() < until, `delivered only ${await sink.port()!.deliveredSeq()} of ${seq}: ${JSON.stringify(statuses.at(-1))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    await record(30, 'first');
    await waitDelivered(30);
    // Down for a while: every CloudWatch Logs call fails (connection reset) and the events wait.
    await control.faults({ resetRate: { logs: 1 } });
    await record(40, 'outage');
    await new Promise((r) => setTimeout(r, 400));
    assert.ok((await sink.port()!.deliveredSeq()) <= 30, 'nothing acknowledged while the endpoint is down');
    assert.ok(statuses.some((s) => s.configured && s.state === 'failing'));
    // Throttled: 3 requests per second.
    await control.faults({ throttle: { logs: 3 } });
    await record(40, 'throttled');
    await waitDelivered(110);
    await control.faults({});
    // Restart: a new controller resumes from the destination's cursor, not from seq 1.
    await sink.dispose();
    const before = (await readStream()).length;
    sink = controller();
    await configure(sink);
    await record(5, 'after-restart');
    await waitDelivered(115);
    await sink.dispose();

    const stored = (await readStream()).map((e) => JSON.parse(e.message!) as AuditEvent);
    const bySeq = new Map<number, AuditEvent>();
    for (const e of stored) {
      assert.equal(eventHash(e), e.hash, 'each stored event is the native line, hash intact');
      bySeq.set(e.seq, e);
    }
    assert.deepEqual([...bySeq.keys()].sort((a, b) => a - b), Array.from({ length: 115 }, (_, i) => i + 1), 'every event at least once, none lost');
    assert.ok(stored.length - before <= 5 + 25, `the restart resent at most one batch (${stored.length - before} new)`);
    const duplicates = stored.length - bySeq.size;
    console.log(`[cloudwatch] 115 events, ${stored.length} stored (${duplicates} duplicates from retried batches)`);
    const puts = await control.requests({ service: 'logs', operation: 'PutLogEvents' });
    assert.ok(puts.filter((r) => r.outcome !== 'reset').every((r) => r.principalType === 'iam-user'), 'the operator\'s credentials, never a root session\'s');
    assert.ok(puts.some((r) => r.errorCode === 'ThrottlingException'), 'throttling was exercised');
  });
});
