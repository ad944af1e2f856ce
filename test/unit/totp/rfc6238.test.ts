import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScureBase32Plugin } from 'otplib';
import { formatCode, normalizeBase32, totpAt, type TotpAlgorithm } from '../../../src/core/totp';

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's size.
const seed = (bytes: number): Uint8Array => new TextEncoder().encode('1234567890'.repeat(7).slice(0, bytes));
const seeds: Record<TotpAlgorithm, Uint8Array> = { sha1: seed(20), sha256: seed(32), sha512: seed(64) };

const vectors: [number, string, TotpAlgorithm][] = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
];

test('the seeds have the sizes of RFC 6238 Appendix B', () => {
  assert.deepEqual([seeds.sha1.length, seeds.sha256.length, seeds.sha512.length], [20, 32, 64]);
  assert.equal(new TextDecoder().decode(seeds.sha512), '1234567890123456789012345678901234567890123456789012345678901234');
});

for (const [time, expected, algorithm] of vectors) {
  test(`RFC 6238 Appendix B: T=${time} ${algorithm.toUpperCase()} → ${expected}`, () => {
    const params = { algorithm, digits: 8, period: 30 };
    assert.equal(totpAt(seeds[algorithm], params, time * 1000).code, expected);
    // The same seed as a user would paste it (base32), through the store's decoding path.
    const pasted = new ScureBase32Plugin().encode(seeds[algorithm]).toLowerCase();
    assert.equal(totpAt(normalizeBase32(pasted).bytes, params, time * 1000 + 999).code, expected);
  });
}

test('seconds left count down to the end of the 30 s step', () => {
  const params = { algorithm: 'sha1' as const, digits: 6, period: 30 };
  assert.equal(totpAt(seeds.sha1, params, 59_000).secondsLeft, 1);
  assert.equal(totpAt(seeds.sha1, params, 60_000).secondsLeft, 30);
  assert.equal(totpAt(seeds.sha1, params, 60_999).secondsLeft, 30);
  assert.equal(totpAt(seeds.sha1, params, 73_500).secondsLeft, 17);
  assert.equal(totpAt(seeds.sha1, { ...params, period: 60 }, 73_500).secondsLeft, 47);
});

test('six-digit codes are the low digits of the eight-digit ones (RFC 4226 truncation)', () => {
  const params = { algorithm: 'sha1' as const, digits: 6, period: 30 };
  assert.equal(totpAt(seeds.sha1, params, 59_000).code, '287082');
  assert.equal(totpAt(seeds.sha1, { ...params, digits: 7 }, 59_000).code, '4287082');
});

test('codes are shown in two halves', () => {
  assert.equal(formatCode('492039'), '492 039');
  assert.equal(formatCode('4287082'), '428 7082');
  assert.equal(formatCode('94287082'), '9428 7082');
});
