import * as vscode from 'vscode';
import { mdText } from './markdownText';
import type { SinkStatus } from '../core/audit';
import { humanTime } from '../core/humanTime';

/**
 * Delivery to the audit sink in the status bar: delivered / pending / failing (or local only when
 * no sink is set). Clicking shows the audit channel. Updates are coalesced: a burst of thousands
 * of events must not become thousands of status bar redraws.
 */
export class AuditStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rootTasks.audit', vscode.StatusBarAlignment.Left, 99);
  private latest: SinkStatus = { configured: false };
  private all: SinkStatus[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item.name = 'Root Tasks: audit delivery';
    this.item.command = 'rootTasks.showAuditLog';
    this.render();
    this.item.show();
  }

  /** Every destination's status (webhook sink first); the item shows the worst, the tooltip each. */
  update(statuses: readonly SinkStatus[]): void {
    this.all = statuses.filter((s) => s.configured);
    this.latest = worstOf(this.all);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 250);
  }

  /** The text shown now (read by the host tests). */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const s = this.latest;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    this.item.backgroundColor = undefined;
    if (!s.configured) {
      this.item.text = '$(shield) Audit: local';
      tooltip.appendMarkdown('**Audit**: events go to the local log only. Set `rootTasks.audit.sinkUrl` to deliver them to a sink.');
    } else if (s.state === 'failing' || s.state === 'stopped') {
      this.item.text = `$(warning) Audit: ${s.state} (${s.pending} pending)`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      tooltip.appendMarkdown(`**Audit delivery to ${mdText(s.sink)} is ${s.state}**\n\n`);
      tooltip.appendMarkdown(`${mdText(s.lastError ?? 'unknown error')}\n`);
      if (s.nextAttemptAt) tooltip.appendMarkdown(`\nNext attempt at ${humanTime(s.nextAttemptAt.toISOString())}.`);
    } else if (s.pending > 0) {
      this.item.text = `$(sync~spin) Audit: ${s.pending} pending`;
      tooltip.appendMarkdown(`**Audit**: delivering to ${mdText(s.sink)}; ${s.pending} events pending.`);
    } else {
      this.item.text = '$(shield) Audit: delivered';
      tooltip.appendMarkdown(`**Audit**: all events delivered to ${mdText(s.sink)}${s.lastDeliveredAt ? ` (last at ${humanTime(s.lastDeliveredAt.toISOString())})` : ''}.`);
    }
    if (this.all.length > 1) {
      tooltip.appendMarkdown('\n\n**Destinations**\n');
      for (const d of this.all) if (d.configured) tooltip.appendMarkdown(`\n- ${mdText(d.sink)}: ${d.state}, ${d.pending} pending${d.lastError ? ` (${mdText(d.lastError)})` : ''}`);
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: this.item.text.replace(/\$\([^)]*\) /, ''), role: 'button' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
  }
}

const RANK: Record<string, number> = { stopped: 4, failing: 3, starting: 2, delivering: 1, idle: 0 };

/** The destination to show in the item's text: the one failing, else the one with most pending. */
function worstOf(statuses: readonly SinkStatus[]): SinkStatus {
  let worst: SinkStatus = { configured: false };
  for (const s of statuses) {
    if (!s.configured) continue;
    if (!worst.configured || RANK[s.state]! > RANK[worst.state]! || (RANK[s.state] === RANK[worst.state] && s.pending > worst.pending)) worst = s;
  }
  return worst;
}
