// Organizations policies in the sandbox with the real SDK: policy types on the root, SCPs and RCPs,
// attachments with AWS's shapes, pages and errors, and their enforcement — SCPs on every request of
// a member account's principals (root sessions included), RCPs on member accounts' S3/SQS resources.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachPolicyCommand, CreatePolicyCommand, DescribePolicyCommand, DetachPolicyCommand, DisablePolicyTypeCommand,
  EnablePolicyTypeCommand, ListPoliciesCommand, ListPoliciesForTargetCommand, ListRootsCommand, ListTargetsForPolicyCommand,
  OrganizationsClient, UpdatePolicyCommand, type PolicyTargetSummary,
} from '@aws-sdk/client-organizations';
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, ListBucketsCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, clients, destroyAll, rejectsWith, SAMPLE, sampleSeed } from './helpers';

const INFRA_OU_NAME = 'Infrastructure';
const SCP = 'SERVICE_CONTROL_POLICY' as const;
const RCP = 'RESOURCE_CONTROL_POLICY' as const;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('sandbox Organizations policies', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let org: OrganizationsClient;
  let rootId: string;

  const policyId = async (name: string, Filter: typeof SCP | typeof RCP = SCP) =>
    (await org.send(new ListPoliciesCommand({ Filter }))).Policies!.find((p) => p.Name === name)!.Id!;
  const ouId = async (name: string) => (await control.state()).ous.find((o) => o.name === name)!.id;
  const allTargets = async (PolicyId: string, MaxResults?: number) => {
    const out: PolicyTargetSummary[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const r = await org.send(new ListTargetsForPolicyCommand({ PolicyId, NextToken, MaxResults }));
      out.push(...(r.Targets ?? []));
      NextToken = r.NextToken;
      pages++;
    } while (NextToken);
    return { targets: out, pages };
  };

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
    org = new OrganizationsClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: sandbox.management, maxAttempts: 1 });
  });
  beforeEach(async () => {
    await control.reset();
    rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  });
  after(async () => {
    org?.destroy();
    await sandbox?.close();
  });

  test('the sample organization: both types enabled on the root, FullAWSAccess on every target, the custom policies where the seed puts them', async () => {
    const roots = await org.send(new ListRootsCommand({}));
    assert.deepEqual(roots.Roots![0]!.PolicyTypes, [{ Type: SCP, Status: 'ENABLED' }, { Type: RCP, Status: 'ENABLED' }]);
    const scps = await org.send(new ListPoliciesCommand({ Filter: SCP }));
    const full = scps.Policies!.find((p) => p.Id === 'p-FullAWSAccess')!;
    assert.deepEqual(full, {
      Id: 'p-FullAWSAccess', Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
      Name: 'FullAWSAccess', Description: 'Allows access to every operation', Type: SCP, AwsManaged: true,
    });
    assert.deepEqual(scps.Policies!.map((p) => p.Name).sort(), ['FullAWSAccess', 'aws-guardrails-restrict-root-user', 'restrict-root-user-except-assumed-root']);
    const state = await control.state();
    const { targets, pages } = await allTargets('p-FullAWSAccess');
    assert.equal(targets.length, 1 + state.ous.length + state.accounts.length, 'the root, every OU, every account');
    assert.equal(pages, Math.ceil(targets.length / 20), 'pages of 20');
    assert.deepEqual({ ...targets[0], Arn: undefined }, { TargetId: rootId, Arn: undefined, Name: 'Root', Type: 'ROOT' });
    assert.equal(targets[0]!.Arn, `arn:aws:organizations::${SAMPLE.management}:root/${state.organization.id}/${rootId}`);
    assert.equal((await allTargets('p-FullAWSAccess', 3)).pages, Math.ceil(targets.length / 3));
    const infra = await ouId(INFRA_OU_NAME);
    const forInfra = await org.send(new ListPoliciesForTargetCommand({ TargetId: infra, Filter: SCP }));
    assert.deepEqual(forInfra.Policies!.map((p) => p.Name), ['FullAWSAccess', 'aws-guardrails-restrict-root-user']);
    const rcpFor = await org.send(new ListPoliciesForTargetCommand({ TargetId: SAMPLE.logArchive, Filter: RCP }));
    assert.deepEqual(rcpFor.Policies!.map((p) => p.Name), ['RCPFullAWSAccess', 'protect-org-trail-bucket-policy']);
    const described = await org.send(new DescribePolicyCommand({ PolicyId: await policyId('aws-guardrails-restrict-root-user') }));
    assert.match(described.Policy!.Content!, /GRRESTRICTROOTUSER/);
    assert.equal(described.Policy!.PolicySummary!.Type, SCP);
    assert.match(described.Policy!.PolicySummary!.Arn!, /^arn:aws:organizations::210987654321:policy\/o-acme7k2p9q4x\/service_control_policy\/p-[a-z0-9]{8}$/);
  });

  test('create, update, attach and detach, with the errors AWS gives', async () => {
    const content = doc({ Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' });
    const created = await org.send(new CreatePolicyCommand({ Name: 'NoDeletes', Description: 'd', Type: SCP, Content: content }));
    const id = created.Policy!.PolicySummary!.Id!;
    assert.match(id, /^p-[a-z0-9]{8}$/);
    assert.equal(created.Policy!.Content, content);
    assert.equal(created.Policy!.PolicySummary!.AwsManaged, false);
    await rejectsWith(org.send(new CreatePolicyCommand({ Name: 'NoDeletes', Description: 'd', Type: SCP, Content: content })), 'DuplicatePolicyException');
    await rejectsWith(org.send(new CreatePolicyCommand({ Name: 'Bad', Description: 'd', Type: SCP, Content: '{"Statement": "x"}' })), 'MalformedPolicyDocumentException');
    await rejectsWith(org.send(new CreatePolicyCommand({ Name: 'BadRcp', Description: 'd', Type: RCP, Content: doc({ Effect: 'Deny', Principal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' }) })), 'MalformedPolicyDocumentException');
    const sandboxOu = await ouId('Sandbox');
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: sandboxOu }));
    await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: sandboxOu })), 'DuplicatePolicyAttachmentException');
    await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: 'p-00000000', TargetId: sandboxOu })), 'PolicyNotFoundException');
    await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: '999999999999' })), 'TargetNotFoundException');
    await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: 'not-a-target' })), 'InvalidInputException');
    assert.deepEqual((await allTargets(id)).targets.map((t) => t.Name), ['Sandbox']);
    const updated = await org.send(new UpdatePolicyCommand({ PolicyId: id, Name: 'NoCredentialDeletes' }));
    assert.equal(updated.Policy!.PolicySummary!.Name, 'NoCredentialDeletes');
    assert.equal(updated.Policy!.Content, content);
    await rejectsWith(org.send(new UpdatePolicyCommand({ PolicyId: 'p-FullAWSAccess', Name: 'x' })), 'PolicyChangesInProgressException');
    await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: sandboxOu }));
    await rejectsWith(org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: sandboxOu })), 'PolicyNotAttachedException');
    await rejectsWith(org.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: SAMPLE.sandboxBob })), 'ConstraintViolationException');
    await rejectsWith(org.send(new DetachPolicyCommand({ PolicyId: 'p-RCPFullAWSAccess', TargetId: SAMPLE.sandboxBob })), 'ConstraintViolationException');
    await rejectsWith(org.send(new ListPoliciesCommand({ Filter: 'NOT_A_TYPE' as never })), 'InvalidInputException');
    await rejectsWith(org.send(new ListPoliciesCommand({ Filter: SCP, MaxResults: 21 })), 'InvalidInputException');
    const member = clients(sandbox, SAMPLE.memberUser);
    await rejectsWith(member.org.send(new CreatePolicyCommand({ Name: 'x', Description: 'd', Type: SCP, Content: content })), 'AccessDeniedException');
    destroyAll(member);
  });

  test('disabling a type detaches its policies and stops applying them; enabling it again attaches only the full-access policy', async () => {
    await rejectsWith(org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP })), 'PolicyTypeAlreadyEnabledException');
    await rejectsWith(org.send(new EnablePolicyTypeCommand({ RootId: 'r-zzzz', PolicyType: SCP })), 'RootNotFoundException');
    const off = await org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }));
    assert.deepEqual(off.Root!.PolicyTypes, [{ Type: RCP, Status: 'ENABLED' }]);
    await rejectsWith(org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP })), 'PolicyTypeNotEnabledException');
    const hub = clients(sandbox, await assumeRoot(sandbox, SAMPLE.network, 'S3UnlockBucketPolicy'));
    assert.ok((await hub.s3.send(new ListBucketsCommand({}))).Buckets, 'no SCP applies once the type is off');
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: SCP }));
    assert.equal((await allTargets(await policyId('aws-guardrails-restrict-root-user'))).targets.length, 0);
    assert.ok((await allTargets('p-FullAWSAccess')).targets.length > 10);
    const trail = await policyId('protect-org-trail-bucket-policy', RCP);
    await org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: RCP }));
    await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: trail, TargetId: rootId })), 'PolicyTypeNotEnabledException');
    destroyAll(hub);
  });

  test('SCPs apply to root sessions: without the exemption denied, with it allowed; the root user itself is denied either way', async () => {
    const hub = clients(sandbox, await assumeRoot(sandbox, SAMPLE.network, 'S3UnlockBucketPolicy'));
    const denied = await rejectsWith(hub.s3.send(new ListBucketsCommand({})), 'AccessDenied');
    assert.match(denied.message, /with an explicit deny in a service control policy: arn:aws:organizations::210987654321:policy\/o-acme7k2p9q4x\/service_control_policy\/p-/);
    assert.ok((await hub.sts.send(new GetCallerIdentityCommand({}))).Arn, 'GetCallerIdentity is never denied');
    const alice = clients(sandbox, await assumeRoot(sandbox, SAMPLE.sandboxAlice, 'IAMAuditRootUserCredentials'));
    assert.ok((await alice.iam.send(new GetAccountSummaryCommand({}))).SummaryMap, 'the exempt SCP lets root sessions through');
    const seed = sampleSeed();
    const bob = seed.ous!.find((o) => o.name === 'Sandbox')!.accounts!.find((a) => a.id === SAMPLE.sandboxBob)!;
    const rootKey = { accessKeyId: 'AKIABOBROOTKEY000001', secretAccessKey: 'bobRootSecretForSandboxTestsOnly/0000000' };
    bob.root = { accessKeys: [rootKey] };
    await control.seed(seed);
    const bobRoot = clients(sandbox, rootKey);
    await rejectsWith(bobRoot.iam.send(new GetAccountSummaryCommand({})), 'AccessDenied');
    for (const c of [hub, alice, bobRoot]) destroyAll(c);
  });

  test('an SCP level with no Allow denies everything below it; the management account is never bound', async () => {
    const infra = await ouId(INFRA_OU_NAME);
    const iamOnly = await org.send(new CreatePolicyCommand({ Name: 'IamOnly', Description: 'd', Type: SCP, Content: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }));
    await org.send(new UpdatePolicyCommand({ PolicyId: await policyId('aws-guardrails-restrict-root-user'), Content: doc({ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }) }));
    await org.send(new AttachPolicyCommand({ PolicyId: iamOnly.Policy!.PolicySummary!.Id!, TargetId: infra }));
    await org.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: infra }));
    const hub = clients(sandbox, await assumeRoot(sandbox, SAMPLE.network, 'S3UnlockBucketPolicy'));
    const denied = await rejectsWith(hub.s3.send(new ListBucketsCommand({})), 'AccessDenied');
    assert.match(denied.message, /because no service control policy allows the s3:ListAllMyBuckets action/);
    const audit = clients(sandbox, await assumeRoot(sandbox, SAMPLE.network, 'IAMAuditRootUserCredentials'));
    assert.ok((await audit.iam.send(new GetAccountSummaryCommand({}))).SummaryMap);
    const mgmt = clients(sandbox, sandbox.management);
    await org.send(new AttachPolicyCommand({ PolicyId: await policyId('aws-guardrails-restrict-root-user'), TargetId: SAMPLE.management }));
    assert.ok((await mgmt.s3.send(new ListBucketsCommand({}))).Buckets);
    for (const c of [hub, audit, mgmt]) destroyAll(c);
  });

  test("RCPs bound a member account's S3 resources for every principal, the bucket owner's root session included", async () => {
    const lake = clients(sandbox, await assumeRoot(sandbox, SAMPLE.logArchive, 'S3UnlockBucketPolicy'));
    const policy = (await lake.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-org-cloudtrail' }))).Policy!;
    const denied = await rejectsWith(lake.s3.send(new PutBucketPolicyCommand({ Bucket: 'acme-org-cloudtrail', Policy: policy })), 'AccessDenied');
    assert.match(denied.message, /with an explicit deny in a resource control policy/);
    const neighbour = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${SAMPLE.logArchive}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-org-config-history/*' });
    await lake.s3.send(new PutBucketPolicyCommand({ Bucket: 'acme-org-config-history', Policy: neighbour }));
    destroyAll(lake);
  });
});
