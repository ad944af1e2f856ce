import * as vscode from 'vscode';
import type { AuditTrail } from '../../core/audit';
import { UserError } from '../../core/errors';
import { defaultExportUri } from '../../services/exportTarget';
import type { Log } from '../../services/log';

/** Verify Audit Log: walks the whole chain and says where it breaks, if it does. */
export async function verifyAuditLog(trail: AuditTrail, log: Log): Promise<{ ok: boolean; events: number; problem?: string }> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Verifying the audit log' },
    () => trail.verify(),
  );
  if (result.ok) {
    log.info('audit', `audit log verified: ${result.events} events, chain intact`);
    void vscode.window.showInformationMessage(`Audit log verified: ${result.events} events, the hash chain is intact.`);
  } else {
    log.error('audit', `audit log verification failed after ${result.events} events: ${result.problem}`);
    void vscode.window.showErrorMessage(`Audit log verification failed: ${result.problem}.`, 'Open Audit Log File').then((choice) => {
      if (choice) void vscode.commands.executeCommand('rootTasks.openAuditLogFile');
    });
  }
  return result;
}

/** Export Audit Log: all segments, in order, into one JSON-lines file the user picks; verified first. */
export async function exportAuditLog(trail: AuditTrail, log: Log, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = target ?? await vscode.window.showSaveDialog({
    title: 'Export Audit Log',
    saveLabel: 'Export',
    // Outside the workspace: an audit log must not end up committed with a repository.
    defaultUri: defaultExportUri(`root-tasks-audit-${new Date().toISOString().slice(0, 10)}.jsonl`),
    filters: { 'JSON Lines': ['jsonl'] },
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new UserError('The audit log can only be exported to a local file.');
  const verified = await trail.verify();
  const { events } = await trail.exportTo(uri.fsPath);
  const chain = verified.ok ? 'hash chain verified' : `hash chain NOT intact: ${verified.problem}`;
  log.info('audit', `exported ${events} audit events (${chain})`);
  const show = verified.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`Exported ${events} audit events (${chain}).`);
  return uri;
}

/** Open Audit Log File: the segment being written, read-only for this session (edits would break the chain). */
export async function openAuditLogFile(trail: AuditTrail): Promise<void> {
  const file = await trail.activeFile();
  if (!file) {
    void vscode.window.showInformationMessage('The audit log is empty: no event has been recorded yet.');
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
}

/**
 * Acknowledge Damaged Audit Log: when Verify fails, says what is wrong and, once the person
 * confirms (or `{ confirm: true }` is passed by automation), moves the damaged files aside and
 * starts a new chain linked to the old one — itself an audited event. Root tasks run again.
 */
export async function acknowledgeAuditDamage(trail: AuditTrail, log: Log, args?: unknown): Promise<{ restarted: boolean; seq?: number }> {
  const verified = await trail.verify();
  if (verified.ok) {
    void vscode.window.showInformationMessage(`The audit log verifies (${verified.events} events): there is nothing to acknowledge.`);
    return { restarted: false };
  }
  const confirmed = (args as { confirm?: unknown } | undefined)?.confirm === true || (await vscode.window.showWarningMessage(
    `The audit log is damaged: ${verified.problem}. Start a new audit chain? The damaged files are kept aside in the log folder, and the new chain records this acknowledgement and links to the last known event.`,
    { modal: true },
    'Start New Chain',
  )) === 'Start New Chain';
  if (!confirmed) return { restarted: false };
  const result = await trail.acknowledgeDamage();
  if (!result.restarted) return { restarted: false };
  log.warn('audit', `damaged audit log acknowledged (${result.problem}); files moved to ${result.archive}; new chain from seq ${result.event.seq}`);
  void vscode.window.showInformationMessage(`A new audit chain starts at seq ${result.event.seq}; the damaged files are in ${result.archive}.`);
  return { restarted: true, seq: result.event.seq };
}
