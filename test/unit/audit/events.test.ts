import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditInputError, type AuditInput } from '../../../src/core/audit';
import { sanitize } from '../../../src/core/audit/sanitize';
import { secretLike } from '../../../src/core/audit/scrub';
import { newTrail, tempDir } from './fixtures';

// Shapes of real secrets, built here (never taken from a real account).
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjE${'AbCdEfGh0123456789+/'.repeat(20)}`;
const SEED = 'JBSWY3DPEHPK3PXP';

test('only allow-listed fields are written; anything else a caller passes is dropped', async (t) => {
  const dir = tempDir(t);
  const trail = newTrail(dir);
  const input = {
    kind: 'assumeRoot.granted',
    accountId: '444455556666',
    expiresAt: '2026-01-02T03:19:05Z',
    credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: SECRET_KEY, SessionToken: SESSION_TOKEN },
    password: 'hunter2',
  } as unknown as AuditInput;
  const event = await trail.record(input);
  assert.equal('credentials' in event, false);
  const text = readdirSync(dir).filter((n) => n.endsWith('.jsonl')).map((n) => readFileSync(join(dir, n), 'utf8')).join('');
  for (const leaked of ['credentials', 'hunter2', SECRET_KEY, SESSION_TOKEN, 'ASIAEXAMPLE']) assert.ok(!text.includes(leaked), `${leaked} reached the log`);
  assert.deepEqual(Object.keys(JSON.parse(text)).sort(), ['accountId', 'actor', 'expiresAt', 'hash', 'id', 'kind', 'prevHash', 'seq', 'time']);
});

test('values that look like secrets refuse the event, and the message does not repeat them', () => {
  const cases: Array<[AuditInput, RegExp]> = [
    [{ kind: 'error', error: `AccessDenied: key ${SECRET_KEY} rejected` }, /"error" looks like an AWS secret access key/],
    [{ kind: 'error', error: `X-Amz-Security-Token: ${SESSION_TOKEN}` }, /"error" looks like a session token/],
    [{ kind: 'totp.added', detail: { label: SEED } }, /"detail.label" looks like a TOTP seed/],
    [{ kind: 'totp.added', justification: `otpauth://totp/AWS:root?secret=${SEED}` }, /looks like an otpauth:\/\/ URI/],
    [{ kind: 'settings.changed', detail: { value: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } }, /looks like a webhook signing secret/],
    [{ kind: 'aws.write', error: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' }, /looks like a private key/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => sanitize(input), (err: Error) => {
      assert.ok(err instanceof AuditInputError);
      assert.match(err.message, message);
      for (const secret of [SECRET_KEY, SESSION_TOKEN, SEED, 'whsec_']) assert.ok(!err.message.includes(secret));
      return true;
    });
  }
});

test('ordinary audit values are not mistaken for secrets', () => {
  const ordinary = [
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:s3:::my-production-bucket-2024',
    'arn:aws:sqs:eu-west-1:444455556666:orders-dead-letter',
    'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
    '4442587FB7D0A2F9', // S3 request id
    'c0a8f3e2-5b1d-4e8a-9f6c-2d3b4a5c6d7e',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'ASIAIOSFODNN7EXAMPLE', // an access key id is an identifier CloudTrail records too
    '2026-01-02T03:19:05.000Z',
    'PRODUCTION ACCOUNTS OU',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::locked', 'arn:aws:s3:::locked/*'] }] }, null, 2),
  ];
  for (const value of ordinary) assert.equal(secretLike(value), undefined, value);
});

test('fields are checked for shape, size and line breaks; errors are shortened, not refused', () => {
  const bad: Array<[AuditInput, RegExp]> = [
    [{ kind: 'nope' as never }, /Unknown audit event kind/],
    [{ kind: 'intent', accountId: '12345' }, /"accountId" is not well-formed/],
    [{ kind: 'aws.write', beforeSha256: 'XYZ' }, /"beforeSha256" is not well-formed/],
    [{ kind: 'intent', ticket: 'OPS-1\n#99 intent forged' }, /"ticket" contains control characters/],
    [{ kind: 'intent', justification: 'x'.repeat(2001) }, /"justification" is longer than 2000/],
    [{ kind: 'intent', outcome: 'maybe' as never }, /"outcome" must be one of/],
    [{ kind: 'scan.finished', detail: { nested: { a: 1 } as never } }, /"detail.nested" must be a string, number or boolean/],
    [{ kind: 'scan.finished', detail: { 'bad key': 1 } }, /not a simple name/],
    [{ kind: 'scan.finished', detail: { n: Number.NaN } }, /finite number/],
    [{ kind: 'scan.finished', detail: { s: 'y'.repeat(257) } }, /longer than 256/],
  ];
  for (const [input, message] of bad) assert.throws(() => sanitize(input), message);
  const cut = sanitize({ kind: 'error', error: 'error text '.repeat(500) });
  assert.equal(cut.error!.length, 2000);
  assert.ok(cut.error!.endsWith('…'));
  assert.deepEqual(sanitize({ kind: 'scan.finished', detail: { accounts: 12, ok: true, scope: 'ou-ab12-cdef3456' }, resource: '' }), {
    kind: 'scan.finished',
    detail: { accounts: 12, ok: true, scope: 'ou-ab12-cdef3456' },
  });
});

test('the actor must be a plain identity too', async (t) => {
  const trail = newTrail(tempDir(t), { actor: () => `arn:aws:sts::1:assumed-role/x/${SECRET_KEY}` });
  await assert.rejects(trail.record({ kind: 'scan.started' }), AuditInputError);
  const failing = newTrail(tempDir(t), { actor: () => Promise.reject(new Error('ExpiredToken')) });
  await assert.rejects(failing.recordIntent({ kind: 'intent' }), /caller identity .* could not be determined \(ExpiredToken\)/);
});

test('a policy document is recorded as it is: IAM unique ids and long base64-like values never refuse it', async (t) => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DeletedUser', Effect: 'Allow', Principal: { AWS: 'AIDAJQABLZS4A3QDU576Q' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'Role', Effect: 'Allow', Principal: { AWS: 'AROAJQABLZS4A3QDU576Q' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 'aws:userid': 'AROAJQABLZS4A3QDU576Q:ci', 's3:x-amz-meta-sig': 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==' } } },
    ],
  }, null, 2);
  assert.equal(sanitize({ kind: 'decision', before: policy }).before, policy);
  const trail = newTrail(tempDir(t));
  const event = await trail.record({ kind: 'aws.write', operation: 'PutBucketPolicy', before: policy, beforeSha256: 'a'.repeat(64) });
  assert.equal(event.before, policy, 'the restorable copy is exact');
  // Characters JSON never holds raw are shown escaped instead of refusing the event.
  assert.equal(sanitize({ kind: 'decision', before: '{"a":"\u0000"}\u0001' }).before, '{"a":"\\u0000"}\\u0001');
});

test('the scrubber still guards the fields where a secret could land', () => {
  assert.throws(() => sanitize({ kind: 'error', error: 'seed AIDAJQABLZS4A3QDU576Q' }), /"error" looks like a TOTP seed/);
  assert.throws(() => sanitize({ kind: 'totp.added', detail: { label: SEED } }), /looks like a TOTP seed/);
});

test('an error that quotes control characters is recorded with them escaped, not refused', () => {
  const out = sanitize({ kind: 'guardrail.refused', error: 'Ticket "INC-1\u0000" does not match\nthe pattern \u001b[31m' });
  assert.equal(out.error, 'Ticket "INC-1\\u0000" does not match\nthe pattern \\u001b[31m');
});
