import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { targetOf } from '../../core/targets';
import { plural } from '../../core/humanTime';
import { formatAccountId } from '../../core/tasks';
import type { ScanMode } from '../../flows/scanAccount';
import type { ScanRequest, ScanSummary } from '../../flows/scan';
import { rootFlowEnv, scanEnv, type RootTaskServices } from '../../services/rootTaskEnv';
import { setting } from '../../services/settings';
import { journalToResume } from '../../services/bulkProgress';
import type { BulkJournal } from '../../core/bulkProgress';
import { chooseAccounts, type AccountScope } from '../accountScope';
import { registerCommand } from '../command';
import { editorPerson, withProgress } from '../person';

/**
 * Scan one account, an OU or every member account for locked S3 bucket and SQS queue policies;
 * and confirm a "suspected" resource (the scan role was denied) by reading its policy in a root
 * session: it becomes locked or fine.
 * Arguments for automation: a tree node, { accountId | accountIds | ouId | all }, { mode },
 * { justification, ticket }.
 */
export function register(services: RootTaskServices): vscode.Disposable[] {
  return [
    registerCommand(services.log, 'rootTasks.scanLockedPolicies', (arg) => scan(services, arg)),
    registerCommand(services.log, 'rootTasks.confirmSuspected', (arg) => {
      const target = targetOf(arg);
      if (target?.kind !== 'bucket' && target?.kind !== 'queue') throw new UserError('Choose a suspected bucket or queue in the tree.');
      const flows = services.flows();
      const kind = target.kind === 'bucket' ? flows.BUCKET_POLICY : flows.QUEUE_POLICY;
      const ops = services.aws.ops();
      const policyTarget = flows.targetFromArgs(kind, target, arg, target.accountId, { region: ops.region, endpoint: ops.endpoint });
      if (!policyTarget) throw new UserError('Choose a suspected bucket or queue in the tree.');
      const args = (arg ?? {}) as { justification?: string; ticket?: string };
      return flows.confirmSuspected(rootFlowEnv(services), editorPerson(args), kind, policyTarget);
    }),
  ];
}

async function scan(services: RootTaskServices, arg: unknown): Promise<(Omit<ScanSummary, 'skipped'> & { skipped: number; skippedAccounts: ScanSummary['skipped'] }) | undefined> {
  const resume = await journalToResume(services.storageDir, arg);
  if (resume) return resumeScan(services, resume, arg);
  // The organization or an OU while the index is still being listed: scan accounts as they are placed.
  const early = await listingScope(services, arg);
  const scope = early?.scope ?? await chooseAccounts(services.getIndex, arg, { title: 'Scan for locked policies', pick: 'many' });
  const accounts = [...scope.accounts, ...scope.inactive];
  if (!accounts.length && !early) {
    void vscode.window.showInformationMessage(`No member accounts in ${scope.label}.`);
    return undefined;
  }
  const args = (arg ?? {}) as { mode?: ScanMode; justification?: string; ticket?: string };
  const mode = args.mode ?? setting<ScanMode>('scan.mode', 'rootSession');
  const flows = services.flows();
  const env = scanEnv(services);
  const summary = await withProgress(`Scanning ${scope.label} for locked policies`, (progress) =>
    flows.scanForLockedPolicies(env, editorPerson(args), progress, {
      accounts,
      scope: scope.label,
      mode,
      roleName: setting('scan.roleName', 'OrganizationAccountAccessRole'),
      regions: setting<string[]>('scan.regions', []),
      homeRegion: env.management.ops.region,
      accountConcurrency: services.aws.ops().concurrency,
      ...(early ? { listing: early.listing } : {}),
    }),
  );
  report(services, summary, scope.label, mode);
  return { ...summary, skipped: summary.skipped.length, skippedAccounts: summary.skipped };
}

/**
 * A scan of the organization or of an OU asked for while the index is incomplete (no cached index:
 * the first scan, or after a profile switch): no picker, which would wait for the whole tree.
 */
async function listingScope(services: RootTaskServices, arg: unknown): Promise<{ scope: AccountScope; listing: NonNullable<ScanRequest['listing']> } | undefined> {
  const target = targetOf(arg);
  const sel = (arg ?? {}) as { all?: unknown; ouId?: unknown };
  const ouId = target?.kind === 'ou' ? target.ouId : typeof sel.ouId === 'string' && !target ? sel.ouId : undefined;
  if (!ouId && target?.kind !== 'organization' && !(sel.all === true && !target)) return undefined;
  const source = await services.orgListing?.();
  if (!source) return undefined;
  const scopeParent = ouId ?? source.index.organization.rootId;
  const label = ouId ? source.index.pathOf(ouId) : 'the organization';
  return { scope: { accounts: [], inactive: [], label }, listing: { source, scopeParent } };
}

/** Resumes an interrupted scan from its progress record: the accounts not yet done, same mode and regions. */
async function resumeScan(services: RootTaskServices, journal: BulkJournal, arg: unknown): Promise<ReturnType<typeof scan>> {
  const flows = services.flows();
  const env = scanEnv(services);
  const label = journal.record.label;
  const summary = await withProgress(`Resuming the scan of ${label}: ${journal.pending().length} accounts left`, (progress) =>
    flows.resumeScan(env, editorPerson((arg ?? {}) as { justification?: string; ticket?: string }), progress, journal, {
      roleName: setting('scan.roleName', 'OrganizationAccountAccessRole'),
      homeRegion: env.management.ops.region,
      accountConcurrency: services.aws.ops().concurrency,
    }),
  );
  const mode = journal.record.params.mode === 'role' ? 'role' : 'rootSession';
  report(services, summary, label, mode);
  return { ...summary, skipped: summary.skipped.length, skippedAccounts: summary.skipped };
}

/** The whole result in the log; a short notification that points there. */
function report(services: RootTaskServices, s: ScanSummary, scope: string, mode: ScanMode): void {
  const state = s.endedByUser ? 'Scan stopped (sessions ended by you)' : s.cancelled ? 'Scan cancelled' : 'Scan finished';
  const line = `${state}: ${plural(s.scanned, 'account')} of ${scope} scanned, ${s.locked} locked, ${s.suspected} suspected`
    + (s.failed ? `, ${plural(s.failed, 'account')} with errors` : '')
    + (s.skipped.length ? `, ${plural(s.skipped.length, 'account')} skipped` : '')
    + (s.interrupted ? `, ${plural(s.interrupted, 'account')} stopped midway (earlier results kept)` : '')
    + ` (${plural(s.calls, 'call')}, ${(s.ms / 1000).toFixed(1)} s, mode ${mode})`;
  services.log.info('scan', line);
  for (const skipped of s.skipped) services.log.info('scan', `${formatAccountId(skipped.accountId)}: ${skipped.reason}`);
  // The notification is short (never truncated); calls, time, mode and each skip are in the log.
  const short = `${state}: ${s.locked} locked, ${s.suspected} suspected in ${plural(s.scanned, 'account')} of ${scope}`
    + (s.failed ? `; ${plural(s.failed, 'account')} with errors` : '') + (s.skipped.length ? `; ${s.skipped.length} skipped` : '')
    + (s.remaining ? `; ${plural(s.remaining, 'account')} left (Resume Interrupted Bulk Work continues)` : '') + '.';
  const show = (c: string | undefined) => c && services.log.show();
  // A stop the person asked for is no news to them: the tree holds what was scanned, the status bar
  // says so for a moment, and no toast stacks on the next scan's (unless an account failed).
  const stopped = `${state} after ${s.scanned} of ${plural(s.accounts - s.skipped.length, 'account')}: ${s.locked} locked, ${s.suspected} suspected`
    + (s.remaining ? `; ${plural(s.remaining, 'account')} left for Resume Interrupted Bulk Work` : '') + '.';
  if ((s.cancelled || s.endedByUser) && !s.failed) vscode.window.setStatusBarMessage(`$(debug-stop) ${stopped}`, 10_000);
  else if (s.failed || s.skipped.length) void vscode.window.showWarningMessage(short, 'Show Log').then(show);
  else void vscode.window.showInformationMessage(short, 'Show Log').then(show);
}
