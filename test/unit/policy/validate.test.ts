import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePolicy, formatPolicy, validateProposedPolicy, type PolicyResource } from '../../../src/core/policy';

const S3: PolicyResource = { kind: 's3', arn: 'arn:aws:s3:::b', accountId: '111122223333' };
const SQS: PolicyResource = { kind: 'sqs', arn: 'arn:aws:sqs:us-east-1:111122223333:q' };
const allow = { Sid: 'Read', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
const lock = { Sid: 'Lock', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] };
const text = (...Statement: object[]) => formatPolicy({ Version: '2012-10-17', Statement });

function refused(t: string, resource: PolicyResource, ...parts: string[]): string {
  const r = validateProposedPolicy(t, resource);
  assert.equal(r.ok, false);
  if (r.ok) return '';
  for (const p of parts) assert.ok(r.message.includes(p), `${JSON.stringify(r.message)} should mention ${JSON.stringify(p)}`);
  return r.message;
}

test('the proposed fix of a locked policy is accepted as is', () => {
  const a = analyzePolicy(text(allow, lock), S3);
  assert.ok(a.fix?.kind === 'put');
  if (a.fix?.kind !== 'put') return;
  const r = validateProposedPolicy(a.fix.text, S3);
  assert.deepEqual(r, { ok: true, policy: a.fix.policy });
});

test('empty text and JSON syntax errors', () => {
  refused('  ', S3, 'The proposed policy is empty', '"Delete policy"', 'bucket policy');
  refused('', SQS, 'queue policy');
  refused('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}', S3, 'not valid JSON', "Line 4, column 24: trailing comma before '}'");
});

test('a proposal that still locks, or may, is refused with the statement and why', () => {
  refused(text(allow, lock), S3, 'The proposed policy still locks everyone out', 'Statement[1] ("Lock") locks every IAM user and role', 'Only the root user');
  const vpce = { ...lock, Sid: 'Vpce', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } };
  refused(text(vpce), S3, 'may still lock everyone out', 'Statement[0] ("Vpce") may lock', 'aws:SourceVpce');
});

test('shape problems AWS would reject are listed, stricter than the analyzer', () => {
  refused(text({ ...allow, Ressource: 'x' }), S3, 'not a valid bucket policy', 'Statement[0]: unknown element "Ressource"');
  refused(formatPolicy({ Version: '2012-10-17', Statment: [], Statement: [allow] }), S3, 'Unknown top-level element "Statment"');
  const noResource: Record<string, unknown> = { ...allow };
  delete noResource.Resource;
  refused(text(noResource), S3, 'Statement[0]: needs "Resource" or "NotResource"');
  refused(text({ ...allow, Action: 's3GetObject' }), S3, '"s3GetObject" is not an action name');
  refused(text({ ...allow, Condition: { StringEqual: { 'aws:SourceVpce': 'v' } } }), S3, '"StringEqual" is not a condition operator');
  refused(text({ ...allow, Effect: 'Allow', NotPrincipal: allow.Principal, Principal: undefined }), S3, '"NotPrincipal" can only be used with "Effect": "Deny"');
  refused(text(allow, allow), S3, 'the Sid "Read" is used twice');
  refused(formatPolicy({ Version: '2012-10-17', Statement: [] }), S3, 'The policy has no statements');
  refused(formatPolicy({ Version: '2012-10-17', Statement: [{ ...allow, Effect: 'allow' }] }), S3, '"Effect" must be "Allow" or "Deny"');
  refused(formatPolicy({ Version: '1.0', Statement: [allow] }), S3, '"Version" must be "2012-10-17"');
  const many = Array.from({ length: 8 }, (_, k) => ({ ...allow, Sid: `S${k}`, Action: 'nope' }));
  refused(text(...many), S3, '…and 3 more.');
});

test('AWS size limits: 20 KB for a bucket policy, 8,192 bytes and 20 statements for a queue policy', () => {
  const big = (n: number, arn: string) => Array.from({ length: n }, (_, k) => ({ Sid: `S${k}`, Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sqs:SendMessage', Resource: arn, Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-1:111122223333:${'t'.repeat(200)}${k}` } } }));
  refused(text(...big(21, SQS.arn)), SQS, 'at most 20 statements; this one has 21');
  refused(text(...big(20, SQS.arn)), SQS, 'bytes without whitespace; AWS accepts at most 8,192 for a queue policy');
  const s3Big = big(80, 'arn:aws:s3:::b/*').map((s) => ({ ...s, Action: 's3:GetObject' }));
  refused(text(...s3Big), S3, 'AWS accepts at most 20,480 for a bucket policy');
  const ok = validateProposedPolicy(text(...big(10, SQS.arn)), SQS);
  assert.equal(ok.ok, true);
});

test('a bad resource is reported, not thrown', () => {
  refused(text(allow), { kind: 's3', arn: 'not-an-arn' }, 'is not an S3 bucket ARN');
  refused(42 as unknown as string, S3, 'The proposed policy is empty');
});
