import * as vscode from 'vscode';
import type { BulkJournal, BulkKind } from '../../core/bulkProgress';
import { progressStore } from '../../services/bulkProgress';
import type { RootTaskServices } from '../../services/rootTaskEnv';
import { registerCommand } from '../command';

/** The command that does each kind of bulk work; it resumes a job given `{ resumeId }`. */
const COMMAND_OF: Record<BulkKind, string> = {
  scan: 'rootTasks.scanLockedPolicies',
  credentialsAudit: 'rootTasks.auditRootCredentials',
  credentialsDelete: 'rootTasks.deleteRootCredentials',
};
const NAME_OF: Record<BulkKind, string> = { scan: 'scan', credentialsAudit: 'root credential audit', credentialsDelete: 'root credential deletion' };

/** "The scan of Workloads / Prod: 1,234 of 2,000 accounts left" */
export function describeJob(j: BulkJournal): string {
  const left = j.pending().length;
  return `The ${NAME_OF[j.record.kind]} of ${j.record.label}: ${left.toLocaleString('en-US')} of ${j.record.accounts.length.toLocaleString('en-US')} accounts left`;
}

/**
 * Resume Interrupted Bulk Work: a scan, credential audit or bulk delete cut short by a reload, a
 * crash or a cancel continues with the accounts not yet done (its progress record in global
 * storage). On start, when such work exists, a notification offers it.
 */
export function register(services: RootTaskServices): vscode.Disposable[] {
  const store = () => progressStore(services.storageDir);
  const resume = (j: BulkJournal) => vscode.commands.executeCommand(COMMAND_OF[j.record.kind], { resumeId: j.record.id });
  const choose = async (): Promise<unknown> => {
    const jobs = await store().unfinished();
    if (!jobs.length) {
      void vscode.window.showInformationMessage('No interrupted scan, audit or deletion to resume.');
      return undefined;
    }
    const picked = jobs.length === 1 ? jobs[0] : (await vscode.window.showQuickPick(
      jobs.map((j) => ({ label: describeJob(j), description: `started ${j.record.startedAt.slice(0, 16).replace('T', ' ')} UTC`, job: j })),
      { title: 'Resume interrupted bulk work' },
    ))?.job;
    if (!picked) return undefined;
    const action = await vscode.window.showQuickPick(['Resume', 'Discard (forget the remaining accounts)'], { title: describeJob(picked) });
    if (action === 'Resume') return resume(picked);
    if (action?.startsWith('Discard')) await store().discard(picked.record.id);
    return undefined;
  };
  // After activation, off its path: reading global storage is local and small, and never blocks a command.
  const offer = setTimeout(() => void offerResume(), 1500);
  const offerResume = async () => {
    const [newest, ...more] = await store().unfinished().catch(() => []);
    if (!newest) return;
    const choice = await vscode.window.showInformationMessage(
      `${describeJob(newest)} (interrupted).${more.length ? ` ${more.length} more interrupted.` : ''}`, 'Resume', 'Discard', 'Later',
    );
    if (choice === 'Resume') await resume(newest);
    else if (choice === 'Discard') await store().discard(newest.record.id);
  };
  return [registerCommand(services.log, 'rootTasks.resumeBulkWork', choose), { dispose: () => clearTimeout(offer) }];
}
