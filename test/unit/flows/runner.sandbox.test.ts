// The runner with its real parts: AssumeRoot over HTTP against the sandbox, the real audit trail
// on disk, the session registry. What the sandbox saw is read from its request log.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { assumeRoot, type RootSession } from '../../../src/aws/rootSession';
import { getBucketPolicy } from '../../../src/aws/s3Policy';
import { createAuditTrail, type AuditEvent, type AuditTrail } from '../../../src/core/audit';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../../../src/core/guardrails';
import { OrgIndex } from '../../../src/core/orgIndex';
import { RootSessionRegistry } from '../../../src/core/sessionRegistry';
import { runRootTask, type RootTaskRequest, type RunnerEnv } from '../../../src/core/sessionRunner';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';

const PAYMENTS = '320000000001';
const BUCKET = 'acme-payments-prod-receipts';
const REQUEST: RootTaskRequest = {
  task: 'S3UnlockBucketPolicy',
  accountId: PAYMENTS,
  resourceArn: `arn:aws:s3:::${BUCKET}`,
  justification: 'payments receipts bucket locked by a bad deploy',
  ticket: 'INC-7',
};

function indexFor(managementAccountId: string): OrgIndex {
  const index = new OrgIndex({ id: 'o-acme7k2p9q4x', arn: '', managementAccountId, featureSet: 'ALL', rootId: 'r-ac3e', rootArn: '' });
  const account = (id: string) => ({ id, arn: '', name: id, email: '', state: 'ACTIVE', parentId: 'r-ac3e' });
  index.setListing('r-ac3e', [], [account(managementAccountId), account(PAYMENTS)]);
  return index;
}

describe('runner with AssumeRoot against the sandbox and the real audit trail', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let aws: AwsContext;
  let dir: string;
  let trail: AuditTrail;
  let events: AuditEvent[];

  const env = (opts: { guardrails?: Partial<GuardrailSettings>; durationSeconds?: number; minRemainingSeconds?: number; context?: AwsContext } = {}): RunnerEnv<RootSession> => ({
    audit: trail,
    registry: new RootSessionRegistry(),
    guardrails: { ...DEFAULT_GUARDRAILS, ...opts.guardrails },
    session: { durationSeconds: opts.durationSeconds ?? 900, minRemainingSeconds: opts.minRemainingSeconds ?? 60 },
    getIndex: async () => indexFor(sandbox.managementAccountId),
    limiter: (opts.context ?? aws).limiter,
    assume: (r) => assumeRoot(opts.context ?? aws, r),
    newTaskId: () => `t-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  const kinds = () => events.map((e) => e.kind);

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
    aws = createAwsContext({ region: sandbox.region, endpoint: sandbox.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, sandbox.management);
  });
  beforeEach(async () => {
    await control.reset();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'rt-runner-'));
    trail = createAuditTrail({ dir, actor: () => sandbox.management.arn });
    events = [];
    trail.onDidRecord((e) => events.push(e));
  });
  after(async () => {
    aws?.dispose();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a task: one AssumeRoot for the task policy, audited calls, credentials gone afterwards and in no audit file', async () => {
    let kept: RootSession | undefined;
    const text = await runRootTask(env(), REQUEST, async (t) => {
      kept = t.session;
      const read = await t.read('GetBucketPolicy', REQUEST.resourceArn!, () => getBucketPolicy(t.session.clients(), BUCKET));
      return read.text;
    });
    assert.match(text ?? '', /DenyEveryone/);
    assert.deepEqual(kinds(), ['intent', 'assumeRoot.granted', 'aws.read', 'session.ended']);
    const assumed = await control.requests({ operation: 'AssumeRoot' });
    assert.equal(assumed.length, 1);
    assert.equal(assumed[0].detail?.taskPolicyArn, 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy');
    assert.equal(events[1].requestId, assumed[0].requestId, 'the granted event carries the AssumeRoot request id');
    const reads = await control.requests({ operation: 'GetBucketPolicy' });
    assert.equal(events[2].requestId, reads[0].requestId);
    assert.equal(kept?.ended, true);
    assert.throws(() => kept!.clients(), /ended/);

    const { secrets } = await control.issuedCredentials();
    assert.ok(secrets.length >= 2, 'the sandbox lists the issued secret key and session token');
    const written = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')).join('\n');
    assert.ok(written.includes('payments receipts bucket locked'), 'the audit files were read');
    for (const s of secrets) assert.ok(!written.includes(s), 'an issued secret reached the audit log');
  });

  test('fail closed: when the audit log cannot be written, not one AssumeRoot reaches the sandbox', async () => {
    // The log folder lies under a regular file, so every write fails (ENOTDIR), also for root.
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const broken = createAuditTrail({ dir: join(blocker, 'audit'), actor: () => sandbox.management.arn });
    let ran = false;
    await assert.rejects(
      runRootTask({ ...env(), audit: broken }, REQUEST, async () => { ran = true; }),
      (err: Error) => err.name === 'AuditWriteError' && /audit log could not be written/.test(err.message) && /refused/.test(err.message),
    );
    assert.equal(ran, false, 'the task body never ran');
    assert.equal((await control.requests({ operation: 'AssumeRoot' })).length, 0, 'no AssumeRoot reached the sandbox');
  });

  test('a protected resource is refused before any AssumeRoot', async () => {
    await assert.rejects(runRootTask(env({ guardrails: { protectedResources: ['arn:aws:s3:::acme-payments-*'] } }), REQUEST, async () => 'x'), /protected/);
    assert.deepEqual(kinds(), ['guardrail.refused']);
    assert.equal((await control.requests({ service: 'sts' })).length, 0);
  });

  test('a malformed account id is refused and the refusal is in the real audit log (id kept as detail)', async () => {
    await assert.rejects(runRootTask(env(), { ...REQUEST, accountId: '1234-oops' }, async () => 'x'), /"1234-oops" is not an AWS account id/);
    assert.deepEqual(kinds(), ['guardrail.refused']);
    assert.equal(events[0].accountId, undefined);
    assert.deepEqual(events[0].detail, { rule: 'accountId', requestedAccountId: '1234-oops' });
  });

  test('refusals that quote control characters are recorded too, the characters shown escaped', async () => {
    await assert.rejects(runRootTask(env(), { ...REQUEST, ticket: 'INC-7\u0000' }, async () => 'x'), /Ticket "INC-7\\u0000" contains control characters/);
    await assert.rejects(runRootTask(env(), { ...REQUEST, accountId: `${PAYMENTS}\n` }, async () => 'x'), /"320000000001\\u000a" is not an AWS account id/);
    await assert.rejects(runRootTask(env(), { ...REQUEST, justification: 'locked bucket \u0007 again' }, async () => 'x'), /control characters/);
    assert.deepEqual(kinds(), ['guardrail.refused', 'guardrail.refused', 'guardrail.refused']);
    assert.equal(events[0].error, 'Ticket "INC-7\\u0000" contains control characters.');
    assert.deepEqual(events[1].detail, { rule: 'accountId', requestedAccountId: '320000000001\\u000a' });
    assert.equal((await control.requests({ service: 'sts' })).length, 0);
  });

  test('RootSessions off: AssumeRoot is denied and the message says what to enable', async () => {
    await control.organization({ rootSessions: false });
    await assert.rejects(runRootTask(env(), REQUEST, async () => 'x'), /RootSessions/);
    assert.deepEqual(kinds(), ['intent', 'assumeRoot.failed']);
    assert.equal(events[1].outcome, 'error');
  });

  test('throttling is named as such, nothing written', async () => {
    await control.faults({ throttle: { s3: 0.001 } });
    await assert.rejects(
      runRootTask(env(), REQUEST, async (t) => {
        for (let i = 0; i < 3; i++) await t.read('GetBucketPolicy', REQUEST.resourceArn!, () => getBucketPolicy(t.session.clients(), BUCKET));
      }),
      /throttled GetBucketPolicy/,
    );
    assert.equal((await control.requests({ service: 's3', outcome: 'success' })).filter((r) => r.operation !== 'GetBucketPolicy').length, 0);
    assert.equal(kinds().at(-1), 'session.ended');
  });

  test('the endpoint is down: "cannot reach", audited, no session', async () => {
    const down = createAwsContext({ region: sandbox.region, endpoint: 'http://127.0.0.1:9', requestsPerSecond: 0, concurrency: 1, maxAttempts: 1 }, sandbox.management);
    try {
      await assert.rejects(runRootTask(env({ context: down }), REQUEST, async () => 'x'), /Cannot reach AWS for AssumeRoot/);
      assert.deepEqual(kinds(), ['intent', 'assumeRoot.failed']);
    } finally {
      down.dispose();
    }
  });

  test('a session that runs out mid-task is recorded as expired and refuses the write', async () => {
    let wrote = false;
    await assert.rejects(
      runRootTask(env({ durationSeconds: 2, minRemainingSeconds: 0 }), REQUEST, async (t) => {
        await new Promise((r) => t.signal.addEventListener('abort', r));
        return t.write('PutBucketPolicy', REQUEST.resourceArn!, async () => (wrote = true));
      }),
      /expired before the task finished/,
    );
    assert.equal(wrote, false);
    assert.deepEqual(kinds(), ['intent', 'assumeRoot.granted', 'session.expired', 'error']);
  });
});
