/** The hash algorithms RFC 6238 names and otplib implements. */
export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** How a token's codes are computed. Defaults (SHA1, 6 digits, 30 s) are what AWS virtual MFA uses. */
export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
}

/**
 * One token as listed in global state: everything except the secret, which lives only in
 * SecretStorage under `secretKey(id)`.
 */
export interface TokenMeta extends TotpParams {
  /** Stable id (the secret's storage key is derived from it, so a rename never touches the secret). */
  id: string;
  label: string;
  /** The 12-digit AWS account whose root user this token belongs to, when linked. */
  accountId?: string;
  /** The issuer named by an otpauth:// URI, shown as detail only. */
  issuer?: string;
}

/** What the caller (the add command, or a test passing arguments) provides. */
export interface AddTokenInput {
  label?: string;
  /** A base32 secret or an `otpauth://totp/...` URI. */
  secret: string;
  accountId?: string;
  /** Overrides for a bare base32 secret; a URI carries its own. */
  algorithm?: string;
  digits?: number;
  period?: number;
}

export type TotpAuditKind = 'totp.added' | 'totp.removed' | 'totp.revealed' | 'totp.copied';

/**
 * The audit trail's record function (AuditTrail.record), injected. Details carry the label, the
 * token id and how it happened, never the code or the secret.
 */
export type RecordAudit = (input: {
  kind: TotpAuditKind;
  detail?: Record<string, string | number | boolean>;
  accountId?: string;
}) => Promise<unknown>;
