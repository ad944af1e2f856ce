// Malformed, mistyped, hostile and huge inputs: always a verdict with a specific problem, never a throw, bounded time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePolicy, type PolicyAnalysis, type PolicyResource } from '../../../src/core/policy';

const R: PolicyResource = { kind: 's3', arn: 'arn:aws:s3:::b', accountId: '111122223333' };
const lock = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' };

function invalid(input: unknown, problem: string | RegExp, resource: PolicyResource = R): PolicyAnalysis {
  const a = analyzePolicy(input, resource);
  assert.equal(a.verdict, 'invalid', JSON.stringify(a.reasons));
  assert.equal(a.fix, undefined);
  const text = a.problems.join('\n');
  if (typeof problem === 'string') assert.ok(text.includes(problem), `${JSON.stringify(text)} should mention ${JSON.stringify(problem)}`);
  else assert.match(text, problem);
  assert.ok(a.reasons[0].includes(a.problems[0]));
  return a;
}

function timed<T>(limitMs: number, f: () => T): T {
  const start = performance.now();
  const out = f();
  const ms = performance.now() - start;
  assert.ok(ms < limitMs, `took ${ms.toFixed(0)} ms (limit ${limitMs})`);
  return out;
}

test('JSON syntax errors name line and column', () => {
  const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny" "Principal": "*"}\n  ]\n}';
  const a = invalid(text, 'Line 4, column 23: expected \',\' or \'}\' but found \'"\'');
  assert.equal(a.problems.length, 1);
  invalid('{"Statement": [ {"Effect": "Deny",} ]}', "Line 1, column 35: trailing comma before '}'");
  invalid('{"Statement": [1, 2, ]}', "trailing comma before ']'");
  invalid('{"Version": "2012-10-17', 'Line 1, column 13: unterminated string');
  invalid("{'Version': '2012-10-17'}", 'Line 1, column 2: expected a quoted key');
  invalid('{"a": NaN}', 'Line 1, column 7: expected a value');
  invalid('// comment\n{}', 'Line 1, column 1');
  invalid('{"a": 1} {"b": 2}', 'Line 1, column 10: unexpected \'{\' after the end of the JSON value');
  invalid('{"a": "tab\there"}', 'control character inside a string');
  invalid('{"a": "\\x41"}', 'invalid escape sequence');
  invalid('{"a": 1e999}', 'the number 1e999 is too large');
  invalid('{"a": 01}', "expected ',' or '}'");
  invalid('{"Statement": [], "Statement": [{}]}', 'Line 1, column 19: duplicate key "Statement"');
  invalid('', 'The policy text is empty');
  invalid('   \n ', 'The policy text is empty');
});

test('accepted JSON details: BOM, escapes, surrogates, Statement as one object, old Version, no Version', () => {
  const text = `\ufeff{"Version":"2008-10-17","Statement":{"Sid":"caf\\u00e9 \\ud83d\\ude00","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}}`;
  const a = analyzePolicy(text, R);
  assert.equal(a.verdict, 'locked');
  assert.equal(a.offending[0].sid, 'café 😀');
  assert.deepEqual(a.fix, { kind: 'delete' });
  assert.equal(analyzePolicy({ Statement: [lock] }, R).verdict, 'locked');
});

test('unexpected types give specific problems', () => {
  invalid(42, 'must be a JSON object, not the number 42');
  invalid('[]', 'must be a JSON object, not a list');
  invalid('null', 'must be a JSON object, not null');
  invalid({ Version: '2012-10-18', Statement: [lock] }, '"Version" must be "2012-10-17"');
  invalid({ Version: 2012, Statement: [lock] }, 'not the number 2012');
  invalid({ Id: ['x'], Statement: [lock] }, '"Id" must be a string');
  invalid({ Version: '2012-10-17' }, 'has no "Statement"');
  invalid({ Statement: 5 }, '"Statement" must be an object or a list of objects, not the number 5');
  invalid({ Statement: [5] }, 'Statement[0] must be an object, not the number 5');
  invalid({ Statement: [{ ...lock, Effect: 'deny' }] }, 'Statement[0]: "Effect" must be "Allow" or "Deny", not the string "deny"');
  invalid({ Statement: [{ ...lock, Sid: 7 }] }, 'Statement[0]: "Sid" must be a string');
  invalid({ Statement: [{ ...lock, Action: 5 }] }, 'Statement[0]: "Action" must be a string or a list of strings; it is the number 5');
  invalid({ Statement: [{ ...lock, Action: ['s3:Get*', null] }] }, 'item 2 is null');
  invalid({ Statement: [{ ...lock, Action: [] }] }, '"Action" is an empty list');
  invalid({ Statement: [{ ...lock, NotAction: 's3:*' }] }, 'has both "Action" and "NotAction"');
  invalid({ Statement: [{ Effect: 'Deny', Principal: '*', Resource: '*' }] }, 'needs "Action" or "NotAction"');
  invalid({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, 'needs "Principal"');
  invalid({ Statement: [{ ...lock, Principal: 'someone' }] }, '"Principal" must be "*" or an object');
  invalid({ Statement: [{ ...lock, Principal: {} }] }, '"Principal" must be "*" or an object');
  invalid({ Statement: [{ ...lock, Principal: { AWS: 5 } }] }, '"Principal" → "AWS" must be a string or a list of strings');
  invalid({ Statement: [{ ...lock, Principal: { Users: '*' } }] }, 'unknown principal type "Users"');
  invalid({ Statement: [{ ...lock, NotPrincipal: '*' }] }, 'has both "Principal" and "NotPrincipal"');
  invalid({ Statement: [{ ...lock, Resource: { arn: 'x' } }] }, '"Resource" must be a string or a list of strings; it is an object');
  invalid({ Statement: [{ ...lock, Condition: [] }] }, '"Condition" must be an object, not a list');
  invalid({ Statement: [{ ...lock, Condition: { Bool: 'x' } }] }, '"Condition" → "Bool" must be an object of condition keys');
  invalid({ Statement: [{ ...lock, Condition: { Bool: { 'aws:SecureTransport': { nested: [] } } } }] }, '→ "aws:SecureTransport" must be a string, number or boolean');
  invalid({ Statement: [{ ...lock, Condition: { Bool: { 'aws:SecureTransport': [] } } }] }, '"aws:SecureTransport" is an empty list');
});

test('an invalid document still reports the statements that lock, but proposes no fix', () => {
  const a = invalid({ Statement: [lock, { Effect: 'Maybe' }] }, 'Statement[1]: "Effect" must be "Allow" or "Deny"');
  assert.deepEqual(a.offending.map((o) => o.index), [0]);
  assert.equal(a.locksPolicyManagement, true);
  assert.ok(a.reasons.some((r) => r.startsWith('Statement[0] locks')));
});

test('many malformed statements: the problem list is capped', () => {
  const a = invalid({ Statement: Array.from({ length: 500 }, () => ({})) }, 'Statement[0]');
  assert.ok(a.problems.length <= 21);
  assert.match(a.problems[a.problems.length - 1], /…and \d+ more problems\./);
});

test('object inputs that JSON cannot hold, cycles and hostile objects are invalid, never a throw', () => {
  invalid({ Statement: [{ ...lock, Sid: undefined }] }, 'contains undefined at .Statement[0].Sid');
  invalid({ Statement: [{ ...lock, Action: () => 's3:*' }] }, 'contains a function');
  invalid({ Statement: [{ ...lock, Condition: { NumericLessThan: { 's3:max-keys': NaN } } }] }, 'contains the number NaN');
  invalid({ Statement: [{ ...lock, Sid: new Date(0) }] }, 'an object that is not plain data');
  invalid({ Statement: new Map() }, 'an object that is not plain data');
  invalid({ Statement: [lock], Extra: 10n }, 'a bigint');
  const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
  cyclic.Statement = [cyclic];
  invalid(cyclic, 'nested more than 64 levels deep (or refers to itself)');
  const hostile = { Version: '2012-10-17', get Statement(): never { throw new Error('boom'); } };
  invalid(hostile, 'The policy could not be read: boom');
  const proxy = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
  invalid(proxy, 'no keys');
  const a = analyzePolicy(Object.assign(Object.create(null), { Statement: [lock] }), R);
  assert.equal(a.verdict, 'locked');
});

test('a __proto__ key stays data and pollutes nothing', () => {
  const a = analyzePolicy('{"__proto__": {"polluted": true}, "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}, {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}', R);
  assert.equal(a.verdict, 'locked');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(a.fix?.kind === 'put' && Object.prototype.hasOwnProperty.call(a.fix.policy, '__proto__'));
});

test('huge documents are refused quickly with a clear reason', () => {
  const tenMb = `{"Version": "2012-10-17", "Statement": [], "Pad": "${'x'.repeat(10 * 1024 * 1024)}"}`;
  timed(1000, () => invalid(tenMb, /The policy is 10,485,\d+ characters long; AWS stores at most 20 KB per bucket policy/));
  timed(1000, () => invalid({ Pad: 'x'.repeat(10 * 1024 * 1024), Statement: [] }, 'characters long'));
  timed(3000, () => invalid({ Statement: Array.from({ length: 100_000 }, () => lock) }, /The policy is 1,048,\d+ characters long/));
  timed(3000, () => invalid({ Statement: Array.from({ length: 250_000 }, () => 1) }, 'more than 200,000 values'));
  timed(3000, () => invalid({ Statement: Array.from({ length: 100_000 }, () => ({})) }, 'The policy has 100,000 statements'));
  timed(3000, () => invalid(`{"Statement": [${Array.from({ length: 100_000 }, () => '{}').join(',')}]}`, 'The policy has 100,000 statements'));
  timed(1000, () => invalid(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'Line 1, column 65: nested more than 64 levels deep'));
  let deep: unknown = lock;
  for (let k = 0; k < 100_000; k++) deep = { k: deep };
  timed(1000, () => invalid({ Statement: [deep] }, 'nested more than 64 levels deep'));
  const sparse: unknown[] = [];
  sparse.length = 1e9;
  timed(1000, () => invalid({ Statement: sparse }, 'more than 200,000 values'));
  // A long (but allowed) wildcard pattern is matched without blowing up.
  const pattern = `arn:aws:s3:::${'*a'.repeat(20_000)}`;
  timed(2000, () => assert.equal(analyzePolicy({ Statement: [{ ...lock, Resource: pattern }] }, R).verdict, 'fine'));
});

test('the resource argument is checked, never trusted', () => {
  invalid({ Statement: [lock] }, 'is not an S3 bucket ARN', { kind: 's3', arn: 'arn:aws:s3:::b/key' });
  invalid({ Statement: [lock] }, 'is not an SQS queue ARN', { kind: 'sqs', arn: 'arn:aws:sqs:us-east-1:12:q' });
  invalid({ Statement: [lock] }, 'account id must be 12 digits', { kind: 's3', arn: 'arn:aws:s3:::b', accountId: '1234' });
  invalid({ Statement: [lock] }, 'Unknown resource kind "sns"', { kind: 'sns', arn: 'x' } as unknown as PolicyResource);
  invalid({ Statement: [lock] }, 'No resource was given', null as unknown as PolicyResource);
});

test('conditions: qualifiers, IfExists, Null, unknown operators and policy variables', () => {
  const withCondition = (Condition: object) => analyzePolicy({ Statement: [{ ...lock, Condition }] }, R);
  // ForAllValues over a key absent from the request is true (the IAM docs warn about exactly this).
  assert.equal(withCondition({ 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['team'] } }).verdict, 'locked');
  assert.equal(withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }).verdict, 'fine');
  assert.equal(withCondition({ 'ForAnyValue:StringNotLike': { 'aws:PrincipalOrgPaths': ['o-a/r-b/*'] } }).verdict, 'fine');
  assert.equal(withCondition({ StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } }).verdict, 'locked');
  assert.equal(withCondition({ Null: { 'aws:SecureTransport': 'false' } }).verdict, 'locked');
  assert.equal(withCondition({ Null: { 'aws:SecureTransport': true } }).verdict, 'fine');
  assert.equal(withCondition({ Null: { 'aws:SourceVpce': 'true' } }).verdict, 'suspected');
  assert.equal(withCondition({ NumericLessThan: { 's3:TlsVersion': 1.2 } }).verdict, 'fine');
  assert.equal(withCondition({ StringNotEquals: { 's3:signatureversion': 'AWS4-HMAC-SHA256' } }).verdict, 'fine');
  assert.equal(withCondition({ BoolIfExists: { 'aws:MultiFactorAuthPresent': false } }).verdict, 'fine');
  assert.equal(withCondition({ StringEquals: { 'aws:PrincipalType': ['User', 'AssumedRole', 'FederatedUser'] } }).verdict, 'locked');
  assert.equal(withCondition({ StringEquals: { 'aws:PrincipalType': 'AssumedRole' } }).verdict, 'fine');
  assert.equal(withCondition({ StringNotEquals: { 'aws:username': 'alice' } }).verdict, 'fine');
  assert.equal(withCondition({ StringEqualsLoosely: { 'aws:PrincipalAccount': '1' } }).verdict, 'suspected');
  assert.equal(withCondition({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::${aws:PrincipalAccount}:role/Admin' } }).verdict, 'suspected');
  assert.equal(withCondition({ StringNotEquals: { 'custom:Thing': 'x' } }).verdict, 'suspected');
  // Several entries are AND-ed: one escapable entry frees the statement.
  assert.equal(withCondition({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' }, Bool: { 'aws:SecureTransport': 'false' } }).verdict, 'fine');
  assert.equal(withCondition({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1', 'aws:SourceArn': 'arn:aws:sns:us-east-1:1:t' } }).verdict, 'suspected');
  // Condition key names are case-insensitive in AWS; operators here too.
  assert.equal(withCondition({ stringnotequals: { 'AWS:SOURCEARN': 'x' } }).verdict, 'locked');
  assert.equal(withCondition({}).verdict, 'locked');
});

test('Allow statements never lock, whatever they contain', () => {
  const a = analyzePolicy({ Statement: [{ ...lock, Effect: 'Allow' }, { Effect: 'Allow', NotPrincipal: { AWS: 'x' }, NotAction: 'x', NotResource: '*' }] }, R);
  assert.equal(a.verdict, 'fine');
  assert.deepEqual(a.offending, []);
  assert.equal(a.reasons.length, 1);
});
