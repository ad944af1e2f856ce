// Identifiers in AWS's formats: random ones for issued credentials and request ids, stable ones
// (derived from a name) for everything a seed implies, so reloading a seed gives the same ids.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(bytes: Buffer, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i % bytes.length]! % alphabet.length];
  return out;
}

/** AKIA… (long-term) or ASIA… (temporary) key id: 20 characters. */
export function randomAccessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + pick(randomBytes(16), UPPER_ALNUM, 16);
}

/** A 40-character secret access key. */
export function randomSecretKey(): string {
  return pick(randomBytes(40), SECRET_CHARS, 40);
}

/** An opaque session token shaped like STS's (base64, a few hundred characters). */
export function randomSessionToken(): string {
  return 'IQoJb3JpZ2luX2Vj' + randomBytes(240).toString('base64');
}

export function requestId(): string {
  return randomUUID();
}

/** S3's x-amz-id-2 companion of the request id (randomUUID draws from a cached entropy pool). */
export function s3HostId(): string {
  return Buffer.from(randomUUID() + randomUUID(), 'latin1').toString('base64');
}

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** A deterministic string of `length` characters from `alphabet`, derived from `seed`. */
export function stableChars(seed: string, length: number, alphabet: 'upper' | 'lower' | 'hex'): string {
  if (alphabet === 'hex') return digest(seed).toString('hex').slice(0, length);
  return pick(digest(seed), alphabet === 'upper' ? UPPER_ALNUM : LOWER_ALNUM, length);
}

/** IAM unique ids: AIDA… users, AROA… roles (21 characters). */
export function stableUniqueId(prefix: 'AIDA' | 'AROA', seed: string): string {
  return prefix + stableChars(`${prefix}:${seed}`, 17, 'upper');
}

const canonicalIds = new Map<string, string>();

/** The 64-hex canonical user id S3 reports as a bucket owner. */
export function canonicalUserId(accountId: string): string {
  let id = canonicalIds.get(accountId);
  if (!id) {
    id = stableChars(`canonical:${accountId}`, 64, 'hex');
    canonicalIds.set(accountId, id);
  }
  return id;
}
