import * as vscode from 'vscode';
import { checkAccountId, checkLabel, parseSecretInput, type AddTokenInput, type TokenMeta, type TotpService } from '../../core/totp';
import { formatAccountId } from '../../core/tasks';
import type { Log } from '../../services/log';
import { noteDone } from '../notices';
import { ask, validator } from './pick';

/** A seed that is accepted but short: shown under the input box as a warning, not an error. */
function shortSeedNote(value: string): vscode.InputBoxValidationMessage | undefined {
  const warning = parseSecretInput(value).warning;
  return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
}

/**
 * Add TOTP Token. Called with `{ label, secret, accountId?, algorithm?, digits?, period? }` (a
 * base32 secret or an otpauth://totp/ URI) it prompts for nothing; otherwise it asks for the
 * label, the linked account (prefilled from an `accountId` argument, e.g. a tree node) and the
 * secret. Returns the new token's list entry, which holds no secret.
 */
export async function addTotpToken(service: TotpService, log: Log, args: unknown): Promise<TokenMeta> {
  const given = (args ?? {}) as Partial<AddTokenInput>;
  const input = typeof given.secret === 'string' ? given as AddTokenInput : await prompt(service, given.accountId);
  const token = await service.add(input);
  const linked = token.accountId ? ` (linked to account ${formatAccountId(token.accountId)})` : '';
  const added = `TOTP token "${token.label}" added${linked}. Its secret is kept in VS Code's secret storage only.`;
  // A short (e.g. 80-bit) seed is accepted; the one message says so instead of a second toast.
  const warning = parseSecretInput(input.secret, input).warning;
  if (warning) void vscode.window.showWarningMessage(`${added} ${warning}`);
  // The token shows in the status bar at once: a passing note there, not a toast.
  else noteDone(log, 'totp', added);
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
    validateInput: (v) => validator((x) => parseSecretInput(x))(v) ?? shortSeedNote(v),
  });
  return { label, accountId: account, secret };
}
