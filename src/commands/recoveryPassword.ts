import * as vscode from 'vscode';
import type { RecoveryResult } from '../aws/iamRoot';
import { Cancelled } from '../core/errors';
import { formatAccountId } from '../core/tasks';
import { sessionGate } from './auditGate';
import type { CredentialFlowDeps } from './auditRootCredentials';
import { askJustification, pickAccount, withRootSession } from './rootTask/runner';

export interface RecoveryArgs {
  accountId?: string;
  justification?: string;
  ticket?: string;
  /** Skip the confirmation (tests, automation). */
  confirm?: boolean;
}

/**
 * Allow root password recovery: for an account whose root user has no password, a root session
 * with IAMCreateRootUserPassword creates the login profile without a password (so "Forgot
 * password" works for the root email), then reads it back to verify. An account that already has
 * a password is left untouched.
 */
export async function allowRootPasswordRecovery(deps: CredentialFlowDeps, arg?: unknown): Promise<RecoveryResult & { accountId: string }> {
  const args = (arg ?? {}) as RecoveryArgs;
  const [account] = await pickAccount(deps.getIndex, arg, { title: 'Allow root password recovery' });
  const shown = `"${account.name}" (${formatAccountId(account.id)})`;
  const why = await askJustification(args);
  const aws = deps.aws.context();
  const result = await withRootSession(deps, { task: 'IAMCreateRootUserPassword', accountId: account.id, ...why }, async (active) => {
    const resource = `arn:aws:iam::${account.id}:root`;
    const outcome = await deps.aws.module().allowRootPasswordRecovery(active.session.clients().iam, sessionGate(active, aws.limiter), account.id, async () => {
      await active.record({ kind: 'preview.shown', resource, detail: { action: 'CreateLoginProfile without password' } });
      const go = args.confirm === true || (await vscode.window.showWarningMessage(
        `Allow root password recovery for account ${shown}?`,
        { modal: true, detail: 'The root user has no password. This creates its login profile without a password, so the owner of the root email address can set one through "Forgot password".' },
        'Allow Recovery',
      )) === 'Allow Recovery';
      await active.record({ kind: 'decision', decision: go ? 'allow' : 'cancel', outcome: go ? 'ok' : 'cancelled' });
      if (!go) throw new Cancelled();
    });
    await active.record({ kind: 'verify', resource, outcome: outcome.outcome === 'enabled' ? 'ok' : 'error', detail: { outcome: outcome.outcome } });
    return outcome;
  });
  if (result.outcome === 'has-password') {
    void vscode.window.showWarningMessage(`The root user of account ${shown} already has a password, so it can already recover it; nothing was changed.`);
    return { ...result, accountId: account.id };
  }
  const prev = deps.findings.get(account.id)?.root;
  deps.findings.setRootStatus({
    accountId: account.id,
    password: true,
    accessKeys: prev?.accessKeys ?? 0,
    signingCertificates: prev?.signingCertificates ?? 0,
    mfaDevices: prev?.mfaDevices ?? 0,
    auditedAt: prev?.auditedAt ?? new Date().toISOString(),
  });
  const audited = deps.results.get(account.id);
  if (audited?.listing) {
    deps.results.merge([{ ...audited, listing: { ...audited.listing, password: { present: true, createdAt: result.createdAt } } }]);
  }
  void vscode.window.showInformationMessage(`Root password recovery is allowed for account ${shown} (verified).`);
  return { ...result, accountId: account.id };
}
