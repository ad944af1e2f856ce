import { TotpInputError, parseSecretInput } from './secret';
import type { AddTokenInput, TokenMeta } from './types';

export const MAX_LABEL_LENGTH = 64;
// Printable names only: the label is shown in the status bar, where `$(...)` would render an icon.
const LABEL_PATTERN = /^[\p{L}\p{N} ._:@+/()#-]+$/u;

/** Trims and checks a label; `existing` is the current list, `exceptId` the token being renamed. */
export function checkLabel(raw: string | undefined, existing: readonly TokenMeta[], exceptId?: string): string {
  const label = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (!label) throw new TotpInputError('label', 'Enter a label for the token, e.g. "mgmt-root".');
  if (label.length > MAX_LABEL_LENGTH) {
    throw new TotpInputError('label', `The label is too long: at most ${MAX_LABEL_LENGTH} characters.`);
  }
  if (!LABEL_PATTERN.test(label)) {
    throw new TotpInputError('label', 'The label may contain letters, digits, spaces and . _ - : @ + / ( ) # only.');
  }
  // Case-insensitive: "Mgmt-Root" next to "mgmt-root" would be two tokens nobody can tell apart.
  const clash = existing.find((t) => t.id !== exceptId && t.label.toLowerCase() === label.toLowerCase());
  if (clash) throw new TotpInputError('label', `A token labelled "${clash.label}" already exists: choose another label.`);
  return label;
}

/** An optional 12-digit AWS account id; empty means "not linked". */
export function checkAccountId(raw: string | undefined): string | undefined {
  const id = (raw ?? '').trim();
  if (!id) return undefined;
  if (!/^\d{12}$/.test(id)) throw new TotpInputError('accountId', 'An AWS account id is exactly 12 digits (leave it empty to link no account).');
  return id;
}

/** A token that passed every check: its list entry (without id) and the secret for SecretStorage. */
export interface ValidToken {
  meta: Omit<TokenMeta, 'id'>;
  secret: string;
}

/**
 * Checks everything before anything is stored. A URI's own label is used when none is given.
 * Throws TotpInputError (field + clear message, never the secret) on the first problem.
 */
export function validateNewToken(input: AddTokenInput, existing: readonly TokenMeta[]): ValidToken {
  if (typeof input.secret !== 'string') throw new TotpInputError('secret', 'Enter a base32 secret or an otpauth://totp/ URI.');
  const parsed = parseSecretInput(input.secret, input);
  const label = checkLabel(input.label?.trim() ? input.label : parsed.uriLabel, existing);
  const accountId = checkAccountId(input.accountId);
  const meta: Omit<TokenMeta, 'id'> = { label, ...parsed.params };
  if (accountId) meta.accountId = accountId;
  if (parsed.issuer) meta.issuer = parsed.issuer;
  return { meta, secret: parsed.base32 };
}
