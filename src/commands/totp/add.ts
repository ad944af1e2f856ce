import * as vscode from 'vscode';
import { checkAccountId, checkLabel, parseSecretInput, type AddTokenInput, type TokenMeta, type TotpService } from '../../core/totp';
import { ask, validator } from './pick';

/**
 * Add TOTP Token. Called with `{ label, secret, accountId?, algorithm?, digits?, period? }` (a
 * base32 secret or an otpauth://totp/ URI) it prompts for nothing; otherwise it asks for the
 * label, the linked account (prefilled from an `accountId` argument, e.g. a tree node) and the
 * secret. Returns the new token's list entry, which holds no secret.
 */
export async function addTotpToken(service: TotpService, args: unknown): Promise<TokenMeta> {
  const given = (args ?? {}) as Partial<AddTokenInput>;
  const input = typeof given.secret === 'string' ? given as AddTokenInput : await prompt(service, given.accountId);
  const token = await service.add(input);
  const linked = token.accountId ? ` (linked to account ${token.accountId})` : '';
  void vscode.window.showInformationMessage(`TOTP token "${token.label}" added${linked}. Its secret is kept in VS Code's secret storage only.`);
  return token;
}

async function prompt(service: TotpService, accountId: unknown): Promise<AddTokenInput> {
  const title = 'Add TOTP Token';
  const label = await ask({
    title: `${title} (1/3)`,
    prompt: 'A label for the status bar, e.g. the account\'s name',
    placeHolder: 'mgmt-root',
    validateInput: validator((v) => checkLabel(v, service.store.list())),
  });
  const account = await ask({
    title: `${title} (2/3)`,
    prompt: 'The 12-digit AWS account id of this root user, to show the token on the account in the tree (optional)',
    value: typeof accountId === 'string' ? accountId : '',
    validateInput: validator(checkAccountId),
  });
  const secret = await ask({
    title: `${title} (3/3)`,
    prompt: 'The base32 secret (e.g. "Show secret key" when the MFA device was created) or an otpauth://totp/ URI',
    password: true,
    validateInput: validator((v) => parseSecretInput(v)),
  });
  return { label, accountId: account, secret };
}
