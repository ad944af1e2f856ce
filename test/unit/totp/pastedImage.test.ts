// What a paste into the TOTP import's paste target yields: the first image's bytes (by MIME type,
// or by file name when the platform gives no type), or a clear refusal for text and for files that
// are not images, without reading anything; a damaged pasted image gets the decoder's own error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { UserError } from '../../../src/core/errors';
import { pastedImageBytes, refusal, type PastedItem } from '../../../src/core/totp/pastedImage';
import { decodeQrImage } from '../../../src/core/totp/qr';

const URI = 'otpauth://totp/Paste:unit?secret=JBSWY3DPEHPK3PXP&issuer=Paste';

/** A pasted file that counts its reads. */
function file(name: string, bytes: Uint8Array) {
  const reads = { count: 0 };
  return { reads, file: { name, data: async () => (reads.count++, bytes) } };
}

test('a text-only paste is refused with a message that says what to copy, and nothing is read', async () => {
  const items: PastedItem[] = [{ mime: 'text/plain' }, { mime: 'text/html' }];
  const why = refusal(items);
  assert.match(why ?? '', /no image, only text/);
  assert.match(why ?? '', /otpauth URI from the clipboard/);
  await assert.rejects(pastedImageBytes(items), (err: Error) => err instanceof UserError && err.message === why);
  assert.match(refusal([]) ?? '', /no image/);
});

test('a pasted file that is not an image is refused without reading it', async () => {
  const pdf = file('report.pdf', new TextEncoder().encode('%PDF-1.7'));
  const items: PastedItem[] = [{ mime: 'application/pdf', file: pdf.file }, { mime: 'text/uri-list' }];
  assert.match(refusal(items) ?? '', /pasted file is not an image/);
  await assert.rejects(pastedImageBytes(items), /pasted file is not an image/);
  assert.equal(pdf.reads.count, 0);
});

test('the image among other formats is the one read, and its QR code decodes', async () => {
  const png = await QRCode.toBuffer(URI, { type: 'png' });
  const image = file('image.png', png);
  const items: PastedItem[] = [{ mime: 'text/html' }, { mime: 'image/png', file: image.file }];
  assert.equal(refusal(items), undefined);
  const bytes = await pastedImageBytes(items);
  assert.equal(image.reads.count, 1);
  assert.equal(decodeQrImage(bytes), URI);
});

test('a file without a MIME type is taken as an image by its name', async () => {
  const png = await QRCode.toBuffer(URI, { type: 'png' });
  const bytes = await pastedImageBytes([{ mime: '', file: file('Screenshot.PNG', png).file }]);
  assert.equal(decodeQrImage(bytes), URI);
});

test('a damaged or foreign pasted image gets the decoder\'s clear error, quoting nothing of it', async () => {
  const png = await QRCode.toBuffer(URI, { type: 'png' });
  const truncated = await pastedImageBytes([{ mime: 'image/png', file: file('image.png', png.subarray(0, 80)).file }]);
  assert.throws(() => decodeQrImage(truncated), (err: Error) => err instanceof UserError && /PNG image is damaged or truncated/.test(err.message));
  const gif = await pastedImageBytes([{ mime: 'image/gif', file: file('image.gif', new TextEncoder().encode('GIF89a' + URI)).file }]);
  assert.throws(() => decodeQrImage(gif), (err: Error) => /neither PNG nor JPEG/.test(err.message) && !err.message.includes('JBSWY3DP'));
});
