import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { OrgFeature } from '../../aws/orgFeatures';
import type { FeaturesView } from '../../flows/orgSetup/features';
import type { FlowsModule } from '../../services/lazyBundles';
import type { ManagementEnv } from '../../flows/ports';
import type { Log } from '../../services/log';

/** Show the organization's centralized root access features, offering to enable what is off. */
export async function showOrganizationFeatures(flows: FlowsModule, env: ManagementEnv, log: Log): Promise<FeaturesView> {
  const view = await flows.readFeatures(env, randomUUID());
  const parts = (Object.keys(flows.FEATURE_LABELS) as OrgFeature[]).map((f) => `${flows.FEATURE_LABELS[f]}: ${view.enabled[f] ? 'enabled' : 'disabled'}`);
  parts.push(`Trusted access for IAM: ${view.trustedAccess.status}${view.trustedAccess.reason ? ` (${view.trustedAccess.reason})` : ''}`);
  const text = `Organization ${view.organizationId}: ${parts.join(' · ')}`;
  log.info('features', text);
  const missing = !view.enabled.RootCredentialsManagement || !view.enabled.RootSessions;
  // Short notification (the full list is in the log): what matters, and where to act.
  const off = (Object.keys(flows.FEATURE_LABELS) as OrgFeature[]).filter((f) => !view.enabled[f]).map((f) => flows.FEATURE_LABELS[f]);
  const short = missing ? `Organization ${view.organizationId}: ${off.join(' and ')} off.` : `Organization ${view.organizationId}: centralized root access is on.`;
  void (missing ? vscode.window.showWarningMessage(short, 'Enable Features…', 'Show Log') : vscode.window.showInformationMessage(short, 'Show Log')).then((choice) => {
    if (choice === 'Enable Features…') void vscode.commands.executeCommand('rootTasks.enableRootAccessFeatures');
    else if (choice === 'Show Log') log.show();
  });
  return view;
}
