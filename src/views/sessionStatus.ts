import * as vscode from 'vscode';
import { describeSession, formatCountdown, secondsUntil } from '../core/sessionPolicy';
import type { RootSessionRegistry } from '../core/sessionRegistry';
import { ROOT_TASKS, formatAccountId } from '../core/tasks';
import { setContext } from './contextKeys';

/**
 * The live root session(s) in the status bar: "$(shield) root · S3 unlock · 1111-2222-3333 · 12:41
 * left". Ticks once a second only while a session exists; hidden otherwise. Clicking ends it.
 */
export class SessionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rootTasks.session', vscode.StatusBarAlignment.Left, 100);
  private readonly subscription: { dispose(): void };
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sessions: RootSessionRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.item.name = 'Root Tasks: root session';
    this.item.command = 'rootTasks.endRootSession';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.subscription = sessions.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const live = this.sessions.list();
    if (!live.length) {
      this.stopTicking();
      this.item.hide();
      void setContext('sessionActive', false);
      return;
    }
    const now = this.now();
    const first = live[0];
    this.item.text = live.length === 1
      ? `$(shield) ${describeSession(first, now)}`
      : `$(shield) root · ${live.length} sessions · ${formatCountdown(secondsUntil(first.expiresAt, now))} left`;
    const lines = live.map((s) => `- ${ROOT_TASKS[s.task].label} on ${formatAccountId(s.accountId)}: ${formatCountdown(secondsUntil(s.expiresAt, now))} left`);
    this.item.tooltip = new vscode.MarkdownString(`**Root session${live.length > 1 ? 's' : ''}** (click to end)\n\n${lines.join('\n')}`);
    this.item.accessibilityInformation = { label: this.item.text.replace('$(shield) ', ''), role: 'button' };
    this.item.show();
    void setContext('sessionActive', true);
    this.ticker ??= setInterval(() => this.update(), 1000);
  }

  private stopTicking(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  dispose(): void {
    this.stopTicking();
    this.subscription.dispose();
    this.item.dispose();
  }
}
