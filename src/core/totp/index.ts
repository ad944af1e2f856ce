// TOTP for root users that still have MFA: parsing and validation, RFC 6238 codes, the token
// store over SecretStorage + global state, the audited operations, the status-bar display logic.
export type { AddTokenInput, RecordAudit, TokenMeta, TotpAlgorithm, TotpAuditKind, TotpParams } from './types';
export {
  DEFAULT_PARAMS, MAX_DIGITS, MAX_PERIOD, MAX_SECRET_BYTES, MIN_DIGITS, MIN_PERIOD, MIN_SECRET_BYTES,
  TotpInputError, normalizeBase32, parseSecretInput, type ParsedSecret, type TotpField,
} from './secret';
export { MAX_LABEL_LENGTH, checkAccountId, checkLabel, validateNewToken, type ValidToken } from './input';
export { formatCode, totpAt, type TotpNow } from './code';
export { STATE_KEY, TokenStore, secretKey, type SecretStore, type StateStore, type TokenRef } from './store';
export { ClipboardGuard, type Clipboard, type Timers } from './clipboard';
export { TotpService, type RevealVia } from './service';
export { TotpDisplay, type DisplayDeps, type StatusView } from './display';
export { isTokenStale, tokensForAccount } from './linking';
