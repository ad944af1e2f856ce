import * as vscode from 'vscode';
import { RootAuditResults } from '../../core/rootReport';
import type { CredentialEnv } from '../../flows/credentials/audit';
import { progressStore } from '../../services/bulkProgress';
import { rootFlowEnv, type RootTaskServices } from '../../services/rootTaskEnv';
import { rootReportHtml } from '../../views/reportHtml';
import { ReportPanel } from '../../views/reportPanel';
import { registerCommand } from '../command';
import { auditCommand } from './audit';
import { deleteCommand } from './delete';
import { recoveryCommand } from './recovery';
import { exportRootCredentialReport } from './reportExport';

/**
 * The root-credential commands (audit, delete, password recovery) and their report view with
 * CSV/JSON export. The report keeps the latest audit per account for this window.
 */
export function register(services: RootTaskServices, extensionUri: vscode.Uri): vscode.Disposable[] {
  const { log } = services;
  const results = new RootAuditResults();
  const reportPanel = new ReportPanel(extensionUri, 'rootTasks.rootCredentialReport', 'Root Credential Report', ['exportCsv', 'exportJson'], (action) =>
    void vscode.commands.executeCommand('rootTasks.exportRootCredentialReport', { format: action === 'exportCsv' ? 'csv' : 'json' }),
  );
  const showReport = (reveal: boolean) => reportPanel.show((assets) => rootReportHtml(assets, results.report()), reveal);
  const env = (): CredentialEnv => ({
    ...rootFlowEnv(services), results, concurrency: services.aws.ops().concurrency, progressStore: progressStore(services.storageDir),
  });
  return [
    reportPanel,
    // An open report follows deletes and later audits without stealing focus.
    results.onDidChange(() => {
      if (reportPanel.visible) showReport(false);
    }),
    registerCommand(log, 'rootTasks.auditRootCredentials', (arg) => auditCommand(services.flows(), env(), showReport, arg, services.storageDir)),
    registerCommand(log, 'rootTasks.deleteRootCredentials', (arg) => deleteCommand(services.flows(), env(), log, showReport, arg, services.storageDir)),
    registerCommand(log, 'rootTasks.allowRootPasswordRecovery', (arg) => recoveryCommand(services.flows(), env(), log, arg)),
    registerCommand(log, 'rootTasks.exportRootCredentialReport', (arg) => exportRootCredentialReport({ results }, arg)),
    registerCommand(log, 'rootTasks.showRootCredentialReport', () => {
      showReport(true);
      return { html: reportPanel.html };
    }),
  ];
}
