import * as vscode from 'vscode';
import { formatAccountId } from '../../core/tasks';
import { hasRootCredentials, type AccountFindings, type ProblemCounts } from '../../core/findings';
import { humanTime, plural } from '../../core/humanTime';
import type { TaskGuard } from '../../core/orgPolicies/types';
import { plainText } from '../markdownText';
import { guardDescription, guardTooltip } from './guardMarks';
import type { Node } from './nodes';
import { accountTooltip, organizationTooltip, resourceTooltip } from './tooltips';
import { LOOKS, countsText, resourceLook, scanLook, type Look } from './verdictLook';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const None = vscode.TreeItemCollapsibleState.None;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const Expanded = vscode.TreeItemCollapsibleState.Expanded;

const lookIcon = (look: Look) => icon(LOOKS[look].icon, LOOKS[look].color);

/** What the items read from the findings: per account, below a parent (roll-ups), fixed this window. */
export interface TreeFacts {
  problems(accountId: string): ProblemCounts;
  below(parentId: string): ProblemCounts;
  findings(accountId: string): AccountFindings | undefined;
  isFixed(arn: string): boolean;
  /** Root tasks the organization's SCPs/RCPs block (or may block) in an account. */
  guards(accountId: string): TaskGuard[];
}

/** " · 3 locked · 1 suspected" for a roll-up, '' when nothing below is flagged. */
const rolled = (c: ProblemCounts) => (countsText(c) ? ` · ${countsText(c)}` : '');

/** Builds the VS Code item for a node: labels, icons, tooltips and context values for menus. */
export function toTreeItem(node: Node, facts: TreeFacts): vscode.TreeItem {
  switch (node.kind) {
    case 'organization': {
      const f = node.org.features;
      const on = (b: boolean | undefined) => (b ? 'on' : 'off');
      const item = new vscode.TreeItem(`Organization ${node.org.id}`, Expanded);
      item.description = (f?.error ? 'features unknown' : `root credentials mgmt ${on(f?.rootCredentialsManagement)} · root sessions ${on(f?.rootSessions)}`)
        + rolled(facts.below(node.org.rootId));
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
      item.description = node.parentId + rolled(facts.below(node.parentId));
      item.iconPath = icon('root-folder');
      item.contextValue = 'ou';
      return withId(item, node.id);
    }
    case 'ou': {
      const item = new vscode.TreeItem(plainText(node.ou.name), Collapsed);
      const below = facts.below(node.ou.id);
      item.description = node.ou.id + rolled(below);
      if (countsText(below)) item.tooltip = `${plainText(node.ou.name)} (${node.ou.id}): ${countsText(below)} resource policies in the accounts below`;
      item.iconPath = below.locked ? icon('folder', LOOKS.locked.color) : below.suspected ? icon('folder', LOOKS.suspected.color) : icon('folder');
      item.contextValue = 'ou';
      return withId(item, node.id);
    }
    case 'account': {
      const a = node.account;
      const counts = facts.problems(a.id);
      // The management account expands too: its root user (break-glass) may have a linked TOTP token.
      const item = new vscode.TreeItem(plainText(a.name), Collapsed);
      const parts = [formatAccountId(a.id)];
      if (a.state !== 'ACTIVE') parts.push(a.state);
      if (node.management) parts.push('management');
      if (countsText(counts)) parts.push(countsText(counts));
      const guarded = node.management ? [] : facts.guards(a.id);
      const blocked = guardDescription(guarded);
      if (blocked) parts.push(blocked);
      item.description = parts.join(' · ');
      const tooltip = markdown(accountTooltip(a, node.management));
      guardTooltip(tooltip, guarded);
      item.tooltip = tooltip;
      item.iconPath = counts.locked ? lookIcon('locked') : counts.suspected ? lookIcon('suspected')
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
        const present = [
          s.password && (s.passwordRecovery ? 'password recovery enabled' : 'password'),
          s.accessKeys && plural(s.accessKeys, 'access key'),
          s.signingCertificates && plural(s.signingCertificates, 'signing certificate'),
          s.mfaDevices && plural(s.mfaDevices, 'MFA device'),
        ].filter(Boolean);
        item.description = (present.length ? present.join(', ') : 'none') + tokens;
        item.tooltip = `Audited ${humanTime(s.auditedAt)}` + (s.passwordRecovery
          ? `\n\nPassword recovery enabled ${humanTime(s.passwordRecovery)}: a login profile without a password, so "Forgot password" works for the root email. No password is set.`
          : '');
        item.iconPath = hasRootCredentials(s) ? icon('key', 'problemsWarningIcon.foreground')
          : s.passwordRecovery ? icon('mail', 'charts.blue') : icon('pass', 'testing.iconPassed');
      }
      item.contextValue = node.management ? 'rootStatus.management' : 'rootStatus';
      return withId(item, node.id);
    }
    case 'group': {
      const label = node.service === 's3' ? 'S3 bucket policies' : 'SQS queue policies';
      const look = scanLook(node, node.findings, (arn) => facts.isFixed(arn));
      const counts = { locked: 0, suspected: 0 };
      for (const f of node.findings) {
        const l = resourceLook(f, false);
        if (l === 'locked') counts.locked++;
        else if (l === 'suspected') counts.suspected++;
      }
      const item = new vscode.TreeItem(label, node.findings.length ? Expanded : None);
      item.description = look === 'skipped' ? `skipped: ${node.skipped?.short}`
        : look === 'locked' || look === 'suspected' ? countsText(counts) + (node.scanError ? ' · scan error' : '')
          : look === 'fine' ? 'none locked' : LOOKS[look].label;
      const why = node.skipped?.reason ?? node.scanError;
      item.tooltip = why !== undefined ? plainText(why)
        : node.scannedAt ? `Scanned ${humanTime(node.scannedAt)}` : 'Run "Scan for Locked Policies" on this account';
      item.iconPath = lookIcon(look);
      item.contextValue = 'group';
      return withId(item, node.id);
    }
    case 'resource': {
      const f = node.finding;
      const look = resourceLook(f, facts.isFixed(f.arn));
      const item = new vscode.TreeItem(plainText(f.name), None);
      item.description = `${f.verdict === 'invalid' ? 'policy not analyzable' : LOOKS[look].label} · ${f.region}`;
      item.tooltip = markdown(resourceTooltip(f, LOOKS[look].label, humanTime(f.checkedAt)));
      item.iconPath = lookIcon(look);
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
