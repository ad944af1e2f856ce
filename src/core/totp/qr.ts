// QR codes in images: PNG (pngjs) or JPEG (jpeg-js) decoded to RGBA in memory, then jsQR. A
// bundle of its own (dist/qr.js), required on first use through qrEngine.ts: only an import
// needs it. Errors say what is wrong with the image, never what it contains.
import jsQR from 'jsqr';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { UserError } from '../errors';

/** Images larger than this are refused before decoding (a QR screenshot is far smaller). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;

interface Rgba {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function pixels(bytes: Uint8Array): Rgba {
  if (bytes.length > MAX_IMAGE_BYTES) throw new UserError(`The image is too large (over ${MAX_IMAGE_BYTES / 1024 / 1024} MiB) to be a QR code export.`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) {
    try {
      const png = PNG.sync.read(buffer);
      return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
    } catch {
      throw new UserError('The PNG image is damaged or truncated: it could not be decoded.');
    }
  }
  if (isJpeg(bytes)) {
    try {
      const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1_000_000, maxMemoryUsageInMB: 512 });
      return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height };
    } catch {
      throw new UserError('The JPEG image is damaged or truncated: it could not be decoded.');
    }
  }
  throw new UserError('The image is neither PNG nor JPEG: only those two formats are read.');
}

/** The text of the QR code in a PNG or JPEG image. */
export function decodeQrImage(bytes: Uint8Array): string {
  const { data, width, height } = pixels(bytes);
  if (width * height > MAX_PIXELS) throw new UserError('The image has too many pixels to be a QR code export.');
  const found = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  data.fill(0);
  if (!found?.data) throw new UserError('No QR code was found in the image.');
  return found.data;
}
