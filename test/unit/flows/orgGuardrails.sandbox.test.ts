// The organization's SCPs and RCPs before AssumeRoot, through the unlock flow against the sample
// organization (test/sandbox/seeds/sample-org.json): Infrastructure sits under a Control Tower-style
// root deny without the aws:AssumedRoot exemption, Sandbox under AWS's sample with it, and an RCP
// guards the organization trail bucket's policy in Log Archive. What reached AWS is read from the sandbox's log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AttachPolicyCommand, CreatePolicyCommand, DescribePolicyCommand, ListPoliciesCommand, UpdatePolicyCommand } from '@aws-sdk/client-organizations';
import { isUserError } from '../../../src/core/errors';
import type { OrgPolicySnapshot } from '../../../src/core/orgPolicies';
import { createRootFlowEnv } from '../../../src/flows/env';
import { BUCKET_POLICY, type PolicyTarget } from '../../../src/flows/policyKinds';
import { unlockPolicy, type UnlockPerson } from '../../../src/flows/unlock';
import { flowDeps, memoryAudit, sampleOrgSuite } from './sandboxFlows';

const NETWORK_HUB = '310000000003';
const FLOW_LOGS: PolicyTarget = { accountId: NETWORK_HUB, name: 'acme-network-flow-logs', arn: 'arn:aws:s3:::acme-network-flow-logs', region: 'us-east-1' };
const LOG_ARCHIVE = '310000000002';
const TRAIL: PolicyTarget = { accountId: LOG_ARCHIVE, name: 'acme-org-cloudtrail', arn: 'arn:aws:s3:::acme-org-cloudtrail', region: 'us-east-1' };
const PAYMENTS_DEV = '330000000001';
const SCRATCH: PolicyTarget = { accountId: PAYMENTS_DEV, name: 'acme-payments-dev-scratch', arn: 'arn:aws:s3:::acme-payments-dev-scratch', region: 'us-east-1' };
const DENY_ALL = (arn: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`] }] });

const person: UnlockPerson = {
  justify: async () => ({ justification: 'flow logs bucket locked by a bad deploy', ticket: 'INC-13' }),
  tell: () => undefined,
  warn: () => undefined,
  pickTarget: async (targets) => targets[0]!.target,
  review: async (input) => ({ decide: async () => 'apply', proposedText: () => input.proposed, refused: () => undefined, dispose: async () => undefined }),
};

describe('organization guardrails before AssumeRoot (unlock flow, sandbox)', () => {
  const suite = sampleOrgSuite();
  /** The snapshot as the extension caches it: read once, re-read on refresh. */
  let snapshot: Promise<OrgPolicySnapshot> | undefined;
  const refresh = () => (snapshot = suite.aws.ops.readOrgPolicies(suite.index.organization.id));

  const unlock = async (target: PolicyTarget) => {
    await suite.control.clearRequests();
    const audit = memoryAudit();
    const deps = flowDeps(suite.aws, suite.index, audit.audit, { orgPolicies: () => (snapshot ??= refresh()) });
    const outcome = await unlockPolicy(createRootFlowEnv(deps), person, BUCKET_POLICY, { accountId: target.accountId, target, region: 'us-east-1' })
      .then((value) => ({ value }), (error: unknown) => ({ error }));
    const calls = (await suite.control.requests()).filter((r) => r.service !== 'organizations').map((r) => r.operation);
    return { ...outcome, events: audit.events, calls };
  };
  const messageOf = (r: { error?: unknown }) => (isUserError(r.error) ? r.error.message : String(r.error));

  it('a blocked account: the unlock is refused before any AssumeRoot, naming the SCP, where it is attached and the fix', async () => {
    snapshot = undefined;
    const r = await unlock(FLOW_LOGS);
    assert.ok('error' in r, 'the unlock was not refused');
    const message = messageOf(r);
    assert.match(message, /block S3 unlock in account 3100-0000-0003/);
    assert.match(message, /SCP "aws-guardrails-restrict-root-user" \(p-[a-z0-9]+\), attached to OU "Infrastructure"/);
    assert.match(message, /Statement\[0\] \("GRRESTRICTROOTUSER"\)/);
    assert.match(message, /"Null": \{"aws:AssumedRoot": "true"\}/);
    assert.deepEqual(r.calls, [], 'no AssumeRoot, no call at all in the member account');
    assert.deepEqual(r.events.map((e) => e.kind), ['guardrail.refused'], 'refused before any intent');
    assert.equal(r.events[0]!.detail?.rule, 'organizationPolicy');
    assert.match(String(r.events[0]!.detail?.policies), /aws-guardrails-restrict-root-user/);
  });

  it('the sandbox enforces the same SCP on a root session that skips the check (AssumeRoot, then AccessDenied)', async () => {
    const r = await (async () => {
      await suite.control.clearRequests();
      const audit = memoryAudit();
      const deps = flowDeps(suite.aws, suite.index, audit.audit, { orgPolicies: async () => undefined });
      return unlockPolicy(createRootFlowEnv(deps), person, BUCKET_POLICY, { accountId: NETWORK_HUB, target: FLOW_LOGS, region: 'us-east-1' })
        .then(() => assert.fail('the SCP did not deny'), (error: unknown) => error);
    })();
    assert.match(String((r as Error).message), /explicit deny in a service control policy/);
    assert.deepEqual((await suite.control.requests({ operation: 'AssumeRoot' })).length, 1);
  });

  it('after the exemption is added in the organization and the policies are re-read, the same unlock succeeds', async () => {
    await refresh();
    const org = suite.aws.management.organizations;
    const listed = await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
    const restrict = listed.Policies!.find((p) => p.Name === 'aws-guardrails-restrict-root-user')!;
    const doc = JSON.parse((await org.send(new DescribePolicyCommand({ PolicyId: restrict.Id! }))).Policy!.Content!);
    doc.Statement[0].Condition.Null = { 'aws:AssumedRoot': 'true' };
    await org.send(new UpdatePolicyCommand({ PolicyId: restrict.Id!, Content: JSON.stringify(doc) }));

    const stale = await unlock(FLOW_LOGS);
    assert.ok('error' in stale, 'the cached snapshot still says blocked until the organization is refreshed');
    refresh();
    const r = await unlock(FLOW_LOGS);
    assert.ok('value' in r, messageOf(r as { error?: unknown }));
    assert.equal(r.value.outcome, 'deleted');
    assert.deepEqual(r.calls, ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicy']);
  });

  it('an RCP on one bucket refuses that bucket, not its neighbours', async () => {
    snapshot = undefined;
    await suite.control.setBucketPolicy(LOG_ARCHIVE, TRAIL.name, DENY_ALL(TRAIL.arn));
    const r = await unlock(TRAIL);
    assert.ok('error' in r);
    assert.match(messageOf(r), /RCP "protect-org-trail-bucket-policy" \(p-[a-z0-9]+\), attached to account "Log Archive"/);
    assert.deepEqual(r.calls, []);
    const config: PolicyTarget = { ...TRAIL, name: 'acme-org-config-history', arn: 'arn:aws:s3:::acme-org-config-history' };
    await suite.control.setBucketPolicy(LOG_ARCHIVE, config.name, DENY_ALL(config.arn));
    const ok = await unlock(config);
    assert.ok('value' in ok, messageOf(ok as { error?: unknown }));
  });

  it('a condition the check cannot decide lets AssumeRoot go ahead; the AccessDenied that follows names the likely policy', async () => {
    snapshot = undefined;
    const org = suite.aws.management.organizations;
    const created = await org.send(new CreatePolicyCommand({
      Name: 'DenyOutsideCorporateNetwork', Description: 'only from the office', Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyOutsideCorp', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }] }),
    }));
    const dev = suite.index.accounts.get(PAYMENTS_DEV)!.parentId;
    await org.send(new AttachPolicyCommand({ PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: dev }));
    await suite.control.setBucketPolicy(PAYMENTS_DEV, SCRATCH.name, DENY_ALL(SCRATCH.arn));
    const r = await unlock(SCRATCH);
    assert.ok('error' in r);
    assert.deepEqual(r.calls.slice(0, 2), ['AssumeRoot', 'GetBucketPolicy'], 'only "may be blocked": the session was taken');
    const message = messageOf(r);
    assert.match(message, /Access denied for GetBucketPolicy/);
    assert.match(message, /may deny this to root sessions: SCP "DenyOutsideCorporateNetwork"/);
    assert.match(message, /NotIpAddress aws:SourceIp/);
  });
});
