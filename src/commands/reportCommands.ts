import * as vscode from 'vscode';
import { RootAuditResults } from '../core/rootReport';
import type { CheckItem, SetupFacts } from '../core/setupCheck';
import { rootReportHtml, setupCheckHtml } from '../views/reportHtml';
import { ReportPanel } from '../views/reportPanel';
import { auditRootCredentials, type CredentialFlowDeps } from './auditRootCredentials';
import { checkSetup, sinkFromSettings } from './checkSetup';
import { registerCommand } from './command';
import { deleteRootCredentials } from './deleteRootCredentials';
import { enableRootAccessFeatures } from './featuresEnable';
import { showOrganizationFeatures } from './featuresShow';
import { allowRootPasswordRecovery } from './recoveryPassword';
import { exportRootCredentialReport } from './reportExport';
import type { RootTaskDeps } from './rootTask/runner';

export interface CredentialFlowOptions {
  extensionUri: vscode.Uri;
  /** The audit trail's sink delivery status (for check setup); without it only the settings are read. */
  auditSink?: () => SetupFacts['auditSink'];
  /** Told after the organization features changed. */
  onFeaturesChanged?: () => void;
}

/**
 * Registers the root-credential and organization-setup flows (audit, delete, password recovery,
 * features, check setup) and their report views (the root-credential report with CSV/JSON
 * export, the setup check). The report keeps the latest audit per account for this window.
 */
export function registerCredentialFlows(deps: RootTaskDeps, options: CredentialFlowOptions): vscode.Disposable[] {
  const { log } = deps;
  const results = new RootAuditResults();
  const run = (command: string, args?: unknown) => void vscode.commands.executeCommand(command, args);
  const reportPanel = new ReportPanel(options.extensionUri, 'rootTasks.rootCredentialReport', 'Root Credential Report', ['exportCsv', 'exportJson'], (action) =>
    run('rootTasks.exportRootCredentialReport', { format: action === 'exportCsv' ? 'csv' : 'json' }),
  );
  const setupPanel = new ReportPanel(options.extensionUri, 'rootTasks.setupCheck', 'Root Tasks Setup Check', ['rerun'], () => run('rootTasks.checkSetup'));
  const showReport = (reveal: boolean) => reportPanel.show((assets) => rootReportHtml(assets, results.report()), reveal);
  const showSetup = (items: readonly CheckItem[], checkedAt: string) => setupPanel.show((assets) => setupCheckHtml(assets, items, checkedAt));
  const flows: CredentialFlowDeps = { ...deps, results, showReport };
  const features = { aws: deps.aws, audit: deps.audit, log, onFeaturesChanged: options.onFeaturesChanged };
  return [
    reportPanel,
    setupPanel,
    // An open report follows deletes and later audits without stealing focus.
    results.onDidChange(() => {
      if (reportPanel.visible) showReport(false);
    }),
    registerCommand(log, 'rootTasks.auditRootCredentials', (arg) => auditRootCredentials(flows, arg)),
    registerCommand(log, 'rootTasks.deleteRootCredentials', (arg) => deleteRootCredentials(flows, arg)),
    registerCommand(log, 'rootTasks.allowRootPasswordRecovery', (arg) => allowRootPasswordRecovery(flows, arg)),
    registerCommand(log, 'rootTasks.exportRootCredentialReport', (arg) => exportRootCredentialReport(flows, arg)),
    registerCommand(log, 'rootTasks.showRootCredentialReport', () => {
      showReport(true);
      return { html: reportPanel.html };
    }),
    registerCommand(log, 'rootTasks.showOrganizationFeatures', () => showOrganizationFeatures(features)),
    registerCommand(log, 'rootTasks.enableRootAccessFeatures', (arg) => enableRootAccessFeatures(features, arg)),
    registerCommand(log, 'rootTasks.checkSetup', async (arg) => {
      const result = await checkSetup({ ...features, auditSink: options.auditSink ?? sinkFromSettings, showSetup }, arg);
      return { ...result, html: setupPanel.html };
    }),
  ];
}
