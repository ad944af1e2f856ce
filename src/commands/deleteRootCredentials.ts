import * as vscode from 'vscode';
import type { DeletionStep } from '../aws/iamRoot';
import { Cancelled, describeError, isCancellation, UserError } from '../core/errors';
import type { OrgAccount } from '../core/orgIndex';
import { hasAnyCredential, type RootCredentialListing } from '../core/rootReport';
import { formatAccountId } from '../core/tasks';
import { sessionGate } from './auditGate';
import { forEachAccount } from './auditPool';
import { recordResults, type CredentialFlowDeps } from './auditRootCredentials';
import { resolveAccounts, type AccountSelection } from './auditScope';
import { askJustification, withRootSession, type ActiveRootTask } from './rootTask/runner';

export interface DeleteArgs extends AccountSelection {
  justification?: string;
  ticket?: string;
  /** Skip the per-account confirmation (tests, automation); the plan is still listed and audited. */
  confirm?: boolean;
}

export type DeleteAccountOutcome = {
  accountId: string;
  accountName: string;
  /** deleted: verified empty; incomplete: something remains; skipped: the user chose not to. */
  outcome: 'deleted' | 'nothing-to-delete' | 'skipped' | 'incomplete' | 'failed' | 'cancelled';
  steps?: DeletionStep[];
  remaining?: string[];
  error?: string;
};

export interface DeleteOutcome {
  accounts: DeleteAccountOutcome[];
  counts: Record<DeleteAccountOutcome['outcome'], number>;
}

/**
 * Delete root user credentials: per account a root session with IAMDeleteRootUserCredentials
 * lists what the root user has, shows exactly that and asks (modal, naming the account), deletes
 * that and only that, re-lists and verifies nothing remains. Over several accounts each runs on its
 * own: a failure is a line in the summary, never the end of the others.
 */
export async function deleteRootCredentials(deps: CredentialFlowDeps, arg?: unknown): Promise<DeleteOutcome> {
  const args = (arg ?? {}) as DeleteArgs;
  const { accounts } = await resolveAccounts(deps.getIndex, arg, 'Delete root user credentials');
  if (!accounts.length) throw new UserError('No active member accounts selected.');
  const why = await askJustification(args);
  const index = await deps.getIndex();
  const pathOf = (a: OrgAccount) => (a.parentId ? index.pathOf(a.parentId) : undefined);
  const aws = deps.aws.context();
  const interactive = args.confirm !== true;
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Deleting root credentials', cancellable: true },
    async (progress, token) => {
      const stop = new vscode.CancellationTokenSource();
      const linked = token.onCancellationRequested(() => stop.cancel());
      try {
        let finished = 0;
        // One modal at a time: with confirmations, accounts go one by one.
        const { done, notStarted } = await forEachAccount(accounts, interactive ? 1 : aws.settings.concurrency, stop.token, async (account) => {
          const outcome = await deleteOne(deps, account, pathOf(account), why, { interactive, bulk: accounts.length > 1, stop });
          progress.report({ increment: 100 / accounts.length, message: `${++finished} of ${accounts.length} accounts` });
          return outcome;
        });
        return [...done, ...notStarted.map((a): DeleteAccountOutcome => ({ accountId: a.id, accountName: a.name, outcome: 'cancelled' }))];
      } finally {
        linked.dispose();
        stop.dispose();
      }
    },
  );
  const result = { accounts: outcomes, counts: countOutcomes(outcomes) };
  summarize(deps, result);
  return result;
}

async function deleteOne(
  deps: CredentialFlowDeps,
  account: OrgAccount,
  path: string | undefined,
  why: { justification: string; ticket: string },
  ui: { interactive: boolean; bulk: boolean; stop: vscode.CancellationTokenSource },
): Promise<DeleteAccountOutcome> {
  const base = { accountId: account.id, accountName: account.name };
  const aws = deps.aws.context();
  const ops = deps.aws.module();
  try {
    return await withRootSession(deps, { task: 'IAMDeleteRootUserCredentials', accountId: account.id, ...why }, async (active) => {
      const iam = active.session.clients().iam;
      const plan = await ops.listRootCredentials(iam, sessionGate(active, aws.limiter, ui.stop.token), account.id, { summary: false, lastUsed: true });
      if (!hasAnyCredential(plan)) {
        recordResults(deps, [{ ...base, path, auditedAt: new Date().toISOString(), listing: plan }]);
        return { ...base, outcome: 'nothing-to-delete' };
      }
      const items = describePlan(plan);
      await active.record({ kind: 'preview.shown', resource: `arn:aws:iam::${account.id}:root`, detail: planCounts(plan) });
      const decision = ui.interactive ? await confirm(account, items, ui.bulk) : 'delete';
      await active.record({ kind: 'decision', decision, outcome: decision === 'delete' ? 'ok' : 'cancelled' });
      if (decision === 'cancel') {
        ui.stop.cancel();
        throw new Cancelled();
      }
      if (decision === 'skip') return { ...base, outcome: 'skipped' };
      // Confirmed: deletion runs to the end (no cancellation half-way), then the re-listing verifies.
      const deleted = await ops.deleteRootCredentials(iam, sessionGate(active, aws.limiter), account.id, plan);
      const remaining = describePlan(deleted.after);
      await verified(active, deleted.verified, remaining);
      recordResults(deps, [{ ...base, path, auditedAt: new Date().toISOString(), listing: deleted.after }]);
      return { ...base, outcome: deleted.verified ? 'deleted' : 'incomplete', steps: deleted.steps, remaining };
    });
  } catch (err) {
    if (isCancellation(err)) return { ...base, outcome: 'cancelled' };
    deps.log.warn('delete', `account ${formatAccountId(account.id)}: ${describeError(err)}`);
    return { ...base, outcome: 'failed', error: describeError(err) };
  }
}

function verified(active: ActiveRootTask, ok: boolean, remaining: string[]): Promise<void> {
  return active.record({
    kind: 'verify',
    outcome: ok ? 'ok' : 'error',
    ...(ok ? {} : { error: `still present after deleting: ${remaining.join('; ')}` }),
    detail: { remaining: remaining.length },
  });
}

/** One line per credential, as the confirmation and the summary show it. */
export function describePlan(l: RootCredentialListing): string[] {
  return [
    ...(l.password.present ? [`Console password${l.password.createdAt ? ` (created ${l.password.createdAt.slice(0, 10)})` : ''}`] : []),
    ...l.accessKeys.map((k) => `Access key ${k.id} (${k.status}, last used ${k.lastUsed?.date?.slice(0, 10) ?? 'never'})`),
    ...l.signingCertificates.map((c) => `Signing certificate ${c.id} (${c.status})`),
    ...l.mfaDevices.map((d) => `MFA device ${d.serialNumber} (${d.virtual ? 'virtual: deactivated and deleted' : 'deactivated'})`),
  ];
}

function planCounts(l: RootCredentialListing): Record<string, number> {
  return { password: l.password.present ? 1 : 0, accessKeys: l.accessKeys.length, signingCertificates: l.signingCertificates.length, mfaDevices: l.mfaDevices.length };
}

async function confirm(account: OrgAccount, items: string[], bulk: boolean): Promise<'delete' | 'skip' | 'cancel'> {
  const choices = bulk ? ['Delete', 'Skip This Account'] : ['Delete'];
  const choice = await vscode.window.showWarningMessage(
    `Delete the root user credentials of account "${account.name}" (${formatAccountId(account.id)})?`,
    { modal: true, detail: `This deletes:\n${items.map((i) => `• ${i}`).join('\n')}\n\nThe root user can then only sign in through password recovery.` },
    ...choices,
  );
  return choice === 'Delete' ? 'delete' : choice === 'Skip This Account' ? 'skip' : 'cancel';
}

function countOutcomes(outcomes: DeleteAccountOutcome[]): DeleteOutcome['counts'] {
  const counts = { deleted: 0, 'nothing-to-delete': 0, skipped: 0, incomplete: 0, failed: 0, cancelled: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}

function summarize(deps: CredentialFlowDeps, result: DeleteOutcome): void {
  const c = result.counts;
  const parts = [
    `${c.deleted} deleted and verified`,
    c['nothing-to-delete'] && `${c['nothing-to-delete']} had none`,
    c.skipped && `${c.skipped} skipped`,
    c.incomplete && `${c.incomplete} incomplete`,
    c.failed && `${c.failed} failed`,
    c.cancelled && `${c.cancelled} cancelled`,
  ].filter(Boolean);
  const problems = result.accounts.filter((a) => a.outcome === 'failed' || a.outcome === 'incomplete');
  for (const p of problems) {
    deps.log.warn('delete', `${p.accountName} (${formatAccountId(p.accountId)}): ${p.outcome}${p.error ? `: ${p.error}` : ''}${p.remaining?.length ? `; remaining: ${p.remaining.join('; ')}` : ''}`);
  }
  const text = `Root credentials: ${parts.join(', ')}.` + (problems.length ? ` Problems: ${problems.map((p) => `${p.accountName} (${formatAccountId(p.accountId)})`).join(', ')} — see the log.` : '');
  deps.log.info('delete', text);
  const show = problems.length ? vscode.window.showWarningMessage(text, 'Show Log', 'Show Report') : vscode.window.showInformationMessage(text, 'Show Report');
  void show.then((choice) => {
    if (choice === 'Show Log') deps.log.show();
    if (choice === 'Show Report') deps.showReport(true);
  });
}
