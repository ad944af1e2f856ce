import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { OrgFeature, OrgFeatures, TrustedAccess } from '../aws/orgFeatures';
import { describeError, UserError } from '../core/errors';
import type { AuditRecorder } from '../core/sessionRunner';
import type { AwsAccess } from '../views/awsAccess';
import type { Log } from '../views/log';
import { auditedGate } from './featuresGate';

export interface FeatureFlowDeps {
  aws: AwsAccess;
  audit: AuditRecorder;
  log: Log;
  /** Told after the features changed (the tree shows them on the organization node). */
  onFeaturesChanged?: () => void;
}

export const FEATURE_LABELS: Record<OrgFeature, string> = {
  RootCredentialsManagement: 'Root credentials management',
  RootSessions: 'Privileged root actions (root sessions)',
};

export interface FeaturesView extends OrgFeatures {
  trustedAccess: TrustedAccess;
}

/** Reads IAM's organization features and trusted access, turning known errors into what to do. */
export async function readFeatures(deps: FeatureFlowDeps, taskId: string): Promise<FeaturesView> {
  const aws = deps.aws.context();
  const ops = deps.aws.module();
  const gate = auditedGate(deps.audit, aws.limiter, { taskId, operation: 'features' }, (err) => deps.log.warn('features', `audit: ${describeError(err)}`));
  let features: OrgFeatures;
  try {
    features = await ops.listOrganizationFeatures(aws, gate);
  } catch (err) {
    throw new UserError(`Could not read the organization features: ${ops.featureErrorAdvice(err) ?? describeError(err)}`);
  }
  const trustedAccess = await ops.readTrustedAccess(aws, gate).catch((err): TrustedAccess => ({ status: 'unknown', reason: describeError(err) }));
  return { ...features, trustedAccess };
}

/** Show the organization's centralized root access features, offering to enable what is off. */
export async function showOrganizationFeatures(deps: FeatureFlowDeps): Promise<FeaturesView> {
  const view = await readFeatures(deps, randomUUID());
  const parts = (Object.keys(FEATURE_LABELS) as OrgFeature[]).map((f) => `${FEATURE_LABELS[f]}: ${view.enabled[f] ? 'enabled' : 'disabled'}`);
  parts.push(`Trusted access for IAM: ${view.trustedAccess.status}${view.trustedAccess.reason ? ` (${view.trustedAccess.reason})` : ''}`);
  const text = `Organization ${view.organizationId}: ${parts.join(' · ')}`;
  deps.log.info('features', text);
  const missing = !view.enabled.RootCredentialsManagement || !view.enabled.RootSessions;
  void (missing ? vscode.window.showWarningMessage(text, 'Enable Features…') : vscode.window.showInformationMessage(text)).then((choice) => {
    if (choice) void vscode.commands.executeCommand('rootTasks.enableRootAccessFeatures');
  });
  return view;
}
