import * as path from 'path';
import * as vscode from 'vscode';
import { Cancelled, UserError } from '../../core/errors';
import { toCsv, toJson, type RootAuditResults } from '../../core/rootReport';
import { defaultExportUri } from '../../services/exportTarget';

export interface ExportArgs {
  format?: 'csv' | 'json';
  /** Where to write (tests, automation); otherwise a save dialog asks. */
  outputPath?: string;
}

export interface ExportResult {
  path: string;
  format: 'csv' | 'json';
  accounts: number;
}

/**
 * Export the root-credential report (every account audited in this window, latest result each)
 * as CSV (one row per account, spreadsheet-safe) or JSON (full detail and summary). It holds
 * key ids and dates, never a secret.
 */
export async function exportRootCredentialReport(deps: { results: RootAuditResults }, arg?: unknown): Promise<ExportResult> {
  const args = (arg ?? {}) as ExportArgs;
  if (!deps.results.size) {
    throw new UserError('No root credential audit in this window yet: run "Root Tasks: Audit Root User Credentials" first.');
  }
  const format = args.format ?? (await pickFormat());
  if (format !== 'csv' && format !== 'json') throw new UserError(`Unknown report format "${String(format)}"; use csv or json.`);
  const report = deps.results.report();
  let target: vscode.Uri;
  if (args.outputPath) {
    target = vscode.Uri.file(path.resolve(args.outputPath));
  } else {
    const name = `root-credentials-${report.generatedAt.slice(0, 10)}.${format}`;
    const picked = await vscode.window.showSaveDialog({
      title: 'Export root credential report',
      // Outside the workspace: a credential report must not end up committed with a repository.
      defaultUri: defaultExportUri(name),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      saveLabel: 'Export',
    });
    if (!picked) throw new Cancelled();
    target = picked;
  }
  const text = format === 'csv' ? toCsv(report) : toJson(report);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const shown = target.scheme === 'file' ? target.fsPath : target.toString();
  if (!args.outputPath) void vscode.window.showInformationMessage(`Root credential report (${report.rows.length} accounts) saved to ${shown}.`);
  return { path: shown, format, accounts: report.rows.length };
}

async function pickFormat(): Promise<'csv' | 'json'> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'CSV', description: 'one row per account, for spreadsheets', format: 'csv' as const },
      { label: 'JSON', description: 'full detail: keys with last use, MFA serials, summary', format: 'json' as const },
    ],
    { title: 'Export root credential report', placeHolder: 'Format' },
  );
  if (!picked) throw new Cancelled();
  return picked.format;
}
