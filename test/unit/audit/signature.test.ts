import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../../src/core/audit/backoff';
import { secretKey, signature, webhookHeaders } from '../../../src/core/audit/webhookSignature';

test('signatures match the published Standard Webhooks test vector', () => {
  const key = secretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
  assert.equal(signature(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  // The prefix is optional, as in the reference libraries.
  assert.deepEqual(secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), key);
});

test('during a rotation both secrets sign, space-separated', () => {
  const current = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
  const previous = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const headers = webhookHeaders('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', [current, previous]);
  const [first, second] = headers['webhook-signature']!.split(' ');
  assert.equal(second, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  assert.equal(first, signature(secretKey(current), 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'));
  assert.equal(headers['webhook-id'], 'msg_p5jXN8AQM9LWM0D4loKWxJek');
  assert.equal(headers['webhook-timestamp'], '1614265330');
  assert.throws(() => webhookHeaders('id', 1, '{}', []), /No signing secret/);
});

test('malformed or weak secrets are refused without being quoted', () => {
  for (const bad of ['whsec_not base64!', 'whsec_c2hvcnQ=', `whsec_${Buffer.alloc(65).toString('base64')}`]) {
    assert.throws(() => secretKey(bad), (err: Error) => !err.message.includes(bad.slice(6)));
  }
});

test('backoff doubles up to the cap, with jitter within the upper half', () => {
  const options = { baseMs: 1000, maxMs: 60_000 };
  assert.deepEqual([1, 2, 3, 4, 7, 8, 50].map((n) => backoffDelay(n, options, () => 1)), [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, options, () => 0)), [500, 1000, 2000]);
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options)));
  assert.ok(spread.size > 10, 'no jitter');
  for (const d of spread) assert.ok(d >= 2000 && d <= 4000);
});
