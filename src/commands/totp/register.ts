import * as path from 'path';
import * as vscode from 'vscode';
import type { ClockSkew } from '../../core/clockSkew';
import { plural } from '../../core/humanTime';
import { ClipboardGuard, TokenStore, TotpService, type RecordAudit } from '../../core/totp';
import { TotpStatusBar } from '../../views/totpStatusBar';
import { setContext } from '../../services/contextKeys';
import { userOnly } from '../../services/settings';
import type { Log } from '../../services/log';
import { registerCommand } from '../command';
import { addTotpToken } from './add';
import { importTotpTokens } from './import';
import { QrPasteTarget } from './pasteTarget';
import { removeTotpToken, renameTotpToken, selectTotpToken } from './manage';
import { copyTotpCode, revealTotpCode } from './copy';

/** What the rest of the extension (tree, host tests) sees of the TOTP feature. */
export interface TotpFeature {
  store: TokenStore;
  /** The status bar text now, undefined while hidden. */
  statusText(): string | undefined;
  /**
   * For the host tests that prove no secret leaks: every global state value, and the directories
   * where settings, the audit log (global storage) and the log files live.
   */
  persisted(): { globalState: Record<string, unknown>; directories: string[] };
  /** Where a clipboard image is pasted for import; host tests hand its provider a DataTransfer. */
  pasteTarget: QrPasteTarget;
}

// Both settings are application-scoped: a workspace must not unmask codes or keep them on the
// clipboard longer.
const maskSetting = (): boolean => userOnly<boolean>('totp.mask') === true;
const clearSeconds = (): number => Math.min(600, Math.max(1, Math.round(userOnly<number>('totp.clipboardClearSeconds') ?? 30)));

/**
 * Registers the TOTP commands and status bar item. `record` is the audit trail's record function
 * (AuditTrail.record): every add, remove, reveal and copy goes through it first.
 */
export function register(context: vscode.ExtensionContext, log: Log, record: RecordAudit, clock: ClockSkew): TotpFeature {
  const store = new TokenStore(context.secrets, context.globalState);
  // Copied codes are for the same (AWS-corrected) time as the status bar's.
  const service = new TotpService(store, record, () => clock.correct(Date.now()));
  const bar = new TotpStatusBar(service, maskSetting(), clock);
  const clipboard = new ClipboardGuard(vscode.env.clipboard, { setTimeout, clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    (err) => log.warn('totp', `could not clear the clipboard: ${err instanceof Error ? err.name : 'error'}`));
  const pasteTarget = new QrPasteTarget((message) => void vscode.window.showWarningMessage(message));
  const updateContext = () => void setContext('hasTotp', store.list().length > 0);
  updateContext();
  context.subscriptions.push(
    bar,
    clipboard,
    pasteTarget.register(),
    store.onDidChange(updateContext),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rootTasks.totp.mask')) bar.display.setMasked(maskSetting());
    }),
    registerCommand(log, 'rootTasks.addTotpToken', async (args) => {
      const token = await addTotpToken(service, log, args);
      log.info('totp', `token ${token.id} added${token.accountId ? ` for account ${token.accountId}` : ''}`);
      return token;
    }),
    registerCommand(log, 'rootTasks.importTotpTokens', async (args) => {
      const tokens = await importTotpTokens(service, pasteTarget, args);
      log.info('totp', `imported ${plural(tokens.length, 'token')}`);
      return tokens;
    }),
    registerCommand(log, 'rootTasks.removeTotpToken', (args) => removeTotpToken(service, log, args)),
    registerCommand(log, 'rootTasks.renameTotpToken', (args) => renameTotpToken(service, args)),
    registerCommand(log, 'rootTasks.selectTotpToken', (args) => selectTotpToken(service, args)),
    registerCommand(log, 'rootTasks.copyTotpCode', (args) => copyTotpCode(service, clipboard, clearSeconds(), args)),
    registerCommand(log, 'rootTasks.revealTotpCode', () => revealTotpCode(bar.display)),
  );
  return {
    store,
    pasteTarget,
    statusText: () => bar.text,
    persisted: () => ({
      globalState: Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
      // <user data>/User/globalStorage/<extension>: two levels up is the User folder (settings.json).
      directories: [path.dirname(path.dirname(context.globalStorageUri.fsPath)), path.dirname(context.logUri.fsPath)],
    }),
  };
}
