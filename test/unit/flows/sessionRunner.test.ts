import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cancelled, UserError, isEndedByUser, isUserError } from '../../../src/core/errors';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../../../src/core/guardrails';
import type { AuditInput } from '../../../src/core/audit/types';
import { RootSessionRegistry } from '../../../src/core/sessionRegistry';
import { runRootTask, type RootTaskRequest, type RunnerEnv } from '../../../src/core/sessionRunner';
import { OrgIndex } from '../../../src/core/orgIndex';
import { sampleIndex } from './orgFixture';

interface FakeSession {
  accountId: string;
  task: RootTaskRequest['task'];
  expiresAt: Date;
  requestId: string;
  ended: boolean;
  end(): void;
}

function setup(opts: { guardrails?: Partial<GuardrailSettings>; durationSeconds?: number; minRemainingSeconds?: number; gateFails?: boolean; assumeFails?: Error } = {}) {
  const events: AuditInput[] = [];
  const assumed: Array<{ accountId: string; durationSeconds: number }> = [];
  const sessions: FakeSession[] = [];
  const registry = new RootSessionRegistry();
  // Every AWS call of a session is paced by the shared limiter: count what passes through it.
  const paced: string[] = [];
  const env: RunnerEnv<FakeSession> = {
    audit: {
      record: async (e) => void events.push(e),
      recordIntent: async (e) => {
        if (opts.gateFails) throw new UserError('The audit log could not be written (ENOSPC); no root credentials were taken.');
        events.push(e);
      },
    },
    registry,
    guardrails: { ...DEFAULT_GUARDRAILS, ...opts.guardrails },
    session: { durationSeconds: opts.durationSeconds ?? 900, minRemainingSeconds: opts.minRemainingSeconds ?? 60 },
    getIndex: async () => sampleIndex(),
    limiter: { run: (fn) => { paced.push('call'); return fn(); } },
    newTaskId: () => `task-${events.length}`,
    assume: async (r) => {
      assumed.push(r);
      if (opts.assumeFails) throw opts.assumeFails;
      const s: FakeSession = {
        accountId: r.accountId,
        task: r.task,
        expiresAt: new Date(Date.now() + r.durationSeconds * 1000),
        requestId: 'req-assume',
        ended: false,
        end() {
          this.ended = true;
        },
      };
      sessions.push(s);
      return s;
    },
  };
  return { env, events, assumed, sessions, registry, paced, kinds: () => events.map((e) => e.kind) };
}

const req: RootTaskRequest = {
  task: 'S3UnlockBucketPolicy',
  accountId: '222222222222',
  resourceArn: 'arn:aws:s3:::locked',
  justification: 'production bucket is locked',
  ticket: 'OPS-1',
};

test('happy path: intent, granted, reads and writes audited with request ids, session ended and dropped', async () => {
  const t = setup();
  const result = await runRootTask(t.env, req, async (task) => {
    assert.equal(t.registry.size, 1);
    await task.read('GetBucketPolicy', 'arn:aws:s3:::locked', async () => ({ requestId: 'req-read' }));
    await task.write('PutBucketPolicy', 'arn:aws:s3:::locked', async () => ({ $metadata: { requestId: 'req-write' } }), { afterSha256: 'a'.repeat(64) });
    return 'done';
  });
  assert.equal(result, 'done');
  assert.deepEqual(t.kinds(), ['intent', 'assumeRoot.granted', 'aws.read', 'aws.write', 'session.ended']);
  assert.equal(t.events[0].justification, 'production bucket is locked');
  assert.equal(t.events[0].ticket, 'OPS-1');
  assert.equal(t.events[1].requestId, 'req-assume');
  assert.equal(t.events[2].requestId, 'req-read');
  assert.equal(t.events[3].requestId, 'req-write');
  assert.equal(t.events[3].afterSha256, 'a'.repeat(64));
  assert.equal(t.events[4].outcome, 'ok');
  assert.ok(t.events.every((e) => e.taskId === t.events[0].taskId && e.accountId === '222222222222'));
  assert.equal(t.sessions[0].ended, true);
  assert.equal(t.registry.size, 0);
  assert.equal(t.registry.holderOf('arn:aws:s3:::locked'), undefined);
  assert.equal(t.paced.length, 2, 'the read and the write were paced by the shared limiter');
});

test('guardrail refusals are audited and happen before any AssumeRoot', async () => {
  for (const [guardrails, request, rule] of [
    [{ protectedResources: ['arn:aws:s3:::lock*'] }, req, 'protectedResource'],
    [{}, { ...req, accountId: '111111111111' }, 'managementAccount'],
    [{}, { ...req, accountId: '999999999999' }, 'outsideOrganization'],
    [{}, { ...req, accountId: 'abc' }, 'accountId'],
    [{}, { ...req, ticket: 'nope' }, 'ticket'],
  ] as const) {
    const t = setup({ guardrails });
    await assert.rejects(runRootTask(t.env, request, async () => assert.fail('work must not run')), UserError);
    assert.deepEqual(t.kinds(), ['guardrail.refused']);
    assert.equal(t.events[0].detail?.rule, rule);
    assert.equal(t.assumed.length, 0);
  }
});

test('a failing audit gate takes no credentials', async () => {
  const t = setup({ gateFails: true });
  await assert.rejects(runRootTask(t.env, req, async () => 'x'), /no root credentials were taken/);
  assert.equal(t.assumed.length, 0);
  assert.equal(t.registry.holderOf(req.resourceArn!), undefined);
});

test('a second task on the same resource is refused while the first runs', async () => {
  const t = setup();
  let release!: () => void;
  const first = runRootTask(t.env, req, () => new Promise<void>((r) => (release = r)));
  await new Promise((r) => setImmediate(r));
  await assert.rejects(runRootTask(t.env, { ...req, taskId: 'second' }, async () => 'x'), /Another root task is already working on arn:aws:s3:::locked/);
  assert.equal(t.assumed.length, 1);
  release();
  await first;
  await runRootTask(t.env, { ...req, taskId: 'third' }, async () => 'ok');
  assert.equal(t.assumed.length, 2);
});

test('AssumeRoot denied: explained, audited, nothing registered', async () => {
  const denied = Object.assign(new Error('User is not authorized to perform sts:AssumeRoot'), { name: 'AccessDenied', $metadata: { requestId: 'req-denied' } });
  const t = setup({ assumeFails: denied });
  await assert.rejects(runRootTask(t.env, req, async () => 'x'), /RootSessions feature.*Check Setup/s);
  assert.deepEqual(t.kinds(), ['intent', 'assumeRoot.failed']);
  assert.equal(t.events[1].requestId, 'req-denied');
  assert.equal(t.registry.size, 0);
});

test('cancel ends the session as cancelled and rethrows Cancelled', async () => {
  const t = setup();
  await assert.rejects(runRootTask(t.env, req, async () => {
    throw new Cancelled();
  }), Cancelled);
  assert.deepEqual(t.kinds(), ['intent', 'assumeRoot.granted', 'session.ended']);
  assert.equal(t.events[2].outcome, 'cancelled');
  assert.equal(t.sessions[0].ended, true);
});

test('a failing call is audited with its error, explained, and the session ended as failed', async () => {
  const t = setup();
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  await assert.rejects(
    runRootTask(t.env, req, (task) => task.read('GetBucketPolicy', 'arn:aws:s3:::locked', () => Promise.reject(throttled))),
    /AWS throttled GetBucketPolicy/,
  );
  assert.deepEqual(t.kinds(), ['intent', 'assumeRoot.granted', 'aws.read', 'error', 'session.ended']);
  assert.equal(t.events[2].outcome, 'error');
  assert.equal(t.events[4].outcome, 'error');
});

test('writes are refused under the minimum lifetime, and an expired session is recorded as such', async () => {
  // 30 s left against a 60 s minimum: far from expiry even on a loaded machine, so the
  // refusal is the minimum-lifetime one and not 'expired'.
  const t = setup({ durationSeconds: 30, minRemainingSeconds: 60 });
  let wrote = false;
  await assert.rejects(
    runRootTask(t.env, req, (task) => task.write('PutBucketPolicy', 'arn:aws:s3:::locked', async () => (wrote = true))),
    /Only (29|30) s of the root session remain \(rootTasks.session.minRemainingSeconds is 60\)/,
  );
  assert.equal(wrote, false);

  const e = setup({ durationSeconds: 1, minRemainingSeconds: 0 });
  await assert.rejects(
    runRootTask(e.env, req, async (task) => {
      await new Promise((r) => task.signal.addEventListener('abort', r));
      return task.write('PutBucketPolicy', 'arn:aws:s3:::locked', async () => (wrote = true));
    }),
    /expired before the task finished/,
  );
  assert.equal(wrote, false);
  assert.deepEqual(e.kinds(), ['intent', 'assumeRoot.granted', 'session.expired', 'error']);
  assert.equal(e.sessions[0].ended, true);
});

test('claim checks guardrails for a resource picked during the task', async () => {
  const t = setup({ guardrails: { protectedResources: ['arn:aws:sqs:*:222222222222:audit'] } });
  await assert.rejects(
    runRootTask(t.env, { ...req, task: 'SQSUnlockQueuePolicy', resourceArn: undefined }, (task) => task.claim('arn:aws:sqs:us-east-1:222222222222:audit')),
    /protected/,
  );
  assert.deepEqual(t.kinds(), ['intent', 'assumeRoot.granted', 'guardrail.refused', 'error', 'session.ended']);
});

test('ended from the status bar while the task waits: "ended by you", told as news (EndedByUser), audited as before', async () => {
  const t = setup();
  const err = await runRootTask(t.env, req, async (task) => {
    // What the status bar's End Root Session does, while the flow waits on the person.
    t.registry.end(task.taskId, 'endedByUser');
    if (task.signal.aborted) throw new Cancelled();
    return 'not reached';
  }).then(() => undefined, (e: unknown) => e);
  assert.ok(isEndedByUser(err), `expected EndedByUser, got ${String(err)}`);
  assert.ok(isUserError(err), 'still a UserError for callers that collect messages');
  assert.equal((err as Error).message, 'S3 unlock on account 2222-2222-2222 (arn:aws:s3:::locked): ended by you; nothing more was written.');
  assert.ok(t.kinds().includes('error'), t.kinds().join(','));
  assert.match(t.events.find((e) => e.kind === 'error')?.error ?? '', /was ended before the task finished; nothing more was written/);
  assert.equal(t.sessions[0].ended, true);
});

test('while the index is being listed: a placed account is judged at once; one not listed yet waits for the whole index, then is judged by it', async () => {
  const t = setup();
  const full = sampleIndex();
  // The walk so far: every OU known, and of the accounts 222222222222 only.
  const partial = new OrgIndex(full.organization);
  partial.setPartial(full.organization.rootId, [...full.ous.values()], [full.accounts.get('222222222222')!]);
  assert.equal(partial.isPlaced('222222222222'), true);
  let walkEnded!: () => void;
  const walk = new Promise<void>((r) => (walkEnded = r));
  t.env.getIndex = async () => (await walk, full);
  t.env.partialIndex = () => partial;
  const placed = await runRootTask(t.env, req, async () => 'ran');
  assert.equal(placed, 'ran', 'judged against the partial index without waiting for the walk');
  let outsiderSettled = false;
  const outsider = runRootTask(t.env, { ...req, accountId: '999999999999' }, async () => 'ran').finally(() => (outsiderSettled = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(outsiderSettled, false, 'an account not listed yet is neither taken for a member nor refused before the walk ends');
  walkEnded();
  await assert.rejects(outsider, /not a member/);
  assert.deepEqual(t.assumed.map((a) => a.accountId), ['222222222222'], 'no AssumeRoot for the account the whole index does not hold');
});
