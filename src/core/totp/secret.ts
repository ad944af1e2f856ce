import { UserError } from '../errors';
import { otp } from './otpEngine';
import type { UriParse } from './otp';
import type { TotpAlgorithm, TotpParams } from './types';

/**
 * RFC 4226 §4 (R6): the shared secret MUST be at least 128 bits (otplib's default floor). Many
 * issuers still hand out 80-bit seeds (16 base32 characters, e.g. `JBSWY3DPEHPK3PXP`): those are
 * accepted with a warning, since refusing them leaves the person with no code at all.
 */
export const RECOMMENDED_SECRET_BYTES = 16;
/** Below 80 bits no issuer we know of goes; shorter input is a truncated paste, not a seed. */
export const MIN_SECRET_BYTES = 10;
/** Not an RFC limit: otplib's guardrail (a 512-bit key, SHA512's full block). */
export const MAX_SECRET_BYTES = 64;
/** RFC 4226 allows 6–8 digit codes; the otpauth key URI format defines 6 and 8, otplib also 7. */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 8;
/** otplib's guardrails for the time step: 1 s to one hour. RFC 6238 recommends 30 s. */
export const MIN_PERIOD = 1;
export const MAX_PERIOD = 3600;
export const DEFAULT_PARAMS: TotpParams = { algorithm: 'sha1', digits: 6, period: 30 };

export type TotpField = 'label' | 'accountId' | 'secret' | 'algorithm' | 'digits' | 'period';

/**
 * Bad token input, with the field it concerns so an input box can show it in place. Messages
 * never quote the secret (nor any part of it, nor a URI that carries it).
 */
export class TotpInputError extends UserError {
  constructor(readonly field: TotpField, message: string) {
    super(message);
    this.name = 'TotpInputError';
  }
}

/** A validated secret: normalized base32 (what SecretStorage holds) plus the code parameters. */
export interface ParsedSecret {
  base32: string;
  params: TotpParams;
  issuer?: string;
  /** The label inside an otpauth URI (`Issuer:account`), offered when the caller gave none. */
  uriLabel?: string;
  /** Accepted, but worth saying (a seed shorter than RFC 4226 asks for). Never quotes the secret. */
  warning?: string;
}

export interface ParamOverrides {
  algorithm?: string;
  digits?: number;
  period?: number;
}

/**
 * Normalizes a base32 secret as sites print it (lower case, groups split by spaces or hyphens,
 * `=` padding), checks it decodes, and checks its length against the limits above.
 */
export function normalizeBase32(input: string): { base32: string; bytes: Uint8Array; warning?: string } {
  const text = input.replace(/[\s-]+/g, '').toUpperCase().replace(/=+$/, '');
  if (!text) throw new TotpInputError('secret', 'Enter a base32 secret or an otpauth://totp/ URI.');
  if (!/^[A-Z2-7]+$/.test(text)) {
    throw new TotpInputError('secret', 'The secret is not valid base32: only the letters A–Z and the digits 2–7 may appear.');
  }
  let bytes: Uint8Array;
  try {
    bytes = otp().decodeBase32(text);
  } catch {
    // The decoder's own message quotes the offending character; ours must not.
    throw new TotpInputError('secret', 'The secret is not valid base32: its length or last character cannot end a base32 string (was a character lost?).');
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new TotpInputError('secret',
      `The secret is too short: ${bytes.length} bytes (${bytes.length * 8} bits); TOTP seeds are at least ${MIN_SECRET_BYTES} bytes (80 bits, 16 base32 characters). Was part of it lost when copying?`);
  }
  if (bytes.length > MAX_SECRET_BYTES) {
    throw new TotpInputError('secret', `The secret is too long: ${bytes.length} bytes; at most ${MAX_SECRET_BYTES} bytes are supported.`);
  }
  return bytes.length < RECOMMENDED_SECRET_BYTES ? { base32: text, bytes, warning: shortSecretWarning(bytes.length) } : { base32: text, bytes };
}

/** Said when a short seed is accepted: what it means, and that the codes are still right. */
export function shortSecretWarning(bytes: number): string {
  return `This secret is ${bytes * 8} bits, shorter than the 128 bits RFC 4226 asks for. Its codes are still correct (many issuers use 80-bit seeds); ask the issuer for a longer seed when you can.`;
}

export function normalizeAlgorithm(value: string): TotpAlgorithm {
  const name = value.trim().toLowerCase().replace(/[-_]/g, '');
  if (name === 'sha1' || name === 'sha256' || name === 'sha512') return name;
  throw new TotpInputError('algorithm', `Unsupported algorithm "${value.trim().slice(0, 16)}": use SHA1, SHA256 or SHA512.`);
}

export function checkDigits(value: number): number {
  if (Number.isInteger(value) && value >= MIN_DIGITS && value <= MAX_DIGITS) return value;
  throw new TotpInputError('digits', `Unsupported number of digits ${String(value).slice(0, 16)}: use ${MIN_DIGITS}, 7 or ${MAX_DIGITS}.`);
}

export function checkPeriod(value: number): number {
  if (Number.isInteger(value) && value >= MIN_PERIOD && value <= MAX_PERIOD) return value;
  throw new TotpInputError('period', `Unsupported period ${String(value).slice(0, 16)}: use whole seconds from ${MIN_PERIOD} to ${MAX_PERIOD} (usually 30).`);
}

/**
 * Parses what the user pasted: a bare base32 secret (code parameters from `overrides`, else the
 * RFC defaults) or an `otpauth://totp/...` URI (parameters from the URI; `overrides` ignored).
 */
export function parseSecretInput(input: string, overrides: ParamOverrides = {}): ParsedSecret {
  const text = input.trim();
  // Base32 never contains a colon, so anything with a scheme is meant as a URI.
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return parseUri(text);
  const { base32: normalized, warning } = normalizeBase32(text);
  return {
    base32: normalized,
    params: {
      algorithm: overrides.algorithm === undefined ? DEFAULT_PARAMS.algorithm : normalizeAlgorithm(overrides.algorithm),
      digits: overrides.digits === undefined ? DEFAULT_PARAMS.digits : checkDigits(overrides.digits),
      period: overrides.period === undefined ? DEFAULT_PARAMS.period : checkPeriod(overrides.period),
    },
    ...(warning ? { warning } : {}),
  };
}

function parseUri(text: string): ParsedSecret {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'otpauth') {
    throw new TotpInputError('secret', `Not an otpauth URI (scheme "${scheme?.slice(0, 16)}"): expected otpauth://totp/LABEL?secret=...`);
  }
  const uri = `otpauth${text.slice(scheme.length)}`;
  const type = /^otpauth:\/\/([^/?#]*)/.exec(uri)?.[1]?.toLowerCase();
  if (type === 'hotp') {
    throw new TotpInputError('secret', 'This is an otpauth://hotp URI (counter-based HOTP); only time-based otpauth://totp/ tokens are supported.');
  }
  if (type !== 'totp') {
    throw new TotpInputError('secret', 'Malformed otpauth URI: expected otpauth://totp/LABEL?secret=...');
  }
  // Scheme and type are case-insensitive (RFC 3986); the parser accepts them in lower case only.
  const canonical = `otpauth://totp${uri.slice('otpauth://totp'.length)}`;
  const parsed = otp().parseTotpUri(canonical);
  if (!parsed.ok) throw uriError(parsed, uri);
  const { base32: normalized, warning } = normalizeBase32(parsed.secret);
  return {
    base32: normalized,
    params: {
      algorithm: parsed.algorithm ?? DEFAULT_PARAMS.algorithm,
      digits: parsed.digits === undefined ? DEFAULT_PARAMS.digits : checkDigits(parsed.digits),
      period: parsed.period === undefined ? DEFAULT_PARAMS.period : checkPeriod(parsed.period),
    },
    issuer: parsed.issuer,
    uriLabel: parsed.label,
    ...(warning ? { warning } : {}),
  };
}

function uriError(failure: Exclude<UriParse, { ok: true }>, uri: string): TotpInputError {
  if (failure.problem === 'missingSecret') {
    return new TotpInputError('secret', 'The otpauth URI has no secret parameter.');
  }
  if (failure.problem === 'invalidParameter') {
    // The parser names the parameter; the value is read back from the query ourselves, and only
    // for parameters that are not the secret.
    const param = failure.param;
    const value = queryValue(uri, param);
    if (param === 'algorithm') return new TotpInputError('algorithm', `Unsupported algorithm "${value}" in the URI: use SHA1, SHA256 or SHA512.`);
    if (param === 'digits') return new TotpInputError('digits', `Unsupported digits "${value}" in the URI: use ${MIN_DIGITS}, 7 or ${MAX_DIGITS}.`);
    if (param === 'period') return new TotpInputError('period', `Unsupported period "${value}" in the URI: use whole seconds from ${MIN_PERIOD} to ${MAX_PERIOD}.`);
  }
  return new TotpInputError('secret', 'Malformed otpauth URI (bad encoding or too long): expected otpauth://totp/LABEL?secret=...');
}

function queryValue(uri: string, param: string | undefined): string {
  if (!param || param === 'secret') return '';
  const query = uri.split('?')[1] ?? '';
  try {
    return (new URLSearchParams(query).get(param) ?? '').slice(0, 16);
  } catch {
    return '';
  }
}
