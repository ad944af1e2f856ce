import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { AwsContext } from '../aws/context';
import type { CallGate } from '../aws/iamRoot';
import type { OrgFeature, OrgFeatures } from '../aws/orgFeatures';
import type { AwsModule } from '../awsModule';
import { Cancelled, describeError, UserError } from '../core/errors';
import { adviceForError } from '../core/setupCheck';
import { formatAccountId } from '../core/tasks';
import { auditedGate } from './featuresGate';
import { FEATURE_LABELS, type FeatureFlowDeps } from './featuresShow';
import { askJustification } from './rootTask/runner';

export interface EnableArgs {
  /** Default: both features. */
  features?: OrgFeature[];
  justification?: string;
  ticket?: string;
  /** Skip the confirmation (tests, automation). */
  confirm?: boolean;
  /** With `confirm`, also enable trusted access for IAM when it is off (the dialog asks otherwise). */
  enableTrustedAccess?: boolean;
}

export interface EnableOutcome {
  organizationId: string;
  enabled: Record<OrgFeature, boolean>;
  changed: OrgFeature[];
  trustedAccessEnabled: boolean;
}

const WHAT: Record<OrgFeature, string> = {
  RootCredentialsManagement: 'lets the management account delete and audit member accounts\' root credentials; new accounts are created without them',
  RootSessions: 'lets the management account take short, task-scoped root sessions (AssumeRoot) in member accounts',
};

/**
 * Enable centralized root access (management account only): trusted access for IAM when it is
 * off, then RootCredentialsManagement and RootSessions, each verified by reading the features
 * again. Justification, ticket and the intent are recorded before any change (fail-closed).
 */
export async function enableRootAccessFeatures(deps: FeatureFlowDeps, arg?: unknown): Promise<EnableOutcome> {
  const args = (arg ?? {}) as EnableArgs;
  const wanted = args.features ?? (['RootCredentialsManagement', 'RootSessions'] as OrgFeature[]);
  const unknown = wanted.filter((f) => !(f in FEATURE_LABELS));
  if (unknown.length) throw new UserError(`Unknown feature ${unknown.join(', ')}; use RootCredentialsManagement or RootSessions.`);
  const taskId = randomUUID();
  const aws = deps.aws.context();
  const ops = deps.aws.module();
  const gate = auditedGate(deps.audit, aws.limiter, { taskId });
  const explain = (what: string, err: unknown) => new UserError(`${what}: ${adviceForError(ops.errorName(err)) ?? describeError(err)}`);

  const caller = await aws.callerIdentity().catch((err) => Promise.reject(explain('No usable AWS credentials', err)));
  const org = await ops.describeOrganizationFacts(aws, gate).catch((err) => Promise.reject(explain('Could not read the organization', err)));
  if (org.featureSet !== 'ALL') throw new UserError(adviceForError('OrganizationNotInAllFeaturesMode')!);
  if (caller.account !== org.managementAccountId) {
    throw new UserError(`Only the management account (${formatAccountId(org.managementAccountId)}) can enable these features; these credentials are of account ${formatAccountId(caller.account)}.`);
  }
  const trusted = await ops.readTrustedAccess(aws, gate);
  const { features: current, trustedOff } = await readCurrent(ops, aws, gate);
  const missing = wanted.filter((f) => !current.enabled[f]);
  if (!missing.length) {
    void vscode.window.showInformationMessage(`${wanted.map((f) => FEATURE_LABELS[f]).join(' and ')} already enabled for organization ${org.id}.`);
    return { organizationId: org.id, enabled: current.enabled, changed: [], trustedAccessEnabled: false };
  }
  const needTrusted = trusted.status === 'disabled' || trustedOff;
  const interactive = args.confirm !== true;
  if (needTrusted && !interactive && args.enableTrustedAccess !== true) throw new UserError(adviceForError('ServiceAccessNotEnabled')!);

  const why = await askJustification(args);
  const base = { taskId, resource: `organization/${org.id}`, operation: 'EnableOrganizationsFeatures' };
  await deps.audit.recordIntent({ ...base, kind: 'intent', ...why, detail: { features: missing.join(','), trustedAccess: needTrusted } });
  if (interactive) {
    const lines = [
      ...(needTrusted ? ['• Trusted access for IAM in AWS Organizations (needed by both features)'] : []),
      ...missing.map((f) => `• ${FEATURE_LABELS[f]} — ${WHAT[f]}`),
    ];
    const go = (await vscode.window.showWarningMessage(`Enable centralized root access for organization ${org.id}?`, { modal: true, detail: lines.join('\n') }, 'Enable')) === 'Enable';
    await deps.audit.record({ ...base, kind: 'decision', decision: go ? 'enable' : 'cancel', outcome: go ? 'ok' : 'cancelled' });
    if (!go) throw new Cancelled();
  }

  let trustedAccessEnabled = false;
  let after: OrgFeatures = current;
  try {
    if (needTrusted) {
      const t = await ops.enableTrustedAccess(aws, gate);
      if (t.status === 'disabled') throw new UserError('EnableAWSServiceAccess succeeded but IAM still has no trusted access.');
      trustedAccessEnabled = true;
    }
    for (const f of missing) after = await ops.setOrganizationFeature(aws, gate, f, true);
  } catch (err) {
    const failure = err instanceof UserError ? err : explain('Enabling the features failed', err);
    await deps.audit.record({ ...base, kind: 'error', outcome: 'error', error: failure.message });
    throw failure;
  }
  await deps.audit.record({ ...base, kind: 'verify', outcome: 'ok', detail: { RootCredentialsManagement: after.enabled.RootCredentialsManagement, RootSessions: after.enabled.RootSessions } });
  deps.onFeaturesChanged?.();
  const text = `Enabled ${missing.map((f) => FEATURE_LABELS[f]).join(' and ')}${trustedAccessEnabled ? ' (and trusted access for IAM)' : ''} for organization ${org.id} (verified).`;
  deps.log.info('features', text);
  void vscode.window.showInformationMessage(text);
  return { organizationId: org.id, enabled: after.enabled, changed: missing, trustedAccessEnabled };
}

/**
 * The features now. With trusted access off IAM refuses even to list them (ServiceAccessNotEnabled):
 * then none is on, and trusted access is known to be off even where it cannot be read directly.
 */
async function readCurrent(ops: AwsModule, aws: AwsContext, gate: CallGate): Promise<{ features: OrgFeatures; trustedOff: boolean }> {
  try {
    return { features: await ops.listOrganizationFeatures(aws, gate), trustedOff: false };
  } catch (err) {
    if (ops.isAwsError(err, 'ServiceAccessNotEnabled')) {
      return { features: { organizationId: '', enabled: { RootCredentialsManagement: false, RootSessions: false } }, trustedOff: true };
    }
    throw new UserError(`Could not read the organization features: ${adviceForError(ops.errorName(err)) ?? describeError(err)}`);
  }
}
