import * as vscode from 'vscode';
import { formatAccountId } from '../../core/tasks';
import { hasRootCredentials } from '../../core/findings';
import type { TaskGuard } from '../../core/orgPolicies/types';
import { plainText } from '../markdownText';
import { guardDescription, guardTooltip } from './guardMarks';
import type { Node } from './nodes';
import { accountTooltip, organizationTooltip, resourceTooltip } from './tooltips';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const None = vscode.TreeItemCollapsibleState.None;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const Expanded = vscode.TreeItemCollapsibleState.Expanded;

/** Builds the VS Code item for a node: labels, icons, tooltips and context values for menus. */
export function toTreeItem(node: Node, lockedCount: (accountId: string) => number, guards: (accountId: string) => TaskGuard[] = () => []): vscode.TreeItem {
  switch (node.kind) {
    case 'organization': {
      const f = node.org.features;
      const on = (b: boolean | undefined) => (b ? 'on' : 'off');
      const item = new vscode.TreeItem(`Organization ${node.org.id}`, Expanded);
      item.description = f?.error ? 'features unknown' : `root credentials mgmt ${on(f?.rootCredentialsManagement)} · root sessions ${on(f?.rootSessions)}`;
      item.tooltip = markdown(organizationTooltip(node.org));
      item.iconPath = icon('organization');
      item.contextValue = 'organization';
      return withId(item, node.id);
    }
    case 'notice': {
      const item = new vscode.TreeItem(node.message, None);
      item.iconPath = icon('warning', 'problemsWarningIcon.foreground');
      item.tooltip = node.detail === undefined ? undefined : plainText(node.detail);
      if (node.command) item.command = { command: node.command, title: node.message, arguments: node.args };
      return withId(item, node.id);
    }
    case 'root': {
      const item = new vscode.TreeItem('Root', Expanded);
      item.description = node.parentId;
      item.iconPath = icon('root-folder');
      item.contextValue = 'ou';
      return withId(item, node.id);
    }
    case 'ou': {
      const item = new vscode.TreeItem(plainText(node.ou.name), Collapsed);
      item.description = node.ou.id;
      item.iconPath = icon('folder');
      item.contextValue = 'ou';
      return withId(item, node.id);
    }
    case 'account': {
      const a = node.account;
      const locked = lockedCount(a.id);
      // The management account expands too: its root user (break-glass) may have a linked TOTP token.
      const item = new vscode.TreeItem(plainText(a.name), Collapsed);
      const parts = [formatAccountId(a.id)];
      if (a.state !== 'ACTIVE') parts.push(a.state);
      if (node.management) parts.push('management');
      if (locked) parts.push(`${locked} locked`);
      const guarded = node.management ? [] : guards(a.id);
      const blocked = guardDescription(guarded);
      if (blocked) parts.push(blocked);
      item.description = parts.join(' · ');
      const tooltip = markdown(accountTooltip(a, node.management));
      guardTooltip(tooltip, guarded);
      item.tooltip = tooltip;
      item.iconPath = locked
        ? icon('lock', 'problemsErrorIcon.foreground')
        : guarded.some((g) => g.verdict === 'blocked') ? icon('shield', 'problemsWarningIcon.foreground') : icon(node.management ? 'star-full' : 'account');
      item.contextValue = node.management ? 'account.management' : 'account';
      return withId(item, node.id);
    }
    case 'rootStatus': {
      const s = node.status;
      const tokens = node.tokens.length ? ` · TOTP: ${node.tokens.join(', ')}` : '';
      const item = new vscode.TreeItem('Root credentials', None);
      if (node.management) {
        item.description = `management account: root tasks do not apply${tokens}`;
        item.iconPath = icon('star-full');
      } else if (!s) {
        item.description = `not audited${tokens}`;
        item.iconPath = icon('question');
      } else if (s.error) {
        item.description = `audit failed${tokens}`;
        item.tooltip = plainText(s.error);
        item.iconPath = icon('error', 'problemsErrorIcon.foreground');
      } else {
        const present = [s.password && 'password', s.accessKeys && `${s.accessKeys} access key(s)`, s.signingCertificates && `${s.signingCertificates} cert(s)`, s.mfaDevices && `${s.mfaDevices} MFA`].filter(Boolean);
        item.description = (hasRootCredentials(s) ? present.join(', ') : 'none') + tokens;
        item.tooltip = `Audited ${s.auditedAt}`;
        item.iconPath = hasRootCredentials(s) ? icon('key', 'problemsWarningIcon.foreground') : icon('pass', 'testing.iconPassed');
      }
      item.contextValue = node.management ? 'rootStatus.management' : 'rootStatus';
      return withId(item, node.id);
    }
    case 'group': {
      const label = node.service === 's3' ? 'S3 bucket policies' : 'SQS queue policies';
      const locked = node.findings.filter((f) => f.verdict === 'locked').length;
      const suspected = node.findings.filter((f) => f.verdict === 'suspected').length;
      const item = new vscode.TreeItem(label, node.findings.length ? Expanded : None);
      item.description = node.scanError
        ? 'scan error'
        : !node.scannedAt
          ? 'not scanned'
          : [locked && `${locked} locked`, suspected && `${suspected} suspected`].filter(Boolean).join(', ') || 'none locked';
      item.tooltip = node.scanError !== undefined ? plainText(node.scanError) : (node.scannedAt ? `Scanned ${node.scannedAt}` : 'Run "Scan for Locked Policies" on this account');
      item.iconPath = icon(node.service === 's3' ? 'database' : 'mail');
      item.contextValue = 'group';
      return withId(item, node.id);
    }
    case 'resource': {
      const f = node.finding;
      const item = new vscode.TreeItem(plainText(f.name), None);
      item.description = `${f.verdict} · ${f.region}`;
      item.tooltip = markdown(resourceTooltip(f));
      item.iconPath = f.verdict === 'locked' ? icon('lock', 'problemsErrorIcon.foreground') : icon('warning', 'problemsWarningIcon.foreground');
      item.contextValue = `${f.kind === 's3' ? 'bucket' : 'queue'}.${f.verdict}`;
      return withId(item, node.id);
    }
    case 'error': {
      const item = new vscode.TreeItem('Listing failed — click to retry', None);
      item.description = plainText(node.message);
      item.tooltip = `${plainText(node.message)}\n\nThis part of the organization is incomplete.`;
      item.iconPath = icon('error', 'problemsErrorIcon.foreground');
      item.contextValue = 'error';
      item.command = { command: 'rootTasks.retryListing', title: 'Retry', arguments: [node.parentId] };
      return withId(item, node.id);
    }
    case 'loading': {
      const item = new vscode.TreeItem('Loading…', None);
      item.iconPath = icon('loading~spin');
      return withId(item, node.id);
    }
  }
}

/** Untrusted Markdown without HTML or command links: the text was escaped by tooltips.ts. */
function markdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}
