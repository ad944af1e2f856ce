import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ClipboardGuard, TotpDisplay, TotpService } from '../../core/totp';
import { tokenRef } from './pick';

/**
 * Copy TOTP Code: the shown token's current code (or `{ tokenId | label }`'s) goes to the
 * clipboard, recorded first, and is taken off again after `clearAfterSeconds` if still there.
 * Returns nothing: the code never travels through a command result.
 */
export async function copyTotpCode(service: TotpService, clipboard: ClipboardGuard, clearAfterSeconds: number, args: unknown): Promise<void> {
  const ref = tokenRef(args);
  const token = ref ? service.store.get(ref) : service.store.selected();
  if (!token) throw new UserError('There is no TOTP token yet: add one with "Root Tasks: Add TOTP Token".');
  const { secondsLeft } = await service.copy(token, clipboard, clearAfterSeconds);
  vscode.window.setStatusBarMessage(`$(check) TOTP code of "${token.label}" copied: valid ${secondsLeft} s more, cleared from the clipboard in ${clearAfterSeconds} s`, 5000);
}

/** Reveal TOTP Code: with the mask on, shows the code until its time step ends (recorded). */
export async function revealTotpCode(display: TotpDisplay): Promise<void> {
  await display.revealNow();
}
