// The unlock flow (src/flows/unlock.ts) against the sandbox, driven through its ports the way the
// editor drives it (justification, pick, review and decision): what reaches AWS is read from the
// sandbox's request log and its state, what was recorded from the audit recorder.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, type AuditEvent } from '../../../src/core/audit';
import { isCancellation, isUserError } from '../../../src/core/errors';
import { createRootFlowEnv } from '../../../src/flows/env';
import { BUCKET_POLICY, QUEUE_POLICY, type PolicyKind, type PolicyTarget } from '../../../src/flows/policyKinds';
import { unlockPolicy, type Review, type ReviewInput, type UnlockDecision, type UnlockPerson } from '../../../src/flows/unlock';
import { flowDeps, memoryAudit, sampleOrgSuite } from './sandboxFlows';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';
const SETTLEMENT = 'payments-settlement';

interface Script {
  /** Answers to successive decisions; the proposal may be replaced before each. */
  decisions: Array<{ decision: UnlockDecision; edit?: (proposed: string) => string; before?: () => Promise<void> }>;
  pick?: (targets: Array<{ target: PolicyTarget; verdict?: string }>) => PolicyTarget;
}

function person(script: Script) {
  const told: string[] = [];
  const refused: string[] = [];
  const reviews: ReviewInput[] = [];
  const picks: Array<Array<{ target: PolicyTarget; verdict?: string }>> = [];
  let disposed = 0;
  const p: UnlockPerson = {
    justify: async () => ({ justification: 'receipts bucket locked by a bad deploy', ticket: 'INC-7' }),
    tell: (m) => void told.push(m),
    warn: (m) => void told.push(m),
    pickTarget: async (targets) => {
      picks.push(targets);
      return (script.pick ?? ((t) => t[0].target))(targets);
    },
    review: async (input): Promise<Review> => {
      reviews.push(input);
      let text = input.proposed;
      let step = 0;
      return {
        decide: async () => {
          const next = script.decisions[step++];
          assert.ok(next, 'the flow asked more often than the script answers');
          await next.before?.();
          if (next.edit) text = next.edit(text);
          return next.decision;
        },
        proposedText: () => text,
        refused: (m) => void refused.push(m),
        dispose: async () => void disposed++,
      };
    },
  };
  return { person: p, told, refused, reviews, picks, disposed: () => disposed };
}

describe('unlock flow through its ports', () => {
  const suite = sampleOrgSuite();

  const run = async (kind: PolicyKind, script: Script, target?: PolicyTarget) => {
    const audit = memoryAudit();
    const deps = flowDeps(suite.aws, suite.index, audit.audit);
    const who = person(script);
    const outcome = await unlockPolicy(createRootFlowEnv(deps), who.person, kind, { accountId: PAYMENTS, target, region: suite.sb.region })
      .then((value) => ({ value }), (error: unknown) => ({ error }));
    const calls = (await suite.control.requests()).filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session').map((r) => r.operation);
    return { ...outcome, ...who, events: audit.events, calls, findings: deps.findings };
  };
  /** The same, recorded by the real audit trail (its allow-list and scrubber) in a temp folder. */
  const runOnTrail = async (kind: PolicyKind, script: Script, target?: PolicyTarget) => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-unlock-trail-'));
    try {
      const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::310000000000:user/ops' });
      const deps = flowDeps(suite.aws, suite.index, trail);
      const who = person(script);
      const outcome = await unlockPolicy(createRootFlowEnv(deps), who.person, kind, { accountId: PAYMENTS, target, region: suite.sb.region })
        .then((value) => ({ value }), (error: unknown) => ({ error }));
      const events = readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()
        .flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent));
      return { ...outcome, ...who, events, verified: await trail.verify() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const bucket: PolicyTarget = { accountId: PAYMENTS, name: RECEIPTS, arn: `arn:aws:s3:::${RECEIPTS}`, region: 'us-east-1' };
  const storedBucketPolicy = async () => (await suite.control.account(PAYMENTS)).buckets.find((b) => b.name === RECEIPTS)!.policy;

  it('given a bucket: AssumeRoot + 4 calls, the locking statement removed, verified, the finding now fine', async () => {
    const ciRead = { Sid: 'ReadFromCi', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` }, Action: 's3:GetObject', Resource: `${bucket.arn}/*` };
    const denyAll = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`] };
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] });
    const r = await run(BUCKET_POLICY, { decisions: [{ decision: 'apply' }] }, bucket);
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.deepEqual(r.value, { outcome: 'applied', accountId: PAYMENTS, resource: bucket.arn, identical: true });
    assert.deepEqual(r.calls, ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
    assert.equal(r.reviews.length, 1);
    assert.match(r.reviews[0].current, /DenyEveryone/);
    assert.deepEqual(JSON.parse((await storedBucketPolicy())!), { Version: '2012-10-17', Statement: [ciRead] }, 'the grant is kept, the lock is gone');
    assert.equal(r.findings.get(PAYMENTS)?.resources.find((f) => f.arn === bucket.arn)?.verdict, 'fine');
    assert.deepEqual(r.events.map((e) => e.kind), ['intent', 'assumeRoot.granted', 'aws.read', 'preview.shown', 'decision', 'aws.read', 'aws.write', 'aws.read', 'verify', 'session.ended']);
    assert.ok(r.events.every((e) => e.taskId === r.events[0].taskId), 'one task id on every event');
    assert.equal(r.disposed(), 1, 'the review is closed when the task ends');
  });

  it('a policy naming a deleted principal by its unique id (AIDA…) is unlocked; the audit keeps the whole policy', async () => {
    const byId = { Sid: 'FormerCiUser', Effect: 'Allow', Principal: { AWS: 'AIDAJQABLZS4A3QDU576Q' }, Action: 's3:GetObject', Resource: `${bucket.arn}/*` };
    const denyAll = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`] };
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [byId, denyAll] });
    const locked = (await storedBucketPolicy())!;
    const r = await runOnTrail(BUCKET_POLICY, { decisions: [{ decision: 'apply' }] }, bucket);
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.equal(r.value.outcome, 'applied');
    assert.deepEqual(JSON.parse((await storedBucketPolicy())!), { Version: '2012-10-17', Statement: [byId] });
    const decision = r.events.find((e) => e.kind === 'decision');
    assert.equal(decision?.before, locked, 'the decision holds the policy as it was, restorable');
    assert.equal(r.events.find((e) => e.kind === 'aws.write')?.before, locked);
    assert.equal(r.events.at(-1)?.kind, 'session.ended');
    assert.equal(r.events.at(-1)?.outcome, 'ok');
    assert.ok(r.verified.ok, r.verified.problem);
  });

  it('a proposal with a raw control character is refused and recorded; the person fixes the edit and applies', async () => {
    const ciRead = { Sid: 'ReadFromCi', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` }, Action: 's3:GetObject', Resource: `${bucket.arn}/*` };
    const denyAll = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`] };
    await suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, { Version: '2012-10-17', Statement: [ciRead, denyAll] });
    const r = await runOnTrail(BUCKET_POLICY, {
      decisions: [
        { decision: 'apply', edit: (p) => p.replace('{', '{\u0000') },
        { decision: 'apply', edit: (p) => p.replace('\u0000', '') },
      ],
    }, bucket);
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.equal(r.value.outcome, 'applied');
    assert.equal(r.refused.length, 1);
    const decisions = r.events.filter((e) => e.kind === 'decision');
    assert.deepEqual(decisions.map((e) => e.outcome), ['denied', 'ok']);
    assert.match(decisions[0]!.error ?? '', /found '\\u0000'/);
    assert.deepEqual(JSON.parse((await storedBucketPolicy())!), { Version: '2012-10-17', Statement: [ciRead] });
  });

  it('a policy whose every statement locks: Apply deletes it', async () => {
    const r = await run(BUCKET_POLICY, { decisions: [{ decision: 'apply' }] }, bucket);
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.equal(r.value.outcome, 'deleted');
    assert.equal(r.reviews[0].proposed, '', 'the proposal is no policy');
    assert.deepEqual(r.calls, ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicy']);
    assert.equal(await storedBucketPolicy(), null);
  });

  it('an edited proposal that still locks is refused and audited; then cancel: nothing written', async () => {
    const still = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'StillLocked', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`] }] });
    const r = await run(BUCKET_POLICY, { decisions: [{ decision: 'apply', edit: () => still }, { decision: 'cancel' }] }, bucket);
    assert.ok('error' in r && isCancellation(r.error), 'the flow ends as cancelled');
    assert.equal(r.refused.length, 1);
    assert.match(r.refused[0], /refused/);
    assert.ok(!r.calls.some((c) => c.startsWith('Put') || c.startsWith('Delete')), 'nothing written');
    assert.match((await storedBucketPolicy()) ?? '', /DenyEveryone/);
    assert.deepEqual(r.events.filter((e) => e.kind === 'decision').map((e) => e.outcome), ['denied', 'cancelled']);
    assert.equal(r.events.at(-1)?.kind, 'session.ended');
    assert.equal(r.events.at(-1)?.outcome, 'cancelled');
  });

  it('a policy changed after the preview is not overwritten', async () => {
    const theirs = { Version: '2012-10-17', Statement: [{ Sid: 'SomeoneElsesFix', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` }, Action: 's3:GetObject', Resource: `${bucket.arn}/*` }] };
    const r = await run(BUCKET_POLICY, { decisions: [{ decision: 'apply', before: () => suite.control.setBucketPolicy(PAYMENTS, RECEIPTS, theirs) }] }, bucket);
    assert.ok('error' in r && isUserError(r.error), `a clear message: ${String((r as { error?: unknown }).error)}`);
    assert.match((r.error as Error).message, /changed/i);
    assert.deepEqual(r.calls, ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy'], 'the staleness re-read, and no write');
    assert.deepEqual(JSON.parse((await storedBucketPolicy())!), theirs);
  });

  it('no bucket given: lists them in the session, locked first, and unlocks the one picked', async () => {
    const r = await run(BUCKET_POLICY, { decisions: [{ decision: 'apply' }], pick: (t) => t.find((x) => x.target.name === RECEIPTS)!.target });
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.deepEqual(r.picks[0].map((t) => t.target.name).sort(), ['acme-payments-prod-artifacts', 'acme-payments-prod-audit', RECEIPTS]);
    assert.equal(r.calls[1], 'ListBuckets');
    assert.equal(r.events[0].resource, undefined, 'the intent names no resource before one is picked');
  });

  it('SQS: delete instead of the proposal removes the queue policy (SetQueueAttributes Policy="")', async () => {
    const queue: PolicyTarget = { accountId: PAYMENTS, name: SETTLEMENT, arn: `arn:aws:sqs:us-east-1:${PAYMENTS}:${SETTLEMENT}`, region: 'us-east-1', url: `${suite.sb.endpoint}/${PAYMENTS}/${SETTLEMENT}` };
    const r = await run(QUEUE_POLICY, { decisions: [{ decision: 'delete' }] }, queue);
    assert.ok('value' in r, String((r as { error?: unknown }).error));
    assert.equal(r.value.outcome, 'deleted');
    assert.deepEqual(r.calls, ['AssumeRoot', 'GetQueueAttributes', 'GetQueueAttributes', 'SetQueueAttributes', 'GetQueueAttributes']);
    const stored = (await suite.control.account(PAYMENTS)).queues.find((q) => q.name === SETTLEMENT)!.policy;
    assert.ok(!stored, 'no policy left');
  });
});
