import * as vscode from 'vscode';
import { isProblem, type FindingsStore, type ProblemCounts } from '../core/findings';
import type { OrgIndex } from '../core/orgIndex';
import type { TaskGuard } from '../core/orgPolicies/types';
import { problemsByParent } from '../core/rollup';
import { plural } from '../core/humanTime';
import type { OrgService } from '../services/orgService';
import { resourceTarget, type Node } from './tree/nodes';
import { toTreeItem, type TreeFacts } from './tree/treeItems';
import { setContext } from '../services/contextKeys';

export interface TreeDeps {
  org: OrgService;
  findings: FindingsStore;
  /** Labels of TOTP tokens linked to an account (none until the TOTP feature provides them). */
  tokensFor?: (accountId: string) => string[];
  /** Root tasks the organization's SCPs/RCPs block (or may block) in an account. */
  guardsFor?: (accountId: string) => TaskGuard[];
}

/**
 * The organization tree: Organization → Root → OUs → accounts → root-credential status and the
 * S3/SQS groups of locked or suspected policies. Children are listed lazily per parent; failures
 * become error nodes with retry (never a toast from getChildren); refreshes are debounced.
 */
export class OrganizationTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private browseAnyway = false;
  private problemsOnly = false;
  /** Locked / suspected counts below each parent; rebuilt on the first read after a change. */
  private rollup: Map<string, ProblemCounts> | undefined;
  private readonly facts: TreeFacts;

  constructor(private readonly deps: TreeDeps) {
    const none = { locked: 0, suspected: 0 };
    this.facts = {
      problems: (id) => deps.findings.problems(id),
      below: (parentId) => this.rollups().get(parentId) ?? none,
      findings: (id) => deps.findings.get(id),
      isFixed: (arn) => deps.findings.isFixed(arn),
      guards: (id) => deps.guardsFor?.(id) ?? [],
    };
    const changed = () => {
      this.rollup = undefined;
      this.refresh();
    };
    this.subscriptions.push(deps.org.onDidChange(changed));
    this.subscriptions.push(deps.findings.onDidChange(changed));
  }

  /** "Problems only": just the flagged resources and the path to them (OUs, accounts, groups). */
  setProblemsOnly(on: boolean): void {
    this.problemsOnly = on;
    void setContext('problemsOnly', on);
    this.refresh();
  }

  get showsProblemsOnly(): boolean {
    return this.problemsOnly;
  }

  private rollups(): Map<string, ProblemCounts> {
    const index = this.deps.org.index;
    if (!index) return new Map();
    this.rollup ??= problemsByParent(index, this.deps.findings);
    return this.rollup;
  }

  private flaggedBelow(parentId: string): boolean {
    const c = this.rollups().get(parentId);
    return !!c && (c.locked > 0 || c.suspected > 0);
  }

  private flaggedAccount(accountId: string): boolean {
    const c = this.deps.findings.problems(accountId);
    return c.locked > 0 || c.suspected > 0;
  }

  /** Show the tree even though the centralized root access features are off. */
  showWithFeaturesOff(): void {
    this.browseAnyway = true;
    this.refresh();
  }

  refresh(): void {
    // Scans change thousands of findings; one redraw per burst is enough.
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 150);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node, this.facts);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const org = this.deps.org;
    if (!node) {
      const index = await org.organization();
      if (!index) return [];
      const f = index.organization.features;
      const featuresOff = !!f && !f.error && !(f.rootCredentialsManagement && f.rootSessions);
      void setContext('featuresOff', featuresOff && !this.browseAnyway);
      if (featuresOff && !this.browseAnyway) return [];
      const orgNode: Node = { kind: 'organization', id: index.organization.arn || index.organization.id, org: index.organization, target: { kind: 'organization' } };
      if (this.problemsOnly && !this.flaggedBelow(index.organization.rootId)) {
        return [...this.notices(index), { kind: 'notice', id: 'notice/noProblems', message: 'Problems only: no locked or suspected resource found', detail: 'Scan accounts to find locked policies, or show everything again.', command: 'rootTasks.showAllResources' }];
      }
      return [...this.notices(index), orgNode];
    }
    const index = org.index;
    if (!index) return [];
    switch (node.kind) {
      case 'organization':
        return [this.parentNode(index, index.organization.rootId)!];
      case 'root':
      case 'ou':
        return this.parentChildren(node.kind === 'root' ? node.parentId : node.ou.id);
      case 'account':
        return this.accountChildren(node);
      case 'group':
        return node.findings
          .filter((f) => !this.problemsOnly || isProblem(f))
          .map((f) => ({ kind: 'resource', id: `${node.id}/${f.arn}`, finding: f, target: resourceTarget(f) }));
      default:
        return [];
    }
  }

  getParent(node: Node): Node | undefined {
    const index = this.deps.org.index;
    if (!index) return undefined;
    switch (node.kind) {
      case 'root':
        return { kind: 'organization', id: index.organization.arn || index.organization.id, org: index.organization, target: { kind: 'organization' } };
      case 'ou':
        return this.parentNode(index, node.ou.parentId);
      case 'account':
        return this.parentNode(index, node.account.parentId);
      default:
        return undefined;
    }
  }

  /** The node of an account, for reveal() from "Go to Account". */
  accountNode(accountId: string): Node | undefined {
    const index = this.deps.org.index;
    const account = index?.accounts.get(accountId);
    if (!index || !account) return undefined;
    return this.toAccountNode(index, account.id);
  }

  private notices(index: OrgIndex): Node[] {
    const out: Node[] = [];
    const failed = index.failedParents();
    if (failed.length) {
      out.push({ kind: 'notice', id: 'notice/incomplete', message: `Listing incomplete: ${plural(failed.length, 'part')} of the organization failed`, detail: 'Expand the parts marked with an error and click to retry, or refresh.', command: 'rootTasks.refreshOrganization' });
    }
    if (this.deps.org.message) {
      out.push({ kind: 'notice', id: 'notice/stale', message: 'Showing cached organization: refresh failed', detail: this.deps.org.message, command: 'rootTasks.refreshOrganization' });
    }
    return out;
  }

  private parentNode(index: OrgIndex, parentId: string): Node | undefined {
    if (parentId === index.organization.rootId) {
      // The root acts as an OU for commands ("scan this", "audit this"): everything below it.
      return { kind: 'root', id: index.organization.rootArn || parentId, org: index.organization, parentId, target: { kind: 'ou', ouId: parentId, name: 'Root' } };
    }
    const ou = index.ous.get(parentId);
    return ou ? { kind: 'ou', id: ou.arn || ou.id, ou, target: { kind: 'ou', ouId: ou.id, name: ou.name } } : undefined;
  }

  private toAccountNode(index: OrgIndex, accountId: string): Node | undefined {
    const a = index.accounts.get(accountId);
    if (!a) return undefined;
    return { kind: 'account', id: a.arn || a.id, account: a, management: a.id === index.organization.managementAccountId, target: { kind: 'account', accountId: a.id, name: a.name } };
  }

  private async parentChildren(parentId: string): Promise<Node[]> {
    const listing = await this.deps.org.children(parentId);
    const index = this.deps.org.index;
    if (!listing || !index) return [];
    // Problems only: OUs with something flagged below, accounts with something flagged.
    const ouIds = this.problemsOnly ? listing.ous.filter((id) => this.flaggedBelow(id)) : listing.ous;
    const accountIds = this.problemsOnly ? listing.accounts.filter((id) => this.flaggedAccount(id)) : listing.accounts;
    const ous = ouIds.map((id) => this.parentNode(index, id)).filter((n): n is Node => !!n);
    const accounts = accountIds.map((id) => this.toAccountNode(index, id)).filter((n): n is Node => !!n);
    const byName = (a: Node, b: Node) => label(a).localeCompare(label(b));
    const out = [...ous.sort(byName), ...accounts.sort(byName)];
    if (listing.status === 'error') out.unshift({ kind: 'error', id: `${parentId}/error`, parentId, message: listing.error ?? 'listing failed' });
    // The first pages of a large parent, shown while the rest is listed.
    if (listing.status === 'partial') out.push({ kind: 'loading', id: `${parentId}/loading` });
    return out;
  }

  private accountChildren(node: Extract<Node, { kind: 'account' }>): Node[] {
    const f = this.deps.findings.get(node.account.id);
    const tokens = this.deps.tokensFor?.(node.account.id) ?? [];
    const group = (service: 's3' | 'sqs'): Node => ({
      kind: 'group',
      id: `${node.id}/${service}`,
      accountId: node.account.id,
      service,
      findings: (f?.resources ?? []).filter((r) => r.kind === service),
      scannedAt: f?.scannedAt,
      scanError: f?.scanError,
      skipped: f?.skipped,
    });
    const rootStatus: Node = { kind: 'rootStatus', id: `${node.id}/root`, accountId: node.account.id, management: node.management, status: f?.root, tokens };
    // Root tasks (AssumeRoot) never target the management account: no policy groups there.
    if (node.management) return [rootStatus];
    const groups = [group('s3'), group('sqs')];
    if (this.problemsOnly) return groups.filter((g) => g.kind === 'group' && g.findings.some(isProblem));
    return [rootStatus, ...groups];
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function label(n: Node): string {
  return n.kind === 'ou' ? n.ou.name : n.kind === 'account' ? n.account.name : '';
}
