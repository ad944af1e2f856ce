import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { checkLabel, type TotpService } from '../../core/totp';
import type { Log } from '../../services/log';
import { noteDone } from '../notices';
import { ask, pickToken, tokenRef, validator } from './pick';

/** Remove TOTP Token: `{ tokenId }` or `{ label }` removes without asking; else pick and confirm. */
export async function removeTotpToken(service: TotpService, log: Log, args: unknown): Promise<void> {
  const token = await pickToken(service.store, args, 'Token to remove');
  if (!tokenRef(args)) {
    const choice = await vscode.window.showWarningMessage(
      `Remove the TOTP token "${token.label}"? Its secret is deleted from this machine's secret storage.`,
      { modal: true }, 'Remove');
    if (choice !== 'Remove') throw new Cancelled();
  }
  await service.remove(token);
  noteDone(log, 'totp', `TOTP token "${token.label}" removed.`);
}

/** Rename TOTP Token: `{ tokenId | label, newLabel }` renames without asking. */
export async function renameTotpToken(service: TotpService, args: unknown): Promise<void> {
  const token = await pickToken(service.store, args, 'Token to rename');
  const given = (args as { newLabel?: unknown } | undefined)?.newLabel;
  const newLabel = typeof given === 'string' ? given : await ask({
    title: `Rename TOTP Token "${token.label}"`,
    value: token.label,
    validateInput: validator((v) => checkLabel(v, service.store.list(), token.id)),
  });
  await service.store.rename(token.id, newLabel);
}

/** Select TOTP Token: which token the status bar shows. */
export async function selectTotpToken(service: TotpService, args: unknown): Promise<void> {
  const token = await pickToken(service.store, args, 'Token to show in the status bar');
  await service.store.select(token.id);
}
