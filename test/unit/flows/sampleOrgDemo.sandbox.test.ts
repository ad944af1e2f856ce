// The sample organization shows the main feature (test/sandbox/seeds/sample-org.json, Sandbox Bob):
// a locked bucket and a locked queue whose policies have three statements of which one locks, so
// Apply removes that one and keeps the rest (sandbox state checked); and a bucket the scan role
// cannot read, suspected by a role-mode scan, that Confirm with a Root Session reads and finds
// locked — through the runner like every root path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRootFlowEnv, createScanEnv } from '../../../src/flows/env';
import { confirmSuspected } from '../../../src/flows/confirmSuspected';
import { BUCKET_POLICY, QUEUE_POLICY, bucketTarget, type PolicyKind, type PolicyTarget } from '../../../src/flows/policyKinds';
import { scanForLockedPolicies } from '../../../src/flows/scan';
import { unlockPolicy, type Review, type UnlockPerson } from '../../../src/flows/unlock';
import { flowDeps, memoryAudit, quietProgress, sampleOrgSuite, scriptedPerson } from './sandboxFlows';

const DEMO_ACCOUNT = '340000000002';
const PAYMENTS = '320000000001';
const FLOW_LOGS = 'acme-sandbox-flow-logs';
const CONFIG = 'acme-sandbox-config';
const ALERTS = 'sandbox-alerts';

type Statement = { Sid?: string };
const sids = (policy: string | null | undefined) => (JSON.parse(policy ?? '{"Statement":[]}') as { Statement: Statement[] }).Statement.map((s) => s.Sid);

/** Answers Apply to the flow's own proposal, and keeps what the review was shown. */
function applier() {
  const shown: Array<{ current: string; proposed: string; summary: string }> = [];
  const { person: base } = scriptedPerson();
  const person: UnlockPerson = {
    ...base,
    pickTarget: async (targets) => targets[0].target,
    review: async (input): Promise<Review> => {
      shown.push(input);
      return { decide: async () => 'apply', proposedText: () => input.proposed, refused: () => undefined, dispose: async () => undefined };
    },
  };
  return { person, shown };
}

describe('the sample organization demonstrates "locking statement removed, everything else kept"', () => {
  const suite = sampleOrgSuite();

  const unlock = async (kind: PolicyKind, target: PolicyTarget) => {
    const deps = flowDeps(suite.aws, suite.index, memoryAudit().audit);
    const who = applier();
    const result = await unlockPolicy(createRootFlowEnv(deps), who.person, kind, { accountId: DEMO_ACCOUNT, target, region: suite.sb.region });
    return { result, shown: who.shown, findings: deps.findings };
  };

  it('bucket flow-logs: three statements, Apply removes DenyEveryone and keeps the two grants', async () => {
    const before = (await suite.control.account(DEMO_ACCOUNT)).buckets.find((b) => b.name === FLOW_LOGS)!.policy;
    assert.deepEqual(sids(before), ['AWSLogDeliveryWrite', 'SecurityToolingRead', 'DenyEveryone']);
    const target = bucketTarget(DEMO_ACCOUNT, FLOW_LOGS, suite.sb.region);
    const { result, shown, findings } = await unlock(BUCKET_POLICY, target);
    assert.equal(result.outcome, 'applied', 'Apply writes the edited policy, it does not delete it');
    assert.equal(shown[0].summary, '1 locking statement removed, everything else kept.');
    assert.deepEqual(sids(shown[0].proposed), ['AWSLogDeliveryWrite', 'SecurityToolingRead']);
    const after = (await suite.control.account(DEMO_ACCOUNT)).buckets.find((b) => b.name === FLOW_LOGS)!.policy;
    assert.deepEqual(sids(after), ['AWSLogDeliveryWrite', 'SecurityToolingRead'], 'the sandbox keeps the non-locking statements');
    assert.equal(findings.isFixed(target.arn), true, 'the tree shows it fixed this session');
  });

  it('queue sandbox-alerts: the same with SetQueueAttributes', async () => {
    const url = `${suite.sb.endpoint}/${DEMO_ACCOUNT}/${ALERTS}`;
    const target: PolicyTarget = { accountId: DEMO_ACCOUNT, name: ALERTS, arn: `arn:aws:sqs:us-east-1:${DEMO_ACCOUNT}:${ALERTS}`, region: 'us-east-1', url };
    const { result } = await unlock(QUEUE_POLICY, target);
    assert.equal(result.outcome, 'applied');
    const after = (await suite.control.account(DEMO_ACCOUNT)).queues.find((q) => q.name === ALERTS)!.policy;
    assert.deepEqual(sids(after), ['AlertsFromSns', 'SecurityToolingConsume']);
  });

  it('bucket config: suspected by the role-mode scan, locked after Confirm with a Root Session', async () => {
    const deps = flowDeps(suite.aws, suite.index, memoryAudit().audit);
    const network = suite.index.accounts.get(DEMO_ACCOUNT)!;
    await scanForLockedPolicies(createScanEnv(deps), scriptedPerson().person, quietProgress(), {
      accounts: [network], scope: 'Sandbox Bob', mode: 'role', roleName: 'OrganizationAccountAccessRole', regions: [], homeRegion: suite.sb.region, accountConcurrency: 1,
    });
    const verdictOf = () => deps.findings.get(DEMO_ACCOUNT)?.resources.find((r) => r.name === CONFIG)?.verdict;
    assert.equal(verdictOf(), 'suspected', 'the scan role is denied its read');
    await suite.control.clearRequests();
    const told = scriptedPerson();
    const result = await confirmSuspected(createRootFlowEnv(deps), told.person, BUCKET_POLICY, bucketTarget(DEMO_ACCOUNT, CONFIG, suite.sb.region));
    assert.equal(result.verdict, 'locked');
    assert.equal(verdictOf(), 'locked', 'the finding is resolved');
    assert.match(told.said.join('\n'), /Read with a root session: the bucket acme-sandbox-config \(account 3400-0000-0002\) is locked/);
    const calls = (await suite.control.requests()).filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session').map((r) => r.operation);
    assert.deepEqual(calls, ['AssumeRoot', 'GetBucketPolicy'], 'one root session, one read, nothing written');
  });

  it('a bucket only hidden from the scan role is confirmed fine', async () => {
    const deps = flowDeps(suite.aws, suite.index, memoryAudit().audit);
    const result = await confirmSuspected(createRootFlowEnv(deps), scriptedPerson().person, BUCKET_POLICY, bucketTarget(PAYMENTS, 'acme-payments-prod-audit', suite.sb.region));
    assert.equal(result.verdict, 'fine');
    assert.equal(deps.findings.get(PAYMENTS)?.resources.find((r) => r.name === 'acme-payments-prod-audit')?.verdict, 'fine');
  });
});
