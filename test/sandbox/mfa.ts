// Virtual MFA codes as STS checks them for AssumeRole's SerialNumber/TokenCode: RFC 6238 (SHA-1,
// 6 digits, 30 s) over the device's seeded base32 secret, accepting the step before and after
// for clock drift as AWS does. Written with node:crypto so it shares nothing with the extension.
import { createHmac } from 'node:crypto';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '')) {
    value = ((value << 5) | alphabet.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpCode(seed: string, epochMs: number, step = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(epochMs / 30_000) + step));
  const mac = createHmac('sha1', base32(seed)).update(counter).digest();
  const at = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Whether `code` is the device's code now or one step either side. */
export function mfaCodeValid(seed: string, code: string, now: Date): boolean {
  return [-1, 0, 1].some((step) => totpCode(seed, now.getTime(), step) === code);
}
