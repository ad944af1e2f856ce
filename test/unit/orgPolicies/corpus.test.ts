// SCP and RCP cases, AWS's published examples among them, each with the verdict for every root task
// of a root session in a member account. Order of the verdict lists: S3 unlock, SQS unlock, audit,
// delete credentials, password recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrgGuard, explainGuard, lineageOf, type GuardRequest } from '../../../src/core/orgPolicies';
import type { GuardVerdict, OrgPolicy, OrgPolicySnapshot, OrgPolicyType, PolicyTarget } from '../../../src/core/orgPolicies';
import type { RootTaskName } from '../../../src/core/tasks';
import { sampleIndex } from '../flows/orgFixture';

const TASKS: RootTaskName[] = ['S3UnlockBucketPolicy', 'SQSUnlockQueuePolicy', 'IAMAuditRootUserCredentials', 'IAMDeleteRootUserCredentials', 'IAMCreateRootUserPassword'];
const ORG = 'o-abcdefghij';
const PROD = '222222222222';
const index = sampleIndex();
const ROOT: PolicyTarget = { id: 'r-root', name: 'Root', type: 'ROOT' };
const OU: PolicyTarget = { id: 'ou-prod', name: 'Prod', type: 'ORGANIZATIONAL_UNIT' };
const ACCOUNT: PolicyTarget = { id: PROD, name: 'prod', type: 'ACCOUNT' };
const EVERYWHERE = [ROOT, OU, ACCOUNT, { id: '333333333333', name: 'dev', type: 'ACCOUNT' as const }];

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const FULL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const RCP_FULL = doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
const fullAccess = (targets = EVERYWHERE): OrgPolicy => ({ id: 'p-FullAWSAccess', name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', awsManaged: true, content: FULL, targets });
const rcpFullAccess: OrgPolicy = { id: 'p-RCPFullAWSAccess', name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', awsManaged: true, content: RCP_FULL, targets: EVERYWHERE };
let n = 0;
const policy = (name: string, content: string, targets: PolicyTarget[], type: OrgPolicyType = 'SERVICE_CONTROL_POLICY'): OrgPolicy =>
  ({ id: `p-${(++n).toString().padStart(8, '0')}`, name, type, awsManaged: false, content, targets });

function snapshot(policies: OrgPolicy[], enabled: Partial<OrgPolicySnapshot['enabled']> = {}): OrgPolicySnapshot {
  return {
    version: 1, organizationId: ORG, policies, readAt: '2026-12-06T00:00:00Z', calls: 0,
    enabled: { SERVICE_CONTROL_POLICY: true, RESOURCE_CONTROL_POLICY: false, ...enabled },
  };
}

function verdicts(snap: OrgPolicySnapshot, req: Partial<GuardRequest> = {}): GuardVerdict[] {
  const guard = new OrgGuard(snap);
  const accountId = req.accountId ?? PROD;
  return TASKS.map((task) => guard.evaluate({ accountId, task, ...req }, lineageOf(index, accountId)!, index.organization.managementAccountId).verdict);
}
const guardFor = (snap: OrgPolicySnapshot, task: RootTaskName, req: Partial<GuardRequest> = {}) =>
  new OrgGuard(snap).evaluate({ accountId: PROD, task, ...req }, lineageOf(index, PROD)!, index.organization.managementAccountId);

const ALL = (v: GuardVerdict): GuardVerdict[] => TASKS.map(() => v);

// Control Tower's GRRESTRICTROOTUSER control and AWS's SCP examples ("Prevent root user actions"):
// Deny * to arn:aws:iam::*:root. It also denies AssumeRoot sessions (their aws:PrincipalArn is the root's).
const RESTRICT_ROOT = doc({ Sid: 'GRRESTRICTROOTUSER', Effect: 'Deny', Action: '*', Resource: ['*'], Condition: { StringLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:root'] } } });
// aws-samples/service-control-policy-examples, "Prevent root credentials management in member
// accounts in AWS Organizations": the same deny, exempting root sessions with Null aws:AssumedRoot.
const RESTRICT_ROOT_EXEMPT = doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:root'] }, Null: { 'aws:AssumedRoot': 'true' } } });

test('FullAWSAccess everywhere and nothing else: every task allowed', () => {
  assert.deepEqual(verdicts(snapshot([fullAccess()])), ALL('allowed'));
});

test('GRRESTRICTROOTUSER at the root blocks every task, naming the statement, where it is attached and the exemption to add', () => {
  const restrict = policy('aws-guardrails-restrict-root', RESTRICT_ROOT, [ROOT]);
  const snap = snapshot([fullAccess(), restrict]);
  assert.deepEqual(verdicts(snap), ALL('blocked'));
  const g = guardFor(snap, 'S3UnlockBucketPolicy', { resourceArn: 'arn:aws:s3:::b1' });
  assert.equal(g.findings.length, 1);
  const f = g.findings[0]!;
  assert.deepEqual(f.policy, { id: restrict.id, name: 'aws-guardrails-restrict-root' });
  assert.equal(f.attachedTo.id, 'r-root');
  assert.equal(f.statement, 'Statement[0] ("GRRESTRICTROOTUSER")');
  assert.deepEqual(f.actions, ['s3:ListAllMyBuckets', 's3:GetBucketPolicy', 's3:PutBucketPolicy']);
  assert.match(f.fix, /"Null": \{"aws:AssumedRoot": "true"\}/);
  const message = explainGuard(g, PROD, 'S3 unlock');
  assert.match(message, /block S3 unlock in account 2222-2222-2222/);
  assert.match(message, /aws-guardrails-restrict-root/);
  assert.match(message, /the organization root \(r-root\)/);
});

test("AWS's sample with the aws:AssumedRoot exemption lets every task through; without SCPs enabled nothing applies", () => {
  assert.deepEqual(verdicts(snapshot([fullAccess(), policy('exempt', RESTRICT_ROOT_EXEMPT, [OU])])), ALL('allowed'));
  assert.deepEqual(verdicts(snapshot([policy('restrict', RESTRICT_ROOT, [ROOT])], { SERVICE_CONTROL_POLICY: false })), ALL('allowed'));
});

test('the management account is never subject to SCPs', () => {
  const snap = snapshot([fullAccess(), policy('restrict', RESTRICT_ROOT, [ROOT])]);
  assert.deepEqual(verdicts(snap, { accountId: '111111111111' }), ALL('allowed'));
  assert.deepEqual(verdicts(snap, { accountId: '333333333333' }), ALL('blocked'), 'accounts directly under the root too');
});

test('FullAWSAccess detached from an OU and not replaced: nothing is allowed below it', () => {
  const g = guardFor(snapshot([fullAccess([ROOT, ACCOUNT])]), 'IAMAuditRootUserCredentials');
  assert.equal(g.verdict, 'blocked');
  assert.equal(g.findings[0]!.policy, undefined);
  assert.equal(g.findings[0]!.attachedTo.id, 'ou-prod');
  assert.match(g.findings[0]!.why, /No SCP attached to OU "Prod" \(ou-prod\) allows/);
  assert.match(g.findings[0]!.fix, /Attach FullAWSAccess/);
});

test('an allow list replacing FullAWSAccess on the OU: what it omits is blocked', () => {
  const allowList = policy('AllowS3AndIam', doc({ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' }), [OU]);
  assert.deepEqual(verdicts(snapshot([fullAccess([ROOT, ACCOUNT]), allowList])), ['allowed', 'blocked', 'allowed', 'allowed', 'allowed']);
});

test('a deny of credential deletion blocks only the delete task', () => {
  const noDelete = policy('DenyCredentialDeletion', doc({ Effect: 'Deny', Action: ['iam:Delete*', 'iam:DeactivateMFADevice'], Resource: '*' }), [ACCOUNT]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), noDelete])), ['allowed', 'allowed', 'allowed', 'blocked', 'allowed']);
});

// AWS SCP examples, "Deny access to AWS based on the requested AWS Region": NotAction exempts global
// services (IAM among them); the rest depends on the region the request goes to.
const REGION_DENY = doc({
  Sid: 'DenyAllOutsideEU', Effect: 'Deny',
  NotAction: ['a4b:*', 'budgets:*', 'ce:*', 'cloudfront:*', 'iam:*', 'organizations:*', 'route53:*', 'sts:*', 'support:*'],
  Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-central-1', 'eu-west-1'] } },
});

test("AWS's region-restriction example: IAM tasks pass, S3/SQS depend on the region", () => {
  const snap = snapshot([fullAccess(), policy('DenyAllOutsideEU', REGION_DENY, [ROOT])]);
  assert.deepEqual(verdicts(snap), ['mayBeBlocked', 'mayBeBlocked', 'allowed', 'allowed', 'allowed'], 'region unknown');
  assert.deepEqual(verdicts(snap, { region: 'us-east-1' }), ['blocked', 'blocked', 'allowed', 'allowed', 'allowed']);
  assert.deepEqual(verdicts(snap, { region: 'eu-west-1' }), ALL('allowed'));
  const may = guardFor(snap, 'S3UnlockBucketPolicy');
  assert.match(may.findings[0]!.why, /may deny .*StringNotEquals aws:RequestedRegion/);
});

test('conditions the evaluator cannot decide give "may be blocked", never "allowed"', () => {
  const ip = policy('DenyOutsideCorp', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }), [ROOT]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), ip])), ALL('mayBeBlocked'));
  const odd = policy('Odd', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEqualsSomehow: { 'aws:PrincipalArn': 'x' } } }), [ROOT]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), odd])), ALL('mayBeBlocked'));
  const broken = policy('Broken', '{"Statement": [', [OU]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), broken])), ALL('mayBeBlocked'));
  const tagged = policy('DenyUntagged', doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'sec' } } }), [OU]);
  assert.deepEqual(verdicts(snapshot([fullAccess([ROOT, ACCOUNT]), tagged])), ALL('mayBeBlocked'), 'an Allow that may not apply');
});

test('a deny aimed at root sessions (Bool aws:AssumedRoot) blocks them and says so in the fix', () => {
  const g = guardFor(snapshot([fullAccess(), policy('NoRootSessions', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:AssumedRoot': 'true' } } }), [OU])]), 'IAMCreateRootUserPassword');
  assert.equal(g.verdict, 'blocked');
  assert.match(g.findings[0]!.fix, /tests aws:AssumedRoot itself/);
});

test('a deny for principals outside the organization does not touch root sessions of its accounts', () => {
  const perimeter = policy('OrgOnly', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': ORG } } }), [ROOT]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), perimeter])), ALL('allowed'));
  const wrongOrg = policy('OtherOrgOnly', doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } } }), [ROOT]);
  assert.deepEqual(verdicts(snapshot([fullAccess(), wrongOrg])), ALL('blocked'));
});

// RCPs: only resources of S3, STS, KMS, SQS and Secrets Manager; RCPFullAWSAccess everywhere.
const RCP_ROOT_BUCKET = doc({
  Sid: 'ProtectCuratedBucketPolicy', Effect: 'Deny', Principal: '*', Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
  Resource: 'arn:aws:s3:::curated', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
});

test('an RCP on one bucket blocks the S3 unlock of that bucket only; IAM tasks are not S3/SQS resources', () => {
  const rcp = policy('ProtectCurated', RCP_ROOT_BUCKET, [ACCOUNT], 'RESOURCE_CONTROL_POLICY');
  const snap = snapshot([fullAccess(), rcpFullAccess, rcp], { RESOURCE_CONTROL_POLICY: true });
  assert.deepEqual(verdicts(snap, { resourceArn: 'arn:aws:s3:::curated' }), ['blocked', 'allowed', 'allowed', 'allowed', 'allowed']);
  assert.deepEqual(verdicts(snap, { resourceArn: 'arn:aws:s3:::raw' }), ALL('allowed'));
  assert.deepEqual(verdicts(snap), ['mayBeBlocked', 'allowed', 'allowed', 'allowed', 'allowed'], 'before a bucket is chosen');
  const g = guardFor(snap, 'S3UnlockBucketPolicy', { resourceArn: 'arn:aws:s3:::curated' });
  assert.equal(g.findings[0]!.policyType, 'RESOURCE_CONTROL_POLICY');
  assert.deepEqual(g.findings[0]!.actions, ['s3:PutBucketPolicy']);
  assert.deepEqual(verdicts(snapshot([fullAccess(), rcp], { RESOURCE_CONTROL_POLICY: false }), { resourceArn: 'arn:aws:s3:::curated' }), ALL('allowed'), 'RCPs not enabled');
});

// AWS RCP examples, "Enforce secure transport" and the data-perimeter "identity perimeter" RCP.
test("AWS's RCP examples: secure transport and the organization's identity perimeter let root sessions through", () => {
  const secure = policy('EnforceSecureTransport', doc({
    Sid: 'EnforceSecureTransport', Effect: 'Deny', Principal: '*', Action: ['sts:*', 's3:*', 'sqs:*', 'secretsmanager:*', 'kms:*'],
    Resource: '*', Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  }), [ROOT], 'RESOURCE_CONTROL_POLICY');
  const perimeter = policy('IdentityPerimeter', doc({
    Sid: 'EnforceOrgIdentities', Effect: 'Deny', Principal: '*', Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
    Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  }), [ROOT], 'RESOURCE_CONTROL_POLICY');
  const snap = snapshot([fullAccess(), rcpFullAccess, secure, perimeter], { RESOURCE_CONTROL_POLICY: true });
  assert.deepEqual(verdicts(snap, { resourceArn: 'arn:aws:sqs:us-east-1:222222222222:q1' }), ALL('allowed'));
});
