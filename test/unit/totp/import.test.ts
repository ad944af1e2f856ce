// TOTP import: QR images generated here from known URIs (qrcode) decode to the right seeds, as
// PNG and JPEG; a Google Authenticator export with several tokens, encoded here with protobufjs
// from the published schema (not with our reader), decodes to each seed and its parameters;
// damaged or QR-less images give clear errors that quote nothing of their content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import protobuf from 'protobufjs';
import QRCode from 'qrcode';
import { base32Bytes } from '../../support/base32';
import { decodeQrImage } from '../../../src/core/totp/qr';
import { base32Encode, importCandidates } from '../../../src/core/totp/importTokens';
import { decodeMigrationUri } from '../../../src/core/totp/migration';
import type { TokenMeta } from '../../../src/core/totp';

const SCHEMA = `
syntax = "proto3";
message MigrationPayload {
  enum Algorithm { ALGORITHM_UNSPECIFIED = 0; SHA1 = 1; SHA256 = 2; SHA512 = 3; MD5 = 4; }
  enum DigitCount { DIGIT_COUNT_UNSPECIFIED = 0; SIX = 1; EIGHT = 2; }
  enum OtpType { OTP_TYPE_UNSPECIFIED = 0; HOTP = 1; TOTP = 2; }
  message OtpParameters {
    bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4;
    DigitCount digits = 5; OtpType type = 6; int64 counter = 7;
  }
  repeated OtpParameters otp_parameters = 1; int32 version = 2; int32 batch_size = 3;
  int32 batch_index = 4; int32 batch_id = 5;
}`;
const Payload = protobuf.parse(SCHEMA).root.lookupType('MigrationPayload');

function migrationUri(tokens: object[], batch = { batchSize: 1, batchIndex: 0 }): string {
  const bytes = Payload.encode(Payload.create({ otpParameters: tokens, version: 1, batchId: 7, ...batch })).finish();
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(bytes).toString('base64'))}`;
}

const png = (text: string) => QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });

function toJpeg(pngBytes: Buffer): Buffer {
  const img = PNG.sync.read(pngBytes);
  return jpeg.encode({ data: img.data, width: img.width, height: img.height }, 95).data;
}

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Amazon%20Web%20Services:root@acme.example?secret=${SEED}&issuer=Amazon%20Web%20Services&digits=8&period=60&algorithm=SHA256`;

test('a QR image of an otpauth URI (PNG and JPEG) decodes to its seed and parameters', async () => {
  const image = await png(URI);
  for (const bytes of [image, toJpeg(image)]) {
    const text = decodeQrImage(new Uint8Array(bytes));
    assert.equal(text, URI);
    const [c] = importCandidates(text, []);
    assert.equal(c!.input!.secret, SEED);
    assert.deepEqual([c!.input!.algorithm, c!.input!.digits, c!.input!.period], ['sha256', 8, 60]);
    assert.equal(c!.input!.label, 'Amazon Web Services:root@acme.example');
    assert.equal(c!.issuer, 'Amazon Web Services');
  }
});

test('a migration export with several tokens decodes to each seed, through its QR image too', async () => {
  const seeds = [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), Uint8Array.from({ length: 20 }, (_, i) => 255 - i * 7), Uint8Array.from({ length: 32 }, (_, i) => i * 5)];
  const uri = migrationUri([
    { secret: seeds[0], name: 'mgmt-root', issuer: 'AWS', algorithm: 1, digits: 1, type: 2 },
    { secret: seeds[1], name: 'GitHub:alice', issuer: 'GitHub', algorithm: 3, digits: 2, type: 2 },
    { secret: seeds[2], name: 'bare', issuer: '', algorithm: 0, digits: 0, type: 2 },
    { secret: seeds[0], name: 'counter', issuer: 'Old VPN', algorithm: 1, digits: 1, type: 1, counter: 5 },
  ], { batchSize: 2, batchIndex: 1 });
  const batch = decodeMigrationUri(decodeQrImage(new Uint8Array(await png(uri))));
  assert.equal(batch.entries.length, 4);
  assert.deepEqual([batch.batchIndex, batch.batchSize], [2, 2]);
  assert.deepEqual(batch.entries.slice(0, 3).map((e) => [...e.secret]), seeds.map((s) => [...s]));

  const existing = [{ label: 'aws:mgmt-root' }] as TokenMeta[];
  const candidates = importCandidates(uri, existing);
  const added = candidates.filter((c) => c.input);
  assert.deepEqual(added.map((c) => c.input!.label), ['AWS:mgmt-root (2)', 'GitHub:alice', 'bare']);
  assert.deepEqual(added.map((c) => [...base32Bytes(c.input!.secret)]), seeds.map((s) => [...s]), 'the base32 seeds are the exported bytes');
  assert.deepEqual(added.map((c) => [c.input!.algorithm, c.input!.digits, c.input!.period]), [['sha1', 6, 30], ['sha512', 8, 30], ['sha1', 6, 30]]);
  const skipped = candidates.filter((c) => c.skipped);
  assert.deepEqual(skipped.map((c) => c.name), ['Old VPN:counter']);
  assert.match(skipped[0]!.skipped!, /HOTP/);
});

test('base32 of bytes matches the RFC 4648 test vectors (unpadded)', () => {
  const enc = (s: string) => base32Encode(new TextEncoder().encode(s));
  assert.deepEqual(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc), ['', 'MY', 'MZXQ', 'MZXW6', 'MZXW6YQ', 'MZXW6YTB', 'MZXW6YTBOI']);
});

test('damaged images, images without a QR code and other files give clear errors', async () => {
  const image = await png(URI);
  assert.throws(() => decodeQrImage(new Uint8Array(image.subarray(0, image.length / 2))), /PNG image is damaged or truncated/);
  const broken = Buffer.from(image);
  broken.fill(0x41, 60, 200);
  assert.throws(() => decodeQrImage(new Uint8Array(broken)), /PNG image is damaged or truncated/);
  const jpg = toJpeg(image);
  assert.throws(() => decodeQrImage(new Uint8Array(jpg.subarray(0, 40))), /JPEG image is damaged or truncated/);
  assert.throws(() => decodeQrImage(new TextEncoder().encode(URI)), (err: Error) => /neither PNG nor JPEG/.test(err.message) && !err.message.includes(SEED));
  const blank = new PNG({ width: 64, height: 64 });
  blank.data.fill(255);
  assert.throws(() => decodeQrImage(new Uint8Array(PNG.sync.write(blank))), /No QR code was found/);
});

test('text without a token, a damaged export and bad URIs are refused without quoting secrets', () => {
  assert.throws(() => importCandidates('hello', []), /No TOTP token found/);
  assert.throws(() => importCandidates('otpauth-migration://offline?data=CgkKBQ', []), /damaged/);
  assert.throws(() => importCandidates('otpauth-migration://offline?data=%%%', []), /damaged|no data/);
  const [hotp] = importCandidates(`otpauth://hotp/x?secret=${SEED}&counter=1`, []);
  assert.match(hotp!.skipped!, /HOTP/);
  assert.ok(!hotp!.skipped!.includes(SEED));
});
