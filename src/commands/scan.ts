import * as vscode from 'vscode';
import type { AwsAccess } from '../views/awsAccess';
import type { Log } from '../views/log';
import type { OrgService } from '../views/orgService';
import type { FindingsStore } from '../core/findings';
import type { OrgAccount, OrgIndex } from '../core/orgIndex';
import type { ScanAudit, ScanMode } from '../aws/scan';
import { targetOf } from '../core/targets';
import { Cancelled } from '../core/errors';
import { formatAccountId } from '../core/tasks';
import { setting } from '../views/settings';
import { registerCommand } from './command';

export interface ScanDeps {
  log: Log;
  aws: AwsAccess;
  org: OrgService;
  findings: FindingsStore;
  audit: ScanAudit;
}

/**
 * Scan one account, an OU or every member account for locked S3 bucket and SQS queue policies;
 * and confirm a "suspected" resource (the scan role was denied) with a read-only root session.
 */
export function registerScan(deps: ScanDeps): vscode.Disposable[] {
  return [
    registerCommand(deps.log, 'rootTasks.scanLockedPolicies', (arg) => scan(deps, arg)),
    registerCommand(deps.log, 'rootTasks.confirmSuspected', (arg) => {
      const target = targetOf(arg);
      if (target?.kind !== 'bucket' && target?.kind !== 'queue') throw new Error('Choose a suspected bucket or queue in the tree');
      return scan(deps, { target: { kind: 'ids', ids: [target.accountId] }, mode: 'rootSession' });
    }),
  ];
}

async function scan(deps: ScanDeps, arg: unknown) {
  {
    const index = await deps.org.getIndex();
    const chosen = await chooseAccounts(index, arg);
    const scope = chosen.scope;
    // AWS refuses AssumeRoot (and role sessions) on suspended or closing accounts: say so, don't fail.
    const accounts = chosen.accounts.filter((a) => a.state === 'ACTIVE');
    const skipped = chosen.accounts.filter((a) => a.state !== 'ACTIVE');
    for (const a of skipped) deps.findings.setScan(a.id, [], new Date().toISOString(), `Not scanned: the account is ${a.state}`);
    if (!accounts.length) {
      void vscode.window.showInformationMessage(`No member accounts in ${scope}.`);
      return undefined;
    }
    const mode = (arg as { mode?: ScanMode } | undefined)?.mode ?? setting<ScanMode>('scan.mode', 'rootSession');
    const options = {
      mode,
      roleName: setting('scan.roleName', 'OrganizationAccountAccessRole'),
      regions: setting<string[]>('scan.regions', []),
      accountConcurrency: setting('concurrency', 8),
      organizationId: index.organization.id,
    };
    const module = deps.aws.module();
    const context = deps.aws.context();
    const started = Date.now();
    await deps.audit.record({ kind: 'scan.started', operation: `scan (${mode})`, outcome: 'ok', resource: scope });
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Scanning ${scope} for locked policies`, cancellable: true },
      async (progress, token) => {
        let done = 0;
        let locked = 0;
        return module.scanAccounts(context, accounts.map((a) => a.id), options, deps.audit, (result) => {
          done++;
          locked += result.resources.filter((r) => r.verdict === 'locked').length;
          deps.findings.setScan(result.accountId, result.resources, new Date().toISOString(), result.errors.join('\n') || undefined);
          progress.report({ increment: 100 / accounts.length, message: `${done}/${accounts.length} accounts · ${locked} locked` });
        }, () => token.isCancellationRequested);
      },
    );
    await deps.findings.flush();
    const all = accounts.flatMap((a) => deps.findings.get(a.id)?.resources ?? []);
    const locked = all.filter((r) => r.verdict === 'locked').length;
    const suspected = all.filter((r) => r.verdict === 'suspected').length;
    const line = `${summary.cancelled ? 'Scan cancelled' : 'Scan finished'}: ${accounts.length} accounts, ${locked} locked, ${suspected} suspected${summary.failed ? `, ${summary.failed} account(s) with errors` : ''}${skipped.length ? `, ${skipped.length} not active (skipped)` : ''} (${summary.calls} calls, ${((Date.now() - started) / 1000).toFixed(1)} s, mode ${mode})`;
    deps.log.info('scan', line);
    await deps.audit.record({ kind: 'scan.finished', operation: `scan (${mode})`, outcome: summary.failed ? 'error' : 'ok', resource: scope });
    if (summary.failed) {
      void vscode.window.showWarningMessage(line, 'Show Log').then((c) => c && deps.log.show());
    } else {
      void vscode.window.showInformationMessage(line);
    }
    return { ...summary, locked, suspected, skipped: skipped.length };
  }
}

async function chooseAccounts(index: OrgIndex, arg: unknown): Promise<{ accounts: OrgAccount[]; scope: string }> {
  const members = (list: OrgAccount[]) => list.filter((a) => a.id !== index.organization.managementAccountId);
  const given = (arg as { target?: { kind: 'ids'; ids: string[] } } | undefined)?.target;
  const target = given?.kind === 'ids' ? given : targetOf(arg) ?? (typeof arg === 'object' && arg && 'accountIds' in arg
    ? { kind: 'ids' as const, ids: (arg as { accountIds: string[] }).accountIds }
    : undefined);
  if (target?.kind === 'ids') return { accounts: members(target.ids.map((id) => index.accounts.get(id)).filter((a): a is OrgAccount => !!a)), scope: `${target.ids.length} account(s)` };
  if (target?.kind === 'account') return { accounts: members([index.accounts.get(target.accountId)].filter((a): a is OrgAccount => !!a)), scope: target.name };
  if (target?.kind === 'ou') return { accounts: members(index.accountsUnder(target.ouId)), scope: target.name };
  if (target?.kind === 'organization') return { accounts: index.memberAccounts(), scope: 'the organization' };
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'All member accounts', description: `${index.memberAccounts().length} accounts`, value: 'all' },
      { label: 'An organizational unit…', value: 'ou' },
      { label: 'An account…', value: 'account' },
    ],
    { title: 'Scan for locked policies' },
  );
  if (!pick) throw new Cancelled();
  if (pick.value === 'all') return { accounts: index.memberAccounts(), scope: 'the organization' };
  if (pick.value === 'ou') {
    const ous = [...index.ous.values()].map((o) => ({ label: index.pathOf(o.id), description: o.id, id: o.id }));
    const ou = await vscode.window.showQuickPick(ous, { title: 'Scan which OU?', matchOnDescription: true });
    if (!ou) throw new Cancelled();
    return { accounts: members(index.accountsUnder(ou.id)), scope: ou.label };
  }
  const items = index.memberAccounts().map((a) => ({ label: a.name, description: formatAccountId(a.id), detail: index.pathOf(a.parentId), account: a }));
  const acc = await vscode.window.showQuickPick(items, { title: 'Scan which account?', matchOnDescription: true, matchOnDetail: true });
  if (!acc) throw new Cancelled();
  return { accounts: [acc.account], scope: acc.label };
}
