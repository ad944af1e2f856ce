import * as vscode from 'vscode';
import { SETUP_FIXES, type SetupFacts, type CheckItem } from '../../core/setupCheck';
import { managementEnv, type RootTaskServices } from '../../services/rootTaskEnv';
import { setupCheckHtml } from '../../views/reportHtml';
import { ReportPanel } from '../../views/reportPanel';
import { registerCommand } from '../command';
import { checkSetup, sinkFromSettings } from './checkSetup';
import { enableFeaturesCommand } from './enableFeatures';
import { showOrganizationFeatures } from './showFeatures';

export interface OrgSetupOptions {
  extensionUri: vscode.Uri;
  /** The audit trail's sink delivery status (for check setup); without it only the settings are read. */
  auditSink?: () => SetupFacts['auditSink'];
  /** The further audit destinations' delivery status (CloudWatch Logs, S3), one check item each. */
  auditDestinations?: () => Parameters<typeof checkSetup>[6];
  /** Told after the organization features changed. */
  onFeaturesChanged: () => void;
  /** Told each setup check's items (the walkthrough's step). */
  onChecked?: (items: readonly CheckItem[]) => void;
  /** The organization's SCPs/RCPs and the index they are judged against (cached beside it). */
  orgPolicies?: Parameters<typeof checkSetup>[5];
}

/** Organization setup: show / enable the centralized root access features, and the setup check with its view. */
export function register(services: RootTaskServices, options: OrgSetupOptions): vscode.Disposable[] {
  const { log } = services;
  // "What to do" links: open the setting or run the command (only the doctor's own fixes).
  const fixes = [...new Set(Object.values(SETUP_FIXES).map((f) => f!.action))];
  const setupPanel = new ReportPanel(options.extensionUri, 'rootTasks.setupCheck', 'Root Tasks Setup Check', ['rerun', ...fixes], (action) => {
    if (action.startsWith('fix:setting:')) return vscode.commands.executeCommand('workbench.action.openSettings', action.slice('fix:setting:'.length));
    if (action.startsWith('fix:command:')) return vscode.commands.executeCommand(action.slice('fix:command:'.length));
    return vscode.commands.executeCommand('rootTasks.checkSetup');
  });
  const showSetup = (items: readonly CheckItem[], checkedAt: string) => setupPanel.show((assets) => setupCheckHtml(assets, items, checkedAt));
  return [
    setupPanel,
    registerCommand(log, 'rootTasks.showOrganizationFeatures', () => showOrganizationFeatures(services.flows(), managementEnv(services), log)),
    registerCommand(log, 'rootTasks.enableRootAccessFeatures', (arg) => enableFeaturesCommand(services.flows(), managementEnv(services), options.onFeaturesChanged, arg)),
    registerCommand(log, 'rootTasks.checkSetup', async (arg) => {
      const result = await checkSetup(services.flows(), managementEnv(services), (options.auditSink ?? sinkFromSettings)(), showSetup, arg, options.orgPolicies, options.auditDestinations?.(), services.aws.clock);
      options.onChecked?.(result.items);
      return { ...result, html: setupPanel.html };
    }),
  ];
}
