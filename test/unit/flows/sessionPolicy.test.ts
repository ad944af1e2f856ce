import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWritable, describeSession, formatCountdown, minRemaining, sessionDuration } from '../../../src/core/sessionPolicy';

test('duration is clamped to what AssumeRoot accepts', () => {
  assert.equal(sessionDuration(900), 900);
  assert.equal(sessionDuration(3600), 900);
  assert.equal(sessionDuration(0), 1);
  assert.equal(sessionDuration(-5), 1);
  assert.equal(sessionDuration(12.9), 12);
  assert.equal(sessionDuration(Number.NaN), 900);
  assert.equal(minRemaining(-1), 0);
  assert.equal(minRemaining(Number.NaN), 60);
});

test('countdown and status text', () => {
  assert.equal(formatCountdown(761), '12:41');
  assert.equal(formatCountdown(5), '0:05');
  assert.equal(formatCountdown(-3), '0:00');
  const now = new Date('2030-01-01T00:00:00Z');
  const expiresAt = new Date(now.getTime() + 761_500);
  assert.equal(describeSession({ task: 'S3UnlockBucketPolicy', accountId: '111122223333', expiresAt }, now), 'root · S3 unlock · 1111-2222-3333 · 12:41 left');
});

test('writes need a live session with at least the minimum lifetime left', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const at = (s: number) => new Date(now.getTime() + s * 1000);
  assert.deepEqual(checkWritable({ ended: false, expiresAt: at(61) }, now, 60), { ok: true });
  assert.deepEqual(checkWritable({ ended: false, expiresAt: at(60) }, now, 60), { ok: true });
  const short = checkWritable({ ended: false, expiresAt: at(59) }, now, 60);
  assert.equal(short.ok ? 'ok' : short.reason, 'tooLittleTime');
  assert.match(short.ok ? '' : short.message, /Only 59 s .* nothing was written/);
  const expired = checkWritable({ ended: true, expiresAt: at(0) }, now, 0);
  assert.equal(expired.ok ? 'ok' : expired.reason, 'expired');
  const ended = checkWritable({ ended: true, expiresAt: at(300) }, now, 60);
  assert.equal(ended.ok ? 'ok' : ended.reason, 'ended');
});
