import type { DeletionStep } from '../../aws/iamRoot';
import { Cancelled, describeError, isCancellation, UserError } from '../../core/errors';
import type { OrgAccount } from '../../core/orgIndex';
import { hasAnyCredential, type RootCredentialListing } from '../../core/rootReport';
import { formatAccountId } from '../../core/tasks';
import type { BulkJournal } from '../../core/bulkProgress';
import { journalFor, markDone } from '../bulkJournal';
import { forEachAccount } from '../pool';
import type { ActiveRootTask, Justification, Person, Progress } from '../ports';
import { recordResults, type CredentialEnv } from './audit';

export type DeleteChoice = 'delete' | 'skip' | 'cancel';

export interface DeletePerson extends Person {
  /**
   * Confirms the plan for one account (the exact credentials listed). Undefined: no questions
   * (automation); the plan is still listed and audited. With a person, accounts go one by one.
   */
  confirmPlan?(account: OrgAccount, items: string[], bulk: boolean): Promise<DeleteChoice>;
}

export type DeleteAccountOutcome = {
  accountId: string;
  accountName: string;
  /** deleted: verified empty; incomplete: something remains; skipped: the person chose not to. */
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
 * lists what the root user has, asks (naming the account and each credential), deletes that and
 * only that, re-lists and verifies nothing remains. Over several accounts each runs on its own:
 * a failure is a line in the summary, never the end of the others. Cancel stops the rest.
 */
export async function deleteRootCredentials(
  env: CredentialEnv, person: DeletePerson, progress: Progress, accounts: OrgAccount[], options: { breakGlass?: string; label?: string; resume?: BulkJournal } = {},
): Promise<DeleteOutcome> {
  if (!accounts.length) throw new UserError('No active member accounts selected.');
  const why = await person.justify(`delete root credentials in ${accounts.length === 1 ? `${accounts[0].name} (${formatAccountId(accounts[0].id)})` : `${accounts.length} accounts`}`);
  const index = await env.getIndex();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  progress.signal.addEventListener('abort', onAbort);
  try {
    let finished = 0;
    const bulk = accounts.length > 1;
    // Bulk deletes keep a progress record (one account needs none): a reload resumes at the accounts not done.
    const journal = bulk || options.resume ? await journalFor(env.progressStore, options.resume, {
      kind: 'credentialsDelete', label: options.label ?? `${accounts.length} accounts`, params: {}, accounts: accounts.map((a) => a.id),
    }, env.log) : undefined;
    // One question at a time: with confirmations, accounts go one by one.
    const { done, notStarted } = await forEachAccount(accounts, person.confirmPlan ? 1 : env.concurrency, stop.signal, async (account) => {
      const path = account.parentId ? index.pathOf(account.parentId) : undefined;
      const outcome = await deleteOne(env, person, account, path, why, bulk, stop, options.breakGlass);
      if (outcome.outcome !== 'cancelled') await markDone(journal, account.id, DONE_AS[outcome.outcome]);
      progress.report(++finished, accounts.length, `${finished} of ${accounts.length} accounts`);
      return outcome;
    });
    const outcomes = [...done, ...notStarted.map((a): DeleteAccountOutcome => ({ accountId: a.id, accountName: a.name, outcome: 'cancelled' }))];
    if (journal && !outcomes.some((o) => o.outcome === 'cancelled')) await journal.complete().catch(() => undefined);
    return { accounts: outcomes, counts: countOutcomes(outcomes) };
  } finally {
    progress.signal.removeEventListener('abort', onAbort);
  }
}

async function deleteOne(
  env: CredentialEnv, person: DeletePerson, account: OrgAccount, path: string | undefined, why: Justification, bulk: boolean, stop: AbortController,
  breakGlass: string | undefined,
): Promise<DeleteAccountOutcome> {
  const base = { accountId: account.id, accountName: account.name };
  try {
    // With approvals required, each account's session is a break-glass of its own (the sink must
    // acknowledge each); without a reason the runner refuses before AssumeRoot.
    const approval = breakGlass === undefined ? undefined : { kind: 'breakGlass' as const, reason: breakGlass };
    return await env.run({ task: 'IAMDeleteRootUserCredentials', accountId: account.id, ...why, approval }, async (t) => {
      const plan = await t.session.ops.listRootCredentials(t, account.id, { summary: false, lastUsed: true });
      if (!hasAnyCredential(plan)) {
        recordResults(env, [{ ...base, path, auditedAt: new Date().toISOString(), listing: plan }]);
        return { ...base, outcome: 'nothing-to-delete' };
      }
      const items = describePlan(plan);
      await t.record({ kind: 'preview.shown', resource: `arn:aws:iam::${account.id}:root`, detail: planCounts(plan) });
      const decision = person.confirmPlan ? await person.confirmPlan(account, items, bulk) : 'delete';
      await t.record({ kind: 'decision', decision, outcome: decision === 'delete' ? 'ok' : 'cancelled' });
      if (decision === 'cancel') {
        stop.abort();
        throw new Cancelled();
      }
      if (decision === 'skip') return { ...base, outcome: 'skipped' };
      // Confirmed: deletion runs to the end (no cancellation half-way), then the re-listing verifies.
      const deleted = await t.session.ops.deleteRootCredentials(t, account.id, plan);
      const remaining = describePlan(deleted.after);
      await verified(t, deleted.verified, remaining);
      recordResults(env, [{ ...base, path, auditedAt: new Date().toISOString(), listing: deleted.after }]);
      return { ...base, outcome: deleted.verified ? 'deleted' : 'incomplete', steps: deleted.steps, remaining };
    });
  } catch (err) {
    if (isCancellation(err)) return { ...base, outcome: 'cancelled' };
    env.log.warn('delete', `account ${formatAccountId(account.id)}: ${describeError(err)}`);
    return { ...base, outcome: 'failed', error: describeError(err) };
  }
}

function verified(t: ActiveRootTask, ok: boolean, remaining: string[]): Promise<void> {
  return t.record({
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

/** How each account's outcome goes into the progress record ('cancelled' is not done: a resume does it). */
const DONE_AS = { deleted: 'ok', 'nothing-to-delete': 'ok', skipped: 'skipped', incomplete: 'failed', failed: 'failed' } as const;

function countOutcomes(outcomes: DeleteAccountOutcome[]): DeleteOutcome['counts'] {
  const counts = { deleted: 0, 'nothing-to-delete': 0, skipped: 0, incomplete: 0, failed: 0, cancelled: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}
