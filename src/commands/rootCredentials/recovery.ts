import * as vscode from 'vscode';
import type { RecoveryResult } from '../../aws/iamRoot';
import type { OrgAccount } from '../../core/orgIndex';
import { formatAccountId } from '../../core/tasks';
import type { CredentialEnv } from '../../flows/credentials/audit';
import type { RecoveryPerson } from '../../flows/credentials/recovery';
import type { FlowsModule } from '../../services/lazyBundles';
import { chooseAccounts } from '../accountScope';
import { chooseApprovalPath, type ApprovalPathArgs } from '../approvalPath';
import type { Log } from '../../services/log';
import { noteDone } from '../notices';
import { editorPerson } from '../person';

export interface RecoveryArgs extends ApprovalPathArgs {
  accountId?: string;
  justification?: string;
  ticket?: string;
  /** Skip the confirmation (tests, automation). */
  confirm?: boolean;
}

const shown = (a: OrgAccount) => `"${a.name}" (${formatAccountId(a.id)})`;

/** rootTasks.allowRootPasswordRecovery: account → justification → confirmation → the recovery flow. */
export async function recoveryCommand(flows: FlowsModule, env: CredentialEnv, log: Log, arg?: unknown): Promise<RecoveryResult & { accountId: string }> {
  const args = (arg ?? {}) as RecoveryArgs;
  const [account] = (await chooseAccounts(env.getIndex, arg, { title: 'Allow root password recovery', pick: 'one' })).accounts;
  // With approvals required a recovery goes ahead only as break-glass (there is no change to review).
  const path = await chooseApprovalPath(args, { automated: args.confirm === true });
  const person: RecoveryPerson = { ...editorPerson(args), ...(args.confirm === true ? {} : { confirmRecovery }) };
  const result = await flows.allowRootPasswordRecovery(env, person, account, { breakGlass: path?.kind === 'breakGlass' ? path.reason : undefined });
  if (result.outcome === 'has-password') {
    void vscode.window.showWarningMessage(`The root user of account ${shown(account)} already has a password, so it can already recover it; nothing was changed.`);
  } else {
    // The tree and the report now say "password recovery enabled": a passing note, not a toast.
    noteDone(log, 'recovery', `Root password recovery is allowed for account ${shown(account)} (verified).`);
  }
  return result;
}

async function confirmRecovery(account: OrgAccount): Promise<boolean> {
  return (await vscode.window.showWarningMessage(
    `Allow root password recovery for account ${shown(account)}?`,
    { modal: true, detail: 'The root user has no password. This creates its login profile without a password, so the owner of the root email address can set one through "Forgot password".' },
    'Allow Recovery',
  )) === 'Allow Recovery';
}
