// SigV4 verification: parse the Authorization header, rebuild the request the client signed (only
// the headers it listed as signed) and recompute the signature with @smithy/signature-v4.
// Derived signing keys are cached by the signer (per key, day, region and service).
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';

export interface SigV4Auth {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export interface RawRequest {
  method: string;
  /** Path as received (still percent-encoded), without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** node:crypto behind the checksum interface the signer expects (`new Ctor(secret?)`). */
class Sha256 {
  private h: Hash | Hmac;
  private readonly secret?: string | Uint8Array;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined || typeof secret === 'string') this.secret = secret;
    else if (ArrayBuffer.isView(secret)) this.secret = new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength);
    else this.secret = new Uint8Array(secret);
    this.h = this.create();
  }
  private create(): Hash | Hmac {
    return this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(chunk: Uint8Array): void {
    this.h.update(chunk);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    this.h = this.create();
  }
}

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** The parsed header, 'missing' without one, or 'malformed' when it is not SigV4. */
export function parseAuthorization(header: string | undefined): SigV4Auth | 'missing' | 'malformed' {
  if (!header) return 'missing';
  const m = AUTH_RE.exec(header);
  if (!m) return 'malformed';
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: m[5]!.split(';'),
    signature: m[6]!,
  };
}

/** Parses x-amz-date (YYYYMMDDTHHMMSSZ). */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Splits a raw query string into decoded keys and values (repeated keys become arrays). */
export function parseQueryString(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Signers per key, service and region: the signer caches derived signing keys per credential. */
const signers = new Map<string, SignatureV4>();
const SIGNER_CACHE_LIMIT = 5000;

function signerFor(auth: SigV4Auth, secret: string): SignatureV4 {
  const key = `${auth.accessKeyId}|${auth.service}|${auth.region}|${secret}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
      region: auth.region,
      service: auth.service,
      sha256: Sha256,
      // S3 signs the path as sent; every other service double-encodes it.
      uriEscapePath: auth.service !== 's3',
      applyChecksum: false,
    });
    if (signers.size >= SIGNER_CACHE_LIMIT) signers.clear();
    signers.set(key, signer);
  }
  return signer;
}

/** Recomputes the signature the client should have sent for this request and secret. */
export async function expectedSignature(raw: RawRequest, auth: SigV4Auth, secret: string, signingDate: Date): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const v = raw.headers[name];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const signer = signerFor(auth, secret);
  const request = new HttpRequest({ method: raw.method, protocol: 'http:', hostname: 'sandbox', path: raw.path, query: raw.query, headers, body: raw.body });
  const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(auth.signedHeaders) });
  const m = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization));
  return m ? m[1]! : '';
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
