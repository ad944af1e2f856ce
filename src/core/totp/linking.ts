import type { TokenMeta } from './types';

/** The tokens linked to one AWS account (for the organization tree), in list order. */
export function tokensForAccount(list: readonly TokenMeta[], accountId: string): TokenMeta[] {
  return list.filter((t) => t.accountId === accountId);
}

/**
 * A linked token is stale when the account's last root-credential audit found no MFA device on
 * the root user: the device the token belonged to was deactivated (e.g. by "delete root
 * credentials"), so its codes no longer sign anyone in. Without an audit, or for an unlinked
 * token, nothing is known and the token is not called stale.
 */
export function isTokenStale(token: TokenMeta, audit?: { mfaDevices: number }): boolean {
  return token.accountId !== undefined && audit !== undefined && audit.mfaDevices === 0;
}
