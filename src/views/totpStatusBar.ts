import * as vscode from 'vscode';
import { describeSkew, type ClockSkew } from '../core/clockSkew';
import { TotpDisplay, type StatusView, type TotpService } from '../core/totp';

export const TOTP_STATUS_ITEM_ID = 'rootTasks.totp';

const ACTION_COMMANDS = {
  copy: 'rootTasks.copyTotpCode',
  reveal: 'rootTasks.revealTotpCode',
} as const;

/**
 * The status bar item for the chosen token: `$(key) mgmt-root 492 039 · 17s`. The logic (what to
 * show, when to tick, when to record a reveal) is core/totp's TotpDisplay; this only renders it
 * and follows the token list and the mask setting.
 */
export class TotpStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(TOTP_STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 90);
  readonly display: TotpDisplay;
  private readonly subscription: { dispose(): void };

  constructor(service: TotpService, masked: boolean, clock: ClockSkew) {
    this.item.name = 'Root Tasks: TOTP';
    this.display = new TotpDisplay({
      // Codes for AWS's time when this machine's clock is more than 10 s off (phone apps do the same).
      now: () => clock.correct(Date.now()),
      clockWarning: () => (clock.skewed && clock.offsetMs !== undefined
        ? `This computer's clock is ${describeSkew(clock.offsetMs)} AWS's; the code shown is for AWS's time.`
        : undefined),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      loadSecret: (token) => service.store.secretBytes(token.id),
      reveal: (token, via) => service.reveal(token, via),
      render: (view) => this.render(view),
    }, masked);
    const tokens = service.store.onDidChange(() => this.display.setToken(service.store.selected()));
    const skew = clock.onDidChange(() => this.display.refresh());
    this.subscription = { dispose: () => { tokens.dispose(); skew.dispose(); } };
    this.display.setToken(service.store.selected());
  }

  /** The text on screen (undefined while hidden), for the host tests. */
  get text(): string | undefined {
    return this.display.text;
  }

  dispose(): void {
    this.subscription.dispose();
    this.display.dispose();
    this.item.dispose();
  }

  private render(view: StatusView | undefined): void {
    if (!view) {
      this.item.hide();
      return;
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.action ? ACTION_COMMANDS[view.action] : 'rootTasks.selectTotpToken';
    // Read out without the icon syntax; the digits stay grouped as shown.
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.show();
  }
}
