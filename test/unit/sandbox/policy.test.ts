// The sandbox's policy engine on its own: parsing and validation, principals, actions, resources,
// conditions and policy variables, and the root-task session policies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy, type EvalRequest, type RequestPrincipal } from '../../sandbox/policyEval';
import { parsePolicy, PolicyError } from '../../sandbox/policyDocument';
import { parseBucketPolicy } from '../../sandbox/resourcePolicies';
import { taskPolicy, TASK_POLICY_ARNS } from '../../sandbox/taskPolicies';
import { wildcardMatch } from '../../sandbox/wildcard';

const ACCOUNT = '111122223333';
const role: RequestPrincipal = {
  type: 'role-session',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/OrganizationAccountAccessRole/scan`,
  accountId: ACCOUNT,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`,
};
const user: RequestPrincipal = { type: 'iam-user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT };
const outsider: RequestPrincipal = { type: 'iam-user', arn: 'arn:aws:iam::444455556666:user/bob', accountId: '444455556666' };

function req(principal: RequestPrincipal, action = 's3:GetBucketPolicy', resource = 'arn:aws:s3:::b', context: EvalRequest['context'] = {}): EvalRequest {
  return { principal, action, resource, context: { 'aws:principalarn': principal.roleArn ?? principal.arn, 'aws:principalaccount': principal.accountId, ...context } };
}

function resourcePolicy(statement: object) {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Resource: 'arn:aws:s3:::b', ...statement }] }), 'resource');
}

describe('policy documents', () => {
  test('validation follows the element rules', () => {
    const bad: [string, RegExp][] = [
      ['[]', /first byte/],
      ['{"Statement":[]}', /Statement/],
      ['{"Statement":{"Effect":"Maybe","Principal":"*","Action":"s3:*"}}', /effect/],
      ['{"Statement":{"Effect":"Deny","Action":"s3:*"}}', /Principal/],
      ['{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*"}}', /NotPrincipal/],
      ['{"Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*"}}', /principal/],
      ['{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"StringMaybe":{"a":"b"}}}}', /Condition type/],
      ['{"Statement":{"Effect":"Deny","Principal":"*","Action":"not an action"}}', /action/],
    ];
    for (const [text, message] of bad) assert.throws(() => parsePolicy(text, 'resource'), (e: Error) => e instanceof PolicyError && message.test(e.message), text);
    assert.throws(() => parsePolicy('{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}', 'identity'), /Principal/);
  });

  test('bucket policies must name this bucket and S3 actions', () => {
    const ok = (r: string) => `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"${r}"}}`;
    for (const r of ['arn:aws:s3:::b', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/logs/*', 'arn:aws:s3:::*', '*']) assert.ok(parseBucketPolicy(ok(r), 'b'));
    assert.throws(() => parseBucketPolicy(ok('arn:aws:s3:::other'), 'b'), /invalid resource/);
    assert.throws(() => parseBucketPolicy(ok('arn:aws:s3:::b').replace('s3:GetObject', 'sqs:SendMessage'), 'b'), /invalid action/);
  });
});

describe('policy evaluation', () => {
  test('Principal "*", {"AWS":"*"}, account, role and session ARNs', () => {
    const deny = (principal: unknown) => resourcePolicy({ Effect: 'Deny', Principal: principal, Action: 's3:*' });
    assert.equal(evaluatePolicy(deny('*'), req(role), true), 'Deny');
    assert.equal(evaluatePolicy(deny({ AWS: '*' }), req(outsider), true), 'Deny');
    assert.equal(evaluatePolicy(deny({ AWS: ACCOUNT }), req(user), true), 'Deny');
    assert.equal(evaluatePolicy(deny({ AWS: `arn:aws:iam::${ACCOUNT}:root` }), req(outsider), true), 'None');
    assert.equal(evaluatePolicy(deny({ AWS: role.roleArn }), req(role), true), 'Deny');
    assert.equal(evaluatePolicy(deny({ AWS: role.roleArn }), req(user), true), 'None');
    assert.equal(evaluatePolicy(deny({ AWS: role.arn }), req(role), true), 'Deny');
    assert.equal(evaluatePolicy(deny({ Service: 'cloudtrail.amazonaws.com' }), req(role), true), 'None');
  });

  test('NotPrincipal denies everyone not named (a deleted principal names nobody)', () => {
    const p = resourcePolicy({ Effect: 'Deny', NotPrincipal: { AWS: ['AIDAEXAMPLEDELETEDUSER1', `arn:aws:iam::${ACCOUNT}:user/alice`] }, Action: 's3:*' });
    assert.equal(evaluatePolicy(p, req(role), true), 'Deny');
    assert.equal(evaluatePolicy(p, req(user), true), 'None');
  });

  test('Action/NotAction with wildcards (case-insensitive), Resource/NotResource (case-sensitive)', () => {
    const p = resourcePolicy({ Effect: 'Deny', Principal: '*', Action: 'S3:*policy*' });
    assert.equal(evaluatePolicy(p, req(role, 's3:PutBucketPolicy'), true), 'Deny');
    assert.equal(evaluatePolicy(p, req(role, 's3:GetObject'), true), 'None');
    const not = parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', NotAction: 's3:Get*', NotResource: 'arn:aws:s3:::b/public/*' }] }), 'resource');
    assert.equal(evaluatePolicy(not, req(role, 's3:PutObject', 'arn:aws:s3:::b/x'), true), 'Deny');
    assert.equal(evaluatePolicy(not, req(role, 's3:PutObject', 'arn:aws:s3:::b/public/x'), true), 'None');
    assert.equal(evaluatePolicy(not, req(role, 's3:GetObject', 'arn:aws:s3:::b/x'), true), 'None');
    assert.equal(wildcardMatch('arn:aws:s3:::B', 'arn:aws:s3:::b'), false);
    assert.equal(wildcardMatch('a*b?d*', 'axxbcdyy'), true);
  });

  test('an explicit Deny wins over an Allow', () => {
    const p = parsePolicy(JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' },
      { Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 's3:GetBucketPolicy', Resource: 'arn:aws:s3:::b' },
    ] }), 'resource');
    assert.equal(evaluatePolicy(p, req(outsider), true), 'Allow');
    assert.equal(evaluatePolicy(p, req(user), true), 'Deny');
  });

  test('conditions: operators, IfExists, missing keys, Null, sets and policy variables', () => {
    const when = (condition: object, context: EvalRequest['context'] = {}) =>
      evaluatePolicy(resourcePolicy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: condition }), req(role, 's3:GetBucketPolicy', 'arn:aws:s3:::b', context), true);
    assert.equal(when({ StringLike: { 'aws:PrincipalArn': 'arn:aws:*' } }), 'Deny');
    assert.equal(when({ StringEquals: { 'aws:SourceVpce': 'vpce-1' } }), 'None', 'a missing key fails a positive operator');
    assert.equal(when({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }), 'Deny', 'and satisfies a negated one');
    assert.equal(when({ StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } }), 'Deny');
    assert.equal(when({ Null: { 'aws:SourceVpce': 'true' } }), 'Deny');
    assert.equal(when({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:securetransport': 'false' }), 'Deny');
    assert.equal(when({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '5' }), 'Deny');
    assert.equal(when({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:currenttime': new Date().toISOString() }), 'Deny');
    assert.equal(when({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, { 'aws:sourceip': '127.0.0.1' }), 'Deny');
    assert.equal(when({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1/32'] } }, { 'aws:sourceip': '127.0.0.1' }), 'None');
    assert.equal(when({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:tagkeys': ['c', 'b'] }), 'Deny');
    assert.equal(when({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:tagkeys': ['c', 'b'] }), 'None');
    assert.equal(when({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }, { 'aws:resourceaccount': ACCOUNT }), 'Deny');
    assert.equal(when({ StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}' } }, { 'aws:resourceaccount': '999999999999' }), 'None');
  });

  test('the five root-task policies: their actions only, root user only, own account only', () => {
    assert.equal(TASK_POLICY_ARNS.length, 5);
    const s3 = taskPolicy('arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy')!;
    const root: RequestPrincipal = { type: 'root-session', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
    const ctx = (resourceAccount: string) => ({ 'aws:principalaccount': ACCOUNT, 'aws:resourceaccount': resourceAccount });
    const on = (action: string, resource: string, resourceAccount = ACCOUNT) => evaluatePolicy(s3, { principal: root, action, resource, context: ctx(resourceAccount) }, false);
    assert.equal(on('s3:PutBucketPolicy', 'arn:aws:s3:::b'), 'None', 'not denied');
    assert.equal(on('s3:GetObject', 'arn:aws:s3:::b/x'), 'Deny');
    assert.equal(on('s3:GetBucketPolicy', 'arn:aws:s3:::b', '999999999999'), 'Deny');
    const audit = taskPolicy('arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials')!;
    const iam = (action: string, resource: string) => evaluatePolicy(audit, { principal: root, action, resource, context: ctx(ACCOUNT) }, false);
    assert.equal(iam('iam:ListAccessKeys', `arn:aws:iam::${ACCOUNT}:root`), 'None');
    assert.equal(iam('iam:ListAccessKeys', `arn:aws:iam::${ACCOUNT}:user/alice`), 'Deny');
    assert.equal(iam('iam:DeleteAccessKey', `arn:aws:iam::${ACCOUNT}:root`), 'Deny');
    assert.equal(taskPolicy('arn:aws:iam::aws:policy/AdministratorAccess'), undefined);
  });
});
