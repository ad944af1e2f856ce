import * as vscode from 'vscode';
import { auditLevel, formatAuditLine, type AuditTrail } from '../core/audit';

/**
 * Shows every recorded event as one line in the audit LogOutputChannel, at its level. The line is
 * built from the event's allow-listed fields only; nothing else (SDK loggers, errors, requests)
 * is ever written to this channel.
 */
export function attachAuditChannel(trail: AuditTrail, channel: vscode.LogOutputChannel): vscode.Disposable {
  return trail.onDidRecord((event) => channel[auditLevel(event)](formatAuditLine(event)));
}
