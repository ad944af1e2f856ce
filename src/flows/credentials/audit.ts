import { readOnlyWhenRequired } from '../../core/approvalGate';
import { describeError, isCancellation, UserError } from '../../core/errors';
import type { OrgAccount, OrgIndex } from '../../core/orgIndex';
import { buildRootReport, toRootStatus, type RootAuditResult, type RootAuditResults, type RootReportSummary } from '../../core/rootReport';
import { formatAccountId } from '../../core/tasks';
import type { BulkJournal, BulkStore } from '../../core/bulkProgress';
import { journalFor, markDone } from '../bulkJournal';
import { forEachAccount } from '../pool';
import type { Justification, Person, Progress, RootFlowEnv } from '../ports';

/** What the root-credential flows (audit, delete, recovery) share. */
export interface CredentialEnv extends RootFlowEnv {
  results: RootAuditResults;
  /** Root sessions held at once by a bulk flow. */
  concurrency: number;
  /** Where bulk progress records are kept (global storage), so interrupted work can resume. */
  progressStore?: BulkStore;
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
export async function auditRootCredentials(
  env: CredentialEnv, person: Person, progress: Progress, scope: { accounts: OrgAccount[]; inactive: OrgAccount[]; label?: string; resume?: BulkJournal },
): Promise<AuditOutcome> {
  const { accounts, inactive } = scope;
  if (!accounts.length) {
    throw new UserError(inactive.length ? `None of the ${inactive.length} accounts is ACTIVE; nothing to audit.` : 'No member accounts to audit.');
  }
  const why = await person.justify(`audit root credentials in ${accounts.length === 1 ? `${accounts[0].name} (${formatAccountId(accounts[0].id)})` : `${accounts.length} accounts`}`);
  const index = await env.getIndex();
  const stopped: string[] = [];
  let finished = 0;
  const journal = await journalFor(env.progressStore, scope.resume, {
    kind: 'credentialsAudit', label: scope.label ?? `${accounts.length} accounts`, params: {}, accounts: accounts.map((a) => a.id),
  }, env.log);
  const { done, notStarted } = await forEachAccount(accounts, env.concurrency, progress.signal, async (account) => {
    const audited = await auditOne(env, index, account, why, progress.signal);
    // Into the report and the tree as each account finishes (as recorded: recovery-only kept), so a reload keeps what was audited.
    const result = audited && recordResults(env, [audited])[0];
    if (!result) stopped.push(account.id);
    else await markDone(journal, account.id, result.error ? 'failed' : 'ok');
    progress.report(++finished, accounts.length, `${finished} of ${accounts.length} accounts`);
    return result;
  });
  const results = done.filter((r): r is RootAuditResult => r !== undefined);
  if (journal && !notStarted.length && !stopped.length) await journal.complete().catch(() => undefined);
  const notAudited = [...notStarted.map((a) => a.id), ...stopped];
  const summary = buildRootReport(results).summary;
  env.log.info('audit', `root credentials audited: ${summary.audited} of ${accounts.length} accounts, ${summary.withAnyCredential} with root credentials, ${summary.errors} errors${notAudited.length ? `, ${notAudited.length} not audited (cancelled)` : ''}`);
  return { summary, results, inactive: inactive.map((a) => a.id), notAudited };
}

async function auditOne(env: CredentialEnv, index: OrgIndex, account: OrgAccount, why: Justification, signal: AbortSignal): Promise<RootAuditResult | undefined> {
  const base = { accountId: account.id, accountName: account.name, path: account.parentId ? index.pathOf(account.parentId) : undefined };
  try {
    const listing = await env.run({ task: 'IAMAuditRootUserCredentials', accountId: account.id, ...why, signal, approval: readOnlyWhenRequired(env.approvals?.(), 'audit') }, (t) =>
      t.session.ops.listRootCredentials(t, account.id),
    );
    return { ...base, auditedAt: new Date().toISOString(), listing };
  } catch (err) {
    if (isCancellation(err)) return undefined;
    env.log.warn('audit', `account ${formatAccountId(account.id)}: ${describeError(err)}`);
    return { ...base, auditedAt: new Date().toISOString(), error: describeError(err) };
  }
}

/**
 * Into the report and the tree. A failed audit keeps the account's last known counts in the tree
 * (marked with the error) rather than showing it as clean.
 */
export function recordResults(env: Pick<CredentialEnv, 'results' | 'findings'>, results: readonly RootAuditResult[]): RootAuditResult[] {
  const known = results.map((r) => keepRecovery(r, env.findings.get(r.accountId)?.root?.passwordRecovery));
  env.results.merge(known);
  for (const r of known) {
    const prev = env.findings.get(r.accountId)?.root;
    env.findings.setRootStatus(r.error && prev ? { ...prev, error: r.error } : toRootStatus(r));
  }
  return known;
}

/**
 * The login profile "Allow Root Password Recovery" created has no password, but GetLoginProfile
 * answers the same for one with a password: while the audit sees that same login profile (same
 * creation time), it is still recovery-only.
 */
function keepRecovery(r: RootAuditResult, recoveryCreatedAt: string | undefined): RootAuditResult {
  const p = r.listing?.password;
  if (!r.listing || !p?.present || !recoveryCreatedAt || p.createdAt !== recoveryCreatedAt) return r;
  return { ...r, listing: { ...r.listing, password: { ...p, recoveryOnly: true } } };
}
