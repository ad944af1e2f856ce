// Real lockout shapes (and their legitimate look-alikes) for S3 bucket and SQS queue policies, with
// where they come from. Owner accounts follow the examples' own account ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePolicy, type PolicyResource } from '../../../src/core/policy';

const OWNER = '111122223333';
/** `null`: the owner account is not known (bucket ARNs do not carry it). */
const bucket = (accountId: string | null = OWNER, organizationId?: string): PolicyResource =>
  ({ kind: 's3', arn: 'arn:aws:s3:::awsexamplebucket1', accountId: accountId ?? undefined, organizationId });
const queue = (account = '444455556666', organizationId?: string): PolicyResource =>
  ({ kind: 'sqs', arn: `arn:aws:sqs:us-east-2:${account}:queue1`, organizationId });
const B = ['arn:aws:s3:::awsexamplebucket1', 'arn:aws:s3:::awsexamplebucket1/*'];
const Q = 'arn:aws:sqs:us-east-2:444455556666:queue1';
/** A deny-everyone statement on the bucket; `undefined` in `extra` removes an element. */
const deny = (extra: object) => Object.fromEntries(Object.entries({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: B, ...extra }).filter(([, v]) => v !== undefined));
const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

interface Expect { verdict: string; offending?: number[]; blocks?: boolean[]; locksManagement?: boolean }
function check(doc: unknown, resource: PolicyResource, want: Expect): void {
  const a = analyzePolicy(doc, resource);
  assert.equal(a.verdict, want.verdict, `${a.reasons.join(' ')} ${a.offending.map((o) => o.why).join(' ')} ${a.problems.join(' ')}`);
  assert.deepEqual(a.offending.map((o) => o.index), want.offending ?? []);
  if (want.blocks) assert.deepEqual(a.offending.map((o) => o.blocksPolicyManagement), want.blocks);
  if (want.locksManagement !== undefined) assert.equal(a.locksPolicyManagement, want.locksManagement);
  if (want.verdict === 'fine') assert.equal(a.fix, undefined);
}

// IAM User Guide, "Perform a privileged task on an AWS Organizations member account" (id_root-user-privileged-task):
// the S3UnlockBucketPolicy task exists to remove "a misconfigured bucket policy that denies all principals".
test('S3: a bucket policy that denies all principals everything is locked', () => {
  const doc = policy(
    { Sid: 'AllowReads', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:GetObject', Resource: B[1] },
    deny({ Sid: 'DenyAll' }),
  );
  check(doc, bucket(), { verdict: 'locked', offending: [1], blocks: [true], locksManagement: true });
  check(policy(deny({ Principal: { AWS: '*' }, Action: '*' })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Principal: { AWS: ['*'] }, NotAction: ['s3:GetObject'], Action: undefined, Resource: '*' })), bucket(), { verdict: 'locked', offending: [0] });
  // The same text as AWS returns it from GetBucketPolicy (a string) gives the same verdict.
  check(JSON.stringify(doc), bucket(), { verdict: 'locked', offending: [1] });
});

// Amazon S3 User Guide, "Controlling access from VPC endpoints with bucket policies" (example-bucket-policies-vpc-endpoint):
// "This policy disables console access to the specified bucket"; Knowledge Center s3-regain-access covers the lockout.
test('S3: access only through a VPC endpoint or VPC is suspected (console and CLI outside it are denied)', () => {
  const vpce = { Version: '2012-10-17', Id: 'Policy1415115909152', Statement: [{ Sid: 'Access-to-specific-VPCE-only', Principal: '*', Action: 's3:*', Effect: 'Deny', Resource: B, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }] };
  check(vpce, bucket(), { verdict: 'suspected', offending: [0], blocks: [true], locksManagement: false });
  const vpc = { ...vpce, Statement: [{ ...vpce.Statement[0], Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-111bbb22' } } }] };
  check(vpc, bucket(), { verdict: 'suspected', offending: [0] });
  // Deny only what arrives through the endpoint: administrators elsewhere are unaffected.
  check(policy(deny({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } })), bucket(), { verdict: 'fine' });
});

// Amazon S3 User Guide bucket policy examples, "Limiting access to specific IP addresses" ("Otherwise, you will lose the
// ability to access your bucket"); the shape behind https://groups.google.com/g/hic-pro/c/efQDp0wmrtk ("I accidentally set
// bucket policies that explicitly deny access to any requests outside the allowed IP addresses … completely locked out").
test('S3: deny unless from an IP range is suspected; deny from a range is fine', () => {
  const ipAllow = { Version: '2012-10-17', Id: 'S3PolicyId1', Statement: [{ Sid: 'IPAllow', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: B, Condition: { NotIpAddress: { 'aws:SourceIp': '54.240.143.0/24' } } }] };
  check(ipAllow, bucket(), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8::/32'] } } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })), bucket(), { verdict: 'suspected', offending: [0] });
});

// Amazon S3 User Guide bucket policy examples, "Adding a bucket policy to require MFA" (note the JSON boolean `true`),
// and the HTTPS-only policy of the S3 security best practices ("aws:SecureTransport": "false").
test('S3: MFA- and HTTPS-only guards are fine; denying HTTPS itself is suspected', () => {
  const mfa = { Version: '2012-10-17', Id: '123', Statement: [{ Sid: '', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::awsexamplebucket1/taxdocuments/*', Condition: { Null: { 'aws:MultiFactorAuthAge': true } } }] };
  check(mfa, bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { Null: { 'aws:MultiFactorAuthAge': true } } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), bucket(), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Condition: { Bool: { 'aws:SecureTransport': ['true', 'false'] } } })), bucket(), { verdict: 'locked', offending: [0] });
});

// Knowledge Center "explicit-deny-principal-elements-s3": restrict a bucket to one role with StringNotLike aws:userid;
// "The root account is included to prevent lockout". Without the role id only root is exempt: every user and role is locked out.
test('S3: restricting to a role through aws:userid is fine; exempting only the account id locks', () => {
  const owner = '444455556666';
  const restrict = (ids: string[]) => policy(
    { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/s3-access-role'] }, Action: ['s3:ListBucket'], Resource: B[0] },
    deny({ Condition: { StringNotLike: { 'aws:userid': ids } } }),
  );
  check(restrict(['AROAID2GEXAMPLEROLEID:*', owner]), bucket(owner), { verdict: 'fine' });
  check(restrict(['AROAID2GEXAMPLEROLEID:*']), bucket(owner), { verdict: 'fine' });
  check(restrict([owner]), bucket(owner), { verdict: 'locked', offending: [1] });
});

// IAM User Guide, "AWS JSON policy elements: NotPrincipal": list the account ARN with the user or role, otherwise the
// policy "might deny access to the entire account"; a deleted role is replaced by its unique id (IAM User Guide, Principal
// element: "the ARN transforms to the role's unique principal ID"), so a NotPrincipal naming it exempts nobody.
test('S3: NotPrincipal with Deny: exempting an owner user or role keeps access only together with the account ARN', () => {
  const bob = policy({ Effect: 'Deny', NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/Bob', 'arn:aws:iam::444455556666:root'] }, Action: 's3:*', Resource: B });
  check(bob, bucket('444455556666'), { verdict: 'fine' });
  check(bob, bucket(OWNER), { verdict: 'locked', offending: [0] });
  check(bob, bucket(null), { verdict: 'suspected', offending: [0] });
  const bobOnly = policy({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:user/Bob' }, Action: 's3:*', Resource: B });
  check(bobOnly, bucket('444455556666'), { verdict: 'suspected', offending: [0] });
  const audit = policy({ Effect: 'Deny', NotPrincipal: { AWS: [
    'arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app',
    'arn:aws:iam::444455556666:role/cross-account-read-only-role', 'arn:aws:iam::444455556666:root'] }, Action: 's3:*', Resource: B });
  check(audit, bucket('444455556666'), { verdict: 'fine' });
  const deleted = policy({ Effect: 'Deny', NotPrincipal: { AWS: ['AROAEXAMPLEDELETEDROLE1', `arn:aws:iam::${OWNER}:root`] }, Action: 's3:*', Resource: B });
  check(deleted, bucket(), { verdict: 'locked', offending: [0] });
  check(policy({ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:*', Resource: B }), bucket(), { verdict: 'locked', offending: [0] });
});

// Amazon S3 User Guide, "Requiring SSE-KMS for all objects written to a bucket" denies s3:PutObject without the header.
// Widened to s3:*, the header is absent from every bucket-policy call, so StringNotEquals is always true: locked.
test('S3: an encryption guard widened from s3:PutObject to s3:* locks the policy', () => {
  const guard = (Action: string, Resource: string | string[]) => policy({ Sid: 'DenyUnencrypted', Effect: 'Deny', Principal: '*', Action, Resource, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } });
  check(guard('s3:PutObject', B[1]), bucket(), { verdict: 'fine' });
  check(guard('s3:*', B), bucket(), { verdict: 'locked', offending: [0], blocks: [true] });
  // On objects only, the header may be present (uploads), so the data lock is merely suspected.
  check(guard('s3:*', B[1]), bucket(), { verdict: 'suspected', offending: [0], blocks: [false] });
});

// aws-samples/data-perimeter-policy-examples (resource-based policies, "EnforceIdentityPerimeter"): deny unless the caller
// is in my organization. Fine when it names the owner's organization; a wrong id (or account) locks everyone out.
test('S3: identity perimeter guards depend on naming the right organization or account', () => {
  const perimeter = (org: string) => policy(deny({ Sid: 'EnforceIdentityPerimeter', Condition: {
    StringNotEqualsIfExists: { 'aws:PrincipalOrgID': org }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } } }));
  check(perimeter('o-abcdef1234'), bucket(OWNER, 'o-abcdef1234'), { verdict: 'fine' });
  check(perimeter('o-abcdef1234'), bucket(OWNER), { verdict: 'fine' });
  check(perimeter('o-typo000000'), bucket(OWNER, 'o-abcdef1234'), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': OWNER } } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': '999988887777' } } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { StringNotEquals: { 'aws:PrincipalAccount': '999988887777' } } })), bucket(null), { verdict: 'suspected', offending: [0] });
});

// IAM User Guide, NotPrincipal page: AWS recommends aws:PrincipalArn with ARN operators instead of NotPrincipal.
test('S3: aws:PrincipalArn exemptions: an owner role frees the statement, the root ARN alone does not', () => {
  const exempt = (arns: string[]) => policy(deny({ Condition: { ArnNotLike: { 'aws:PrincipalArn': arns } } }));
  check(exempt([`arn:aws:iam::${OWNER}:role/Admin*`]), bucket(), { verdict: 'fine' });
  check(exempt([`arn:aws:iam::${OWNER}:root`]), bucket(), { verdict: 'locked', offending: [0] });
  check(exempt(['arn:aws:iam::999988887777:role/Admin']), bucket(), { verdict: 'locked', offending: [0] });
  check(exempt(['arn:aws:iam::*:role/BreakGlass']), bucket(null), { verdict: 'fine' });
  check(exempt(['arn:aws:iam::999988887777:role/Admin']), bucket(null), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Condition: { StringNotEquals: { 'aws:PrincipalType': 'Account' } } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:*` } } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OWNER}:role/Intern*` } } })), bucket(), { verdict: 'fine' });
});

// CloudFront origin access control grants s3:GetObject with StringEquals AWS:SourceArn (CloudFront Developer Guide);
// written as a Deny with StringNotEquals it also catches every administrator: aws:SourceArn is absent from their calls.
test('S3: a service-source guard written as a Deny on s3:* locks everyone out', () => {
  const dist = 'arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE';
  check(policy(deny({ Condition: { StringNotEquals: { 'AWS:SourceArn': dist } } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { StringNotEqualsIfExists: { 'aws:SourceArn': dist } } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Condition: { StringEquals: { 'aws:SourceArn': dist } } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Condition: { Null: { 'aws:SourceArn': 'true' } } })), bucket(), { verdict: 'locked', offending: [0] });
});

test('S3: principals: the owner account, a service, another account, one role', () => {
  const immutable = policy({ Sid: 'NoPolicyChanges', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'], Resource: B[0] });
  check(immutable, bucket(), { verdict: 'locked', offending: [0], blocks: [true] });
  check(policy(deny({ Principal: { AWS: OWNER } })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Principal: { AWS: OWNER } })), bucket(null), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Principal: { Service: 'logging.s3.amazonaws.com' } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Principal: { AWS: 'arn:aws:iam::999988887777:root' } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Principal: { AWS: `arn:aws:iam::${OWNER}:role/Intern` } })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' } })), bucket(), { verdict: 'suspected', offending: [0] });
});

test('S3: action wildcards and case, resources and NotResource', () => {
  const a = (Action: string | string[], Resource: string | string[] = B) => policy(deny({ Action, Resource }));
  for (const action of ['s3:*Policy*', 's3:Put*', 'S3:PUTBUCKETPOLICY', 's3:?etBucketPolicy', '*Policy', 's3:Delete*'])
    check(a(action), bucket(), { verdict: 'locked', offending: [0], blocks: [true] });
  for (const action of ['s3:GetObject', 's3:PutObject', 's3:PutBucketPolicyStatus', 'sqs:*', 'iam:*'])
    check(a(action), bucket(), { verdict: 'fine' });
  // Reading and writing every object denied to everyone: the data is locked, the policy itself is not.
  check(a(['s3:*Object*']), bucket(), { verdict: 'locked', offending: [0], blocks: [false], locksManagement: false });
  check(a(['s3:GetObject', 's3:PutObject']), bucket(), { verdict: 'locked', offending: [0], blocks: [false] });
  check(a('s3:*', B[1]), bucket(), { verdict: 'locked', offending: [0], blocks: [false], locksManagement: false });
  check(a('s3:*', 'arn:aws:s3:::awsexamplebucket1/private/*'), bucket(), { verdict: 'fine' });
  check(a('s3:*', 'arn:aws:s3:::other-bucket'), bucket(), { verdict: 'fine' });
  check(a('s3:*', 'arn:aws:s3:::awsexample*'), bucket(), { verdict: 'locked', offending: [0] });
  check(a('s3:*', 'arn:aws:s3:::awsexamplebucket?'), bucket(), { verdict: 'locked', offending: [0] });
  check(a('s3:*', 'arn:aws:s3:::AWSEXAMPLEBUCKET1'), bucket(), { verdict: 'fine' });
  check(policy(deny({ Resource: undefined, NotResource: B[1] })), bucket(), { verdict: 'locked', offending: [0] });
  check(policy(deny({ Resource: undefined, NotResource: B })), bucket(), { verdict: 'fine' });
  check(policy(deny({ Action: undefined, NotAction: ['s3:*Bucket*'] })), bucket(), { verdict: 'locked', offending: [0], blocks: [false] });
  check(policy(deny({ Resource: undefined })), bucket(), { verdict: 'locked', offending: [0] });
});

// S3 User Guide, "Restricting access to a specific HTTP referer" warns referer checks are for content, not access control;
// a Deny unless the referer matches refuses every CLI/SDK call (which send none) and console calls alike.
test('S3: referer, time and tag conditions are suspected', () => {
  check(policy(deny({ Resource: B[1], Condition: { StringNotLike: { 'aws:Referer': ['http://www.example.com/*'] } } })), bucket(), { verdict: 'suspected', offending: [0], blocks: [false] });
  check(policy(deny({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })), bucket(), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } } })), bucket(), { verdict: 'suspected', offending: [0] });
  check(policy(deny({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'interns' } } })), bucket(), { verdict: 'fine' });
});

// Amazon SQS Developer Guide, "Custom Amazon SQS Access Policy Language examples", Example 5: deny unless through a VPC
// endpoint for SendMessage/ReceiveMessage. With sqs:* "all actions (including administrative actions needed to modify
// queue permissions) must be made through the specific VPC endpoint … potentially preventing the user from modifying
// queue permissions in the future".
test('SQS: the VPC endpoint example is fine; its sqs:* variant is suspected', () => {
  const example5 = (Action: string | string[]) => ({ Version: '2012-10-17', Id: 'UseCase5', Statement: [
    { Sid: '1', Effect: 'Allow', Principal: { AWS: ['111122223333'] }, Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: 'arn:aws:sqs:us-east-2:111122223333:queue1' },
    { Sid: '2', Effect: 'Deny', Principal: '*', Action, Resource: 'arn:aws:sqs:us-east-2:111122223333:queue1', Condition: { StringNotEquals: { 'aws:sourceVpce': 'vpce-1a2b3c4d' } } }] });
  check(example5(['sqs:SendMessage', 'sqs:ReceiveMessage']), queue('111122223333'), { verdict: 'fine' });
  check(example5('sqs:*'), queue('111122223333'), { verdict: 'suspected', offending: [1], blocks: [true] });
});

// SQS Example 4 denies another account; the same denial aimed at the owner account locks its own administrators out.
test('SQS: deny-all, owner-account deny and management actions', () => {
  const q = (extra: object) => policy({ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: Q, ...extra });
  check(q({}), queue(), { verdict: 'locked', offending: [0], blocks: [true], locksManagement: true });
  const useCase4 = (account: string) => ({ Version: '2012-10-17', Id: 'UseCase4', Statement: [{ Sid: '1', Effect: 'Deny', Principal: { AWS: [account] }, Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: Q }] });
  check(useCase4('111122223333'), queue(), { verdict: 'fine' });
  check(useCase4('444455556666'), queue(), { verdict: 'fine' });
  check(q({ Principal: { AWS: ['444455556666'] } }), queue(), { verdict: 'locked', offending: [0] });
  check(q({ Principal: { AWS: '*' }, Action: 'sqs:SetQueueAttributes' }), queue(), { verdict: 'locked', offending: [0] });
  check(q({ Action: 'SQS:Get*' }), queue(), { verdict: 'locked', offending: [0] });
  check(q({ Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'] }), queue(), { verdict: 'fine' });
  check(q({ Resource: 'arn:aws:sqs:*:444455556666:queue1' }), queue(), { verdict: 'locked', offending: [0] });
  check(q({ Resource: 'arn:aws:sqs:us-east-2:444455556666:other' }), queue(), { verdict: 'fine' });
});

// SQS security best practices: enforce encryption in transit with a Deny on aws:SecureTransport "false".
// SNS-to-SQS subscriptions grant sqs:SendMessage with ArnEquals aws:SourceArn (SQS Developer Guide); as a Deny on sqs:*
// with ArnNotEquals the key is absent from administrators' calls, so it locks.
test('SQS: HTTPS-only is fine; a source-ARN deny on sqs:* locks; an organization typo locks when the org is known', () => {
  const q = (Condition: object, Action: string | string[] = 'sqs:*') => policy({ Effect: 'Deny', Principal: { AWS: '*' }, Action, Resource: Q, Condition });
  check(q({ Bool: { 'aws:SecureTransport': 'false' } }), queue(), { verdict: 'fine' });
  const topic = 'arn:aws:sns:us-east-2:444455556666:MyTopic';
  check(q({ ArnNotEquals: { 'aws:SourceArn': topic } }), queue(), { verdict: 'locked', offending: [0] });
  check(q({ ArnNotEquals: { 'aws:SourceArn': topic } }, 'sqs:SendMessage'), queue(), { verdict: 'fine' });
  check(q({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-wrong0000' } }), queue('444455556666', 'o-right0000'), { verdict: 'locked', offending: [0] });
  check(q({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-right0000' } }), queue('444455556666', 'o-right0000'), { verdict: 'fine' });
  check(q({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-2' } }), queue(), { verdict: 'fine' });
  check(q({ StringEquals: { 'aws:RequestedRegion': 'us-east-2' } }), queue(), { verdict: 'locked', offending: [0] });
});

// cdk-insights rule "sqs-queue-policy-self-lockout" (cdkinsights.dev): its flagged example denies DeleteQueue and
// RemovePermission (not the policy itself: SetQueueAttributes still works); its "fixed" example exempts only the root,
// which for a Deny on sqs:* leaves every IAM user and role locked out.
test('SQS: delete/permission denies leave the policy manageable; a root-only NotPrincipal on sqs:* locks', () => {
  check(policy({ Sid: 'DenyAdmin', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['sqs:DeleteQueue', 'sqs:RemovePermission'], Resource: Q }), queue(), { verdict: 'fine' });
  check(policy({ Sid: 'DenyAdmin', Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sqs:*', Resource: Q }), queue(), { verdict: 'locked', offending: [0] });
});

test('the fix removes exactly the offending statements and keeps Version, Id and order', () => {
  const doc = { Version: '2012-10-17', Id: 'keep-me', Statement: [
    { Sid: 'A', Effect: 'Allow', Principal: { AWS: OWNER }, Action: 's3:GetObject', Resource: B[1] },
    deny({ Sid: 'Lock' }),
    { Sid: 'C', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: B, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    deny({ Sid: 'Vpce', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
  ] };
  const a = analyzePolicy(doc, bucket());
  assert.equal(a.verdict, 'locked');
  assert.deepEqual(a.offending.map((o) => [o.index, o.sid, o.verdict]), [[1, 'Lock', 'locked'], [3, 'Vpce', 'suspected']]);
  assert.equal(a.fix?.kind, 'put');
  if (a.fix?.kind !== 'put') return;
  assert.deepEqual(a.fix.policy, { Version: '2012-10-17', Id: 'keep-me', Statement: [doc.Statement[0], doc.Statement[2]] });
  assert.equal(analyzePolicy(a.fix.text, bucket()).verdict, 'fine');
  assert.deepEqual(analyzePolicy(policy(deny({})), bucket()).fix, { kind: 'delete' });
  assert.deepEqual(analyzePolicy({ Version: '2012-10-17', Statement: deny({}) }, bucket()).fix, { kind: 'delete' });
});
