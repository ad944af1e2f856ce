import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLevel, formatAuditLine, GENESIS_HASH, type AuditEvent, type AuditInput } from '../../../src/core/audit';

const event = (input: AuditInput, seq = 3): AuditEvent => ({
  ...input,
  id: '7f0c2a9e-0000-4000-8000-000000000000',
  seq,
  time: '2026-01-02T03:04:05.000Z',
  actor: 'arn:aws:iam::111122223333:user/alice',
  prevHash: GENESIS_HASH,
  hash: 'a'.repeat(64),
});

test('one readable line per event, with the fields that matter', () => {
  assert.equal(
    formatAuditLine(event({ kind: 'intent', task: 'S3UnlockBucketPolicy', accountId: '444455556666', resource: 'arn:aws:s3:::locked', ticket: 'OPS-7', justification: 'prod down\nsince 3am', taskId: 't-1' })),
    '#3 intent S3UnlockBucketPolicy account 444455556666 arn:aws:s3:::locked ticket OPS-7 "prod down ⏎ since 3am" [task t-1] by arn:aws:iam::111122223333:user/alice',
  );
  assert.equal(
    formatAuditLine(event({ kind: 'aws.write', operation: 'PutBucketPolicy', outcome: 'ok', requestId: 'R1', beforeSha256: 'b'.repeat(64), afterSha256: 'c'.repeat(64), before: '{"Statement":[]}' }, 9)),
    '#9 aws.write PutBucketPolicy → ok before sha256:bbbbbbbbbbbb after sha256:cccccccccccc request R1 by arn:aws:iam::111122223333:user/alice',
  );
  assert.equal(formatAuditLine(event({ kind: 'scan.finished', detail: { accounts: 40, locked: 2 } })), '#3 scan.finished accounts=40 locked=2 by arn:aws:iam::111122223333:user/alice');
  const long = formatAuditLine(event({ kind: 'error', error: 'x'.repeat(1000) }));
  assert.ok(long.length < 420 && !long.includes('\n'));
});

test('levels: failures are errors, refusals and expiries are warnings, the rest info', () => {
  assert.equal(auditLevel(event({ kind: 'assumeRoot.failed' })), 'error');
  assert.equal(auditLevel(event({ kind: 'aws.write', outcome: 'error' })), 'error');
  assert.equal(auditLevel(event({ kind: 'guardrail.refused' })), 'warn');
  assert.equal(auditLevel(event({ kind: 'session.expired' })), 'warn');
  assert.equal(auditLevel(event({ kind: 'aws.read', outcome: 'denied' })), 'warn');
  assert.equal(auditLevel(event({ kind: 'decision', decision: 'cancel', outcome: 'cancelled' })), 'info');
  assert.equal(auditLevel(event({ kind: 'intent' })), 'info');
});
