// The third-party TOTP code (otplib, @otplib/uri and, through them, @noble/hashes and
// @scure/base) behind three small functions. It is a bundle of its own (dist/otp.js), required on
// first use through otpEngine.ts: a quarter of the activation bundle's size otherwise, for a
// feature that computes its first code only after a secret has been read from SecretStorage.
import { createGuardrails, generateSync, ScureBase32Plugin } from 'otplib';
import { parse, InvalidParameterError, MissingParameterError } from '@otplib/uri';
import type { TotpAlgorithm } from './types';

// otplib refuses seeds under 128 bits by default; 80-bit seeds are common and accepted with a
// warning when added (secret.ts), so the floor here is the same 10 bytes.
const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10 });

/** RFC 6238 code for raw key bytes at a Unix time in seconds (T0 = the epoch). */
export function generateCode(secret: Uint8Array, params: { algorithm: TotpAlgorithm; digits: number; period: number }, epochSeconds: number): string {
  return generateSync({ strategy: 'totp', secret, algorithm: params.algorithm, digits: params.digits, period: params.period, epoch: epochSeconds, guardrails });
}

const base32 = new ScureBase32Plugin();

/** Decodes upper-case unpadded base32; throws on a length or final character that cannot end one. */
export function decodeBase32(text: string): Uint8Array {
  return base32.decode(text);
}

/**
 * An otpauth://totp URI, parsed. Failures carry no parser message: the parser's messages can quote
 * the whole URI, secret included; only the name of a bad parameter is passed on.
 */
export type UriParse =
  | { ok: true; label?: string; secret: string; issuer?: string; algorithm?: TotpAlgorithm; digits?: number; period?: number }
  | { ok: false; problem: 'missingSecret' | 'malformed' }
  | { ok: false; problem: 'invalidParameter'; param?: string };

export function parseTotpUri(uri: string): UriParse {
  try {
    const { label, params } = parse(uri);
    return {
      ok: true, label: label || undefined, secret: params.secret, issuer: params.issuer || undefined,
      algorithm: params.algorithm, digits: params.digits, period: params.period,
    };
  } catch (err) {
    if (err instanceof MissingParameterError) return { ok: false, problem: 'missingSecret' };
    if (err instanceof InvalidParameterError) return { ok: false, problem: 'invalidParameter', param: /parameter '([a-z]+)'/.exec(err.message)?.[1] };
    return { ok: false, problem: 'malformed' };
  }
}
