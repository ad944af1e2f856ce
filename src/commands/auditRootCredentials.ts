import * as vscode from 'vscode';
import { describeError, isCancellation, UserError } from '../core/errors';
import type { OrgAccount, OrgIndex } from '../core/orgIndex';
import { type RootAuditResult, type RootAuditResults, type RootReportSummary, buildRootReport, toRootStatus } from '../core/rootReport';
import { formatAccountId } from '../core/tasks';
import { sessionGate } from './auditGate';
import { forEachAccount } from './auditPool';
import { resolveAccounts, type AccountSelection } from './auditScope';
import { askJustification, withRootSession, type RootTaskDeps } from './rootTask/runner';

/** What the root-credential flows (audit, delete, recovery, report) share. */
export interface CredentialFlowDeps extends RootTaskDeps {
  results: RootAuditResults;
  /** Opens (or refreshes) the report view. */
  showReport(reveal: boolean): void;
}

export interface AuditArgs extends AccountSelection {
  justification?: string;
  ticket?: string;
  /** Open the report when done (default true). */
  show?: boolean;
}

export interface AuditOutcome {
  summary: RootReportSummary;
  results: RootAuditResult[];
  /** Not ACTIVE, so not audited. */
  inactive: string[];
  /** Cancelled before these were audited. */
  notAudited: string[];
}

/**
 * Audit root user credentials: per account a root session with IAMAuditRootUserCredentials lists
 * password, access keys (with last use), signing certificates and MFA devices. Accounts run in
 * parallel (bounded), each independently: one failing is a row in the report, not the end.
 */
export async function auditRootCredentials(deps: CredentialFlowDeps, arg?: unknown): Promise<AuditOutcome> {
  const args = (arg ?? {}) as AuditArgs;
  const { accounts, inactive } = await resolveAccounts(deps.getIndex, arg, 'Audit root user credentials');
  if (!accounts.length) {
    throw new UserError(inactive.length ? `None of the ${inactive.length} accounts is ACTIVE; nothing to audit.` : 'No member accounts to audit.');
  }
  const why = await askJustification(args);
  const index = await deps.getIndex();
  const aws = deps.aws.context();
  const stopped: string[] = [];
  const { done, notStarted } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Auditing root credentials', cancellable: true },
    async (progress, token) => {
      let finished = 0;
      return forEachAccount(accounts, aws.settings.concurrency, token, async (account) => {
        const result = await auditOne(deps, index, account, why, token);
        if (!result) stopped.push(account.id);
        progress.report({ increment: 100 / accounts.length, message: `${++finished} of ${accounts.length} accounts` });
        return result;
      });
    },
  );
  const results = done.filter((r): r is RootAuditResult => r !== undefined);
  const cancelledIds = [...notStarted.map((a) => a.id), ...stopped];
  recordResults(deps, results);
  const summary = buildRootReport(results).summary;
  deps.log.info('audit', `root credentials audited: ${summary.audited} of ${accounts.length} accounts, ${summary.withAnyCredential} with root credentials, ${summary.errors} errors${cancelledIds.length ? `, ${cancelledIds.length} not audited (cancelled)` : ''}`);
  if (args.show !== false) deps.showReport(true);
  void vscode.window.showInformationMessage(
    `Root credential audit: ${summary.clean} clean, ${summary.withAnyCredential} with root credentials, ${summary.errors} failed` +
      (cancelledIds.length ? `, ${cancelledIds.length} not audited (cancelled)` : '') +
      (inactive.length ? `; ${inactive.length} inactive accounts skipped` : '') + '.',
  );
  return { summary, results, inactive: inactive.map((a) => a.id), notAudited: cancelledIds };
}

async function auditOne(
  deps: CredentialFlowDeps,
  index: OrgIndex,
  account: OrgAccount,
  why: { justification: string; ticket: string },
  token: vscode.CancellationToken,
): Promise<RootAuditResult | undefined> {
  const base = { accountId: account.id, accountName: account.name, path: account.parentId ? index.pathOf(account.parentId) : undefined };
  const aws = deps.aws.context();
  try {
    const listing = await withRootSession(deps, { task: 'IAMAuditRootUserCredentials', accountId: account.id, ...why }, (active) =>
      deps.aws.module().listRootCredentials(active.session.clients().iam, sessionGate(active, aws.limiter, token), account.id),
    );
    return { ...base, auditedAt: new Date().toISOString(), listing };
  } catch (err) {
    if (isCancellation(err)) return undefined;
    deps.log.warn('audit', `account ${formatAccountId(account.id)}: ${describeError(err)}`);
    return { ...base, auditedAt: new Date().toISOString(), error: describeError(err) };
  }
}

/**
 * Into the report and the tree. A failed audit keeps the account's last known counts in the tree
 * (marked with the error) rather than showing it as clean.
 */
export function recordResults(deps: Pick<CredentialFlowDeps, 'results' | 'findings'>, results: readonly RootAuditResult[]): void {
  deps.results.merge(results);
  for (const r of results) {
    const prev = deps.findings.get(r.accountId)?.root;
    deps.findings.setRootStatus(r.error && prev ? { ...prev, error: r.error } : toRootStatus(r));
  }
}
