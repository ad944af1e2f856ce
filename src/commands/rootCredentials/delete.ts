import * as vscode from 'vscode';
import type { OrgAccount } from '../../core/orgIndex';
import { formatAccountId } from '../../core/tasks';
import type { CredentialEnv } from '../../flows/credentials/audit';
import type { DeleteChoice, DeleteOutcome, DeletePerson } from '../../flows/credentials/delete';
import type { FlowsModule } from '../../services/lazyBundles';
import type { Log } from '../../services/log';
import { journalToResume } from '../../services/bulkProgress';
import { chooseAccounts } from '../accountScope';
import { chooseApprovalPath, type ApprovalPathArgs } from '../approvalPath';
import { editorPerson, withProgress } from '../person';

export interface DeleteArgs extends ApprovalPathArgs {
  justification?: string;
  ticket?: string;
  /** Skip the per-account confirmation (tests, automation); the plan is still listed and audited. */
  confirm?: boolean;
}

/**
 * rootTasks.deleteRootCredentials: accounts → justification → per account the plan, a modal
 * confirmation naming the account and every credential, deletion and verification → summary.
 */
export async function deleteCommand(
  flows: FlowsModule, env: CredentialEnv, log: Log, showReport: (reveal: boolean) => void, arg?: unknown, storageDir?: string,
): Promise<DeleteOutcome> {
  const args = (arg ?? {}) as DeleteArgs;
  const resume = storageDir ? await journalToResume(storageDir, arg) : undefined;
  const { accounts, label } = await chooseAccounts(env.getIndex, resume ? { accountIds: resume.pending() } : arg, { title: 'Delete root user credentials', pick: 'many' });
  // With approvals required: a request per account (its own command), or break-glass with a reason.
  const path = await chooseApprovalPath(args, { requestLabel: accounts.length === 1 ? 'Prepare a request for approval' : undefined, automated: args.confirm === true });
  if (path?.kind === 'request') {
    await vscode.commands.executeCommand('rootTasks.requestRootCredentialDeletion', { accountId: accounts[0].id, justification: args.justification, ticket: args.ticket });
    return { accounts: [], counts: { deleted: 0, 'nothing-to-delete': 0, skipped: 0, incomplete: 0, failed: 0, cancelled: 0 } };
  }
  const person: DeletePerson = { ...editorPerson(args), ...(args.confirm === true ? {} : { confirmPlan: confirm }) };
  const breakGlass = path?.kind === 'breakGlass' ? path.reason : undefined;
  const result = await withProgress('Deleting root credentials', (progress) => flows.deleteRootCredentials(env, person, progress, accounts, { breakGlass, resume, label: resume?.record.label ?? label }));
  summarize(log, showReport, result);
  return result;
}

async function confirm(account: OrgAccount, items: string[], bulk: boolean): Promise<DeleteChoice> {
  const choices = bulk ? ['Delete', 'Skip This Account'] : ['Delete'];
  const choice = await vscode.window.showWarningMessage(
    `Delete the root user credentials of account "${account.name}" (${formatAccountId(account.id)})?`,
    { modal: true, detail: `This deletes:\n${items.map((i) => `• ${i}`).join('\n')}\n\nThe root user can then only sign in through password recovery.` },
    ...choices,
  );
  return choice === 'Delete' ? 'delete' : choice === 'Skip This Account' ? 'skip' : 'cancel';
}

function summarize(log: Log, showReport: (reveal: boolean) => void, result: DeleteOutcome): void {
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
    log.warn('delete', `${p.accountName} (${formatAccountId(p.accountId)}): ${p.outcome}${p.error ? `: ${p.error}` : ''}${p.remaining?.length ? `; remaining: ${p.remaining.join('; ')}` : ''}`);
  }
  const text = `Root credentials: ${parts.join(', ')}.` + (problems.length ? ` Problems: ${problems.map((p) => `${p.accountName} (${formatAccountId(p.accountId)})`).join(', ')} — see the log.` : '');
  log.info('delete', text);
  const show = problems.length ? vscode.window.showWarningMessage(text, 'Show Log', 'Show Report') : vscode.window.showInformationMessage(text, 'Show Report');
  void show.then((choice) => {
    if (choice === 'Show Log') log.show();
    if (choice === 'Show Report') showReport(true);
  });
}
