// Break-glass and "approval requested" through the real audit trail and a real HTTPS webhook
// receiver (test/support/webhookReceiver.ts), with approvals required, against the sandbox: the
// requester acts alone only once the sink has acknowledged the break-glass notice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNATURE_NAMESPACE, sshVerifier, usedRequestsIn } from '../../../src/core/approval';
import type { ApprovalEnv } from '../../../src/core/approvalGate';
import { RootAuditResults } from '../../../src/core/rootReport';
import { deleteRootCredentials } from '../../../src/flows/credentials/delete';
import { allowRootPasswordRecovery } from '../../../src/flows/credentials/recovery';
import { createRootFlowEnv } from '../../../src/flows/env';
import { BUCKET_POLICY, type PolicyTarget } from '../../../src/flows/policyKinds';
import { unlockPolicy, type UnlockDecision, type UnlockPerson } from '../../../src/flows/unlock';
import { scenario } from '../audit/fixtures';
import { flowDeps, quietProgress, sampleOrgSuite, scriptedPerson } from './sandboxFlows';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';
const DATALAKE = '320000000003';
const ALICE = '340000000001';

describe('break-glass and approval requests reach the audit sink', () => {
  const suite = sampleOrgSuite();
  const bucket: PolicyTarget = { accountId: PAYMENTS, name: RECEIPTS, arn: `arn:aws:s3:::${RECEIPTS}`, region: 'us-east-1' };
  const rootCalls = async () => (await suite.control.requests()).filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session').map((r) => r.operation);
  const person = (decision: UnlockDecision): UnlockPerson => ({
    ...scriptedPerson({ justification: 'payments receipts locked out', ticket: 'INC-9' }).person,
    pickTarget: async () => bucket,
    review: async (input) => ({ decide: async () => decision, proposedText: () => input.proposed, refused: () => assert.fail('refused'), dispose: async () => undefined }),
  });
  const env = (audit: Parameters<typeof flowDeps>[2]) => {
    const usedDir = mkdtempSync(join(tmpdir(), 'root-task-used-'));
    const approvals: ApprovalEnv = {
      settings: { required: 1, maxAgeSeconds: 3600 },
      verifier: sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: join(usedDir, 'none') }),
      used: usedRequestsIn(usedDir),
      caller: async () => 'arn:aws:iam::111122223333:user/alice',
    };
    return { env: createRootFlowEnv({ ...flowDeps(suite.aws, suite.index, audit), approvals: () => approvals }), cleanup: () => rmSync(usedDir, { recursive: true, force: true }) };
  };

  it('break-glass: recorded high-severity, acknowledged by the receiver before AssumeRoot; the unlock then runs', async (t) => {
    const s = await scenario(t);
    await s.connect();
    const e = env(s.trail);
    t.after(e.cleanup);
    const result = await unlockPolicy(e.env, person('apply'), BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region, breakGlass: 'payments are down and no approver answers' });
    assert.equal(result.outcome, 'deleted');
    const received = s.receiver.events();
    const notice = received.find((x) => x.kind === 'breakGlass');
    assert.ok(notice, 'the receiver has the break-glass notice');
    assert.deepEqual(notice.detail, { severity: 'high', notice: 'break-glass', approvalsRequired: 1 });
    assert.equal(notice.justification, 'payments are down and no approver answers');
    const kinds = received.map((x) => x.kind);
    assert.ok(kinds.indexOf('breakGlass') < kinds.indexOf('intent'), 'break-glass before the intent');
    assert.equal((await suite.control.account(PAYMENTS)).buckets.find((b) => b.name === RECEIPTS)!.policy, null);
    assert.equal((await s.trail.verify()).ok, true);
  });

  it('break-glass with the sink down is refused before any AssumeRoot, and the refusal is in the chain', async (t) => {
    const s = await scenario(t, { trail: { ackTimeoutMs: 400 } });
    await s.connect();
    await s.receiver.down();
    const e = env(s.trail);
    t.after(e.cleanup);
    const error = await unlockPolicy(e.env, person('apply'), BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region, breakGlass: 'payments are down and no approver answers' })
      .then(() => undefined, (err: unknown) => err);
    assert.match(String((error as Error)?.message), /did not acknowledge/);
    assert.deepEqual(await rootCalls(), []);
    await s.receiver.up();
    await s.receiver.waitFor(() => s.receiver.events().some((x) => x.kind === 'guardrail.refused'), 10_000);
    assert.deepEqual(s.receiver.events().map((x) => x.kind), ['breakGlass', 'guardrail.refused']);
  });

  const credentialEnv = (e: ReturnType<typeof env>) => ({ ...e.env, results: new RootAuditResults(), concurrency: 2 });
  const account = (id: string) => suite.index.accounts.get(id)!;

  it('root-credential deletion and password recovery: refused without approval or a reason, run as break-glass acknowledged by the sink', async (t) => {
    const s = await scenario(t);
    await s.connect();
    const e = env(s.trail);
    t.after(e.cleanup);
    const who = scriptedPerson({ justification: 'former admin left with the root keys', ticket: 'SEC-77' }).person;
    // Without a reason: refused before any AssumeRoot, per account.
    const refused = await deleteRootCredentials(credentialEnv(e), who, quietProgress(), [account(DATALAKE)]);
    assert.equal(refused.accounts[0].outcome, 'failed');
    assert.match(refused.accounts[0].error ?? '', /need 1 approval/);
    await assert.rejects(allowRootPasswordRecovery(credentialEnv(e), who, account(ALICE)), /need 1 approval/);
    assert.deepEqual(await rootCalls(), []);

    const reason = 'the leaked root key is being used right now';
    const deleted = await deleteRootCredentials(credentialEnv(e), who, quietProgress(), [account(DATALAKE)], { breakGlass: reason });
    assert.equal(deleted.accounts[0].outcome, 'deleted');
    assert.equal((await suite.control.account(DATALAKE)).root.accessKeys.length, 0);
    const recovered = await allowRootPasswordRecovery(credentialEnv(e), who, account(ALICE), { breakGlass: reason });
    assert.equal(recovered.outcome, 'enabled');
    const notices = s.receiver.events().filter((x) => x.kind === 'breakGlass');
    assert.deepEqual(notices.map((n) => [n.accountId, n.justification]), [[DATALAKE, reason], [ALICE, reason]], 'each session broke glass, acknowledged by the sink');
    assert.equal((await s.trail.verify()).ok, true);
  });

  it('"approval requested" reaches the sink, so a team webhook can post it to chat', async (t) => {
    const s = await scenario(t);
    await s.connect();
    const e = env(s.trail);
    t.after(e.cleanup);
    const result = await unlockPolicy(e.env, person('request'), BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region });
    assert.equal(result.outcome, 'requested');
    await s.receiver.waitFor(() => s.receiver.events().some((x) => x.kind === 'approval.requested'), 10_000);
    const requested = s.receiver.events().find((x) => x.kind === 'approval.requested')!;
    assert.equal(requested.resource, bucket.arn);
    assert.match(String(requested.requestSha256), /^[0-9a-f]{64}$/);
    assert.ok(!(await rootCalls()).some((c) => c.startsWith('Put') || c.startsWith('Delete')));
    // "Apply" in a preparing session still only makes a request: nothing is written without approval.
    const applied = await unlockPolicy(e.env, person('apply'), BUCKET_POLICY, { accountId: PAYMENTS, target: bucket, region: suite.sb.region });
    assert.equal(applied.outcome, 'requested');
    assert.ok(!(await rootCalls()).some((c) => c.startsWith('Put') || c.startsWith('Delete')));
  });
});
