import * as vscode from 'vscode';
import { mdText } from './markdownText';
import { describeEntry, formatCountdown, secondsUntil } from '../core/sessionPolicy';
import type { RootSessionRegistry } from '../core/sessionRegistry';
import { ROOT_TASKS, formatAccountId } from '../core/tasks';
import { setContext } from '../services/contextKeys';
import { plural } from '../core/humanTime';

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
    const live = this.sessions.summary();
    if (!live.length) {
      this.stopTicking();
      this.item.hide();
      void setContext('sessionActive', false);
      return;
    }
    const now = this.now();
    const count = this.sessions.size;
    this.item.text = live.length === 1
      ? `$(shield) ${describeEntry(live[0], now)}`
      : `$(shield) root · ${count} sessions · ${formatCountdown(secondsUntil(live[0].expiresAt, now))} left`;
    const lines = live.map((e) => e.kind === 'group'
      ? `- ${mdText(e.group.label)}: ${plural(e.sessions.length, 'session')}, the soonest ends in ${formatCountdown(secondsUntil(e.expiresAt, now))} (click ends them all)`
      : `- ${ROOT_TASKS[e.session.task].label} on ${formatAccountId(e.session.accountId)}: ${formatCountdown(secondsUntil(e.expiresAt, now))} left`);
    // A scan's label names an OU, whose name comes from AWS: escaped like every AWS value.
    this.item.tooltip = new vscode.MarkdownString(`**Root session${count > 1 ? 's' : ''}** (click to end)\n\n${lines.join('\n')}`);
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
