import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  TotpInputError, checkAccountId, checkLabel, parseSecretInput, validateNewToken, type TokenMeta,
} from '../../../src/core/totp';
import { normalizeBase32 } from '../../../src/core/totp/secret';
import { totpAt } from '../../../src/core/totp/code';

// 20 bytes ("12345678901234567890") in base32: the RFC 6238 SHA1 seed.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const existing: TokenMeta[] = [{ id: 't1', label: 'mgmt-root', algorithm: 'sha1', digits: 6, period: 30 }];

/** Asserts a TotpInputError for `field` whose message matches and never quotes the secret. */
function rejects(fn: () => unknown, field: string, message: RegExp, secret = SECRET): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TotpInputError, `expected TotpInputError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.match(err.message, message);
    for (const part of [secret, secret.toLowerCase(), secret.slice(0, 8)]) assert.ok(!err.message.includes(part), 'message quotes the secret');
    return true;
  });
}

test('a bare base32 secret gets the RFC defaults, normalized as sites print it', () => {
  const grouped = 'gezd gnbv-gy3t qojq gezd gnbv gy3t qojq====';
  assert.deepEqual(parseSecretInput(grouped), { base32: SECRET, params: { algorithm: 'sha1', digits: 6, period: 30 } });
  assert.deepEqual(parseSecretInput(SECRET, { algorithm: 'SHA-256', digits: 8, period: 60 }).params, { algorithm: 'sha256', digits: 8, period: 60 });
});

test('an otpauth://totp URI carries issuer, label, algorithm, digits and period', () => {
  const parsed = parseSecretInput(`otpauth://totp/ACME:root%40example.com?secret=${SECRET}&issuer=ACME&algorithm=SHA512&digits=8&period=60`);
  assert.deepEqual(parsed, {
    base32: SECRET,
    params: { algorithm: 'sha512', digits: 8, period: 60 },
    issuer: 'ACME',
    uriLabel: 'ACME:root@example.com',
  });
});

test('URI defaults, lower-case secret, upper-case scheme and type, parameter order', () => {
  assert.deepEqual(parseSecretInput(`otpauth://totp/x?secret=${SECRET.toLowerCase()}`).params, { algorithm: 'sha1', digits: 6, period: 30 });
  assert.equal(parseSecretInput(`OTPAUTH://TOTP/x?period=45&secret=${SECRET}`).params.period, 45);
  assert.equal(parseSecretInput(`  otpauth://totp/?algorithm=sha256&secret=${SECRET}  `).params.algorithm, 'sha256');
  assert.equal(parseSecretInput(`otpauth://totp/?secret=${SECRET}`).uriLabel, undefined);
  assert.equal(parseSecretInput(`otpauth://totp/x?secret=${SECRET}&digits=7`).params.digits, 7);
});

test('invalid base32 is refused without quoting it', () => {
  rejects(() => parseSecretInput('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1'), 'secret', /not valid base32: only the letters A–Z and the digits 2–7/, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1');
  rejects(() => parseSecretInput('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQG'), 'secret', /not valid base32: its length or last character/, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQG');
  rejects(() => parseSecretInput('   '), 'secret', /Enter a base32 secret/);
});

test('an 80-bit secret (under RFC 4226\'s 128 bits) is accepted with a warning; shorter or over 64 bytes is refused', () => {
  // 16 base32 characters = 10 bytes: what many sites still hand out, below the RFC minimum.
  const short = parseSecretInput('JBSWY3DPEHPK3PXP');
  assert.equal(short.base32, 'JBSWY3DPEHPK3PXP');
  assert.match(short.warning ?? '', /80 bits, shorter than the 128 bits RFC 4226 asks for/);
  assert.ok(!short.warning?.includes('JBSWY3DP'), 'the warning never quotes the secret');
  assert.match(parseSecretInput('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP').warning ?? '', /80 bits/);
  assert.equal(parseSecretInput(SECRET).warning, undefined, 'a 160-bit seed needs no warning');
  assert.equal(parseSecretInput('GEZDGNBVGY3TQOJQGEZDGNBVGY').warning, undefined); // exactly 16 bytes
  // 8 bytes: shorter than any issuer hands out, a truncated paste.
  rejects(() => parseSecretInput('JBSWY3DPEHPK2'), 'secret', /too short: 8 bytes \(64 bits\)/, 'JBSWY3DPEHPK2');
  rejects(() => parseSecretInput('A'.repeat(104 + 2)), 'secret', /too long: 66 bytes/, 'A'.repeat(106));
});

test('an 80-bit secret computes the same codes as other authenticators', () => {
  // Reference: the RFC 4226 HOTP algorithm on the 10-byte key at counter 1 (epoch 30..59 s).
  const key = Buffer.from('48656c6c6f21deadbeef', 'hex'); // JBSWY3DPEHPK3PXP decoded
  const { bytes } = normalizeBase32('JBSWY3DPEHPK3PXP');
  assert.deepEqual(Buffer.from(bytes), key);
  const mac = createHmac('sha1', key).update(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const expected = String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
  assert.equal(totpAt(bytes, { algorithm: 'sha1', digits: 6, period: 30 }, 45_000).code, expected);
});

test('unsupported algorithm, digits and period are refused, as overrides and in URIs', () => {
  rejects(() => parseSecretInput(SECRET, { algorithm: 'md5' }), 'algorithm', /Unsupported algorithm "md5": use SHA1, SHA256 or SHA512/);
  rejects(() => parseSecretInput(`otpauth://totp/x?secret=${SECRET}&algorithm=MD5`), 'algorithm', /Unsupported algorithm "MD5" in the URI/);
  rejects(() => parseSecretInput(SECRET, { digits: 9 }), 'digits', /use 6, 7 or 8/);
  rejects(() => parseSecretInput(SECRET, { digits: 5 }), 'digits', /use 6, 7 or 8/);
  rejects(() => parseSecretInput(`otpauth://totp/x?secret=${SECRET}&digits=10`), 'digits', /Unsupported digits "10" in the URI/);
  rejects(() => parseSecretInput(SECRET, { period: 0 }), 'period', /from 1 to 3600/);
  rejects(() => parseSecretInput(SECRET, { period: 7.5 }), 'period', /whole seconds/);
  rejects(() => parseSecretInput(`otpauth://totp/x?secret=${SECRET}&period=0`), 'period', /Unsupported period "0" in the URI/);
  rejects(() => parseSecretInput(`otpauth://totp/x?secret=${SECRET}&period=7200`), 'period', /from 1 to 3600/);
});

test('malformed and non-TOTP URIs are refused without echoing the URI', () => {
  rejects(() => parseSecretInput(`otpauth://hotp/x?secret=${SECRET}&counter=1`), 'secret', /otpauth:\/\/hotp URI \(counter-based HOTP\); only time-based/);
  rejects(() => parseSecretInput(`https://example.com/?secret=${SECRET}`), 'secret', /Not an otpauth URI \(scheme "https"\)/);
  rejects(() => parseSecretInput(`otpauth://steam/x?secret=${SECRET}`), 'secret', /Malformed otpauth URI/);
  rejects(() => parseSecretInput(`otpauth:totp/x?secret=${SECRET}`), 'secret', /Malformed otpauth URI/);
  rejects(() => parseSecretInput('otpauth://totp/x?issuer=ACME'), 'secret', /has no secret parameter/);
  rejects(() => parseSecretInput(`otpauth://totp/%E0%A4%A?secret=${SECRET}`), 'secret', /Malformed otpauth URI \(bad encoding or too long\)/);
  rejects(() => parseSecretInput(`otpauth://totp/x?secret=${SECRET}${'&a=b'.repeat(600)}`), 'secret', /too long/);
  rejects(() => parseSecretInput('otpauth://totp/x?secret=NOT-BASE32!'), 'secret', /not valid base32/, 'NOT-BASE32!');
});

test('labels: trimmed, bounded, printable, unique ignoring case', () => {
  assert.equal(checkLabel('  break  glass ', existing), 'break glass');
  assert.equal(checkLabel('mgmt-root', existing, 't1'), 'mgmt-root'); // renaming a token to itself
  rejects(() => checkLabel('', existing), 'label', /Enter a label/);
  rejects(() => checkLabel('x'.repeat(65), existing), 'label', /too long: at most 64/);
  rejects(() => checkLabel('$(zap) root', existing), 'label', /may contain letters, digits/);
  rejects(() => checkLabel('a\u0007b', existing), 'label', /may contain letters, digits/);
  rejects(() => checkLabel('MGMT-ROOT', existing), 'label', /A token labelled "mgmt-root" already exists/);
});

test('account ids: empty means unlinked, else exactly 12 digits', () => {
  assert.equal(checkAccountId(undefined), undefined);
  assert.equal(checkAccountId('  '), undefined);
  assert.equal(checkAccountId(' 111122223333 '), '111122223333');
  rejects(() => checkAccountId('11112222333'), 'accountId', /exactly 12 digits/);
  rejects(() => checkAccountId('1111-2222-3333'), 'accountId', /exactly 12 digits/);
});

test('validateNewToken: label from the input or else the URI, account link, issuer', () => {
  const uri = `otpauth://totp/AWS:root?secret=${SECRET}&issuer=AWS`;
  assert.deepEqual(validateNewToken({ secret: uri, accountId: '111122223333' }, existing), {
    meta: { label: 'AWS:root', algorithm: 'sha1', digits: 6, period: 30, accountId: '111122223333', issuer: 'AWS' },
    secret: SECRET,
  });
  assert.equal(validateNewToken({ label: 'prod', secret: uri }, existing).meta.label, 'prod');
  rejects(() => validateNewToken({ secret: SECRET }, existing), 'label', /Enter a label/);
  rejects(() => validateNewToken({ label: 'Mgmt-Root', secret: SECRET }, existing), 'label', /already exists/);
  rejects(() => validateNewToken({ label: 'x', secret: SECRET, accountId: '12' }, existing), 'accountId', /12 digits/);
  rejects(() => validateNewToken({ label: 'x', secret: undefined as unknown as string }, existing), 'secret', /Enter a base32/);
});
