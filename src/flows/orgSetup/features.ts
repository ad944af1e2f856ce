import type { OrgFeature, OrgFeatures, TrustedAccess } from '../../aws/orgFeatures';
import { errorName, isAwsError } from '../../aws/errors';
import { Cancelled, describeError, isUserError, UserError } from '../../core/errors';
import type { CallGate } from '../../core/gate';
import { adviceForError } from '../../core/setupCheck';
import { formatAccountId } from '../../core/tasks';
import { managementGate } from '../managementGate';
import type { ManagementEnv, Person } from '../ports';

export const FEATURE_LABELS: Record<OrgFeature, string> = {
  RootCredentialsManagement: 'Root credentials management',
  RootSessions: 'Privileged root actions (root sessions)',
};

export interface FeaturesView extends OrgFeatures {
  trustedAccess: TrustedAccess;
}

/** Reads IAM's organization features and trusted access, turning known errors into what to do. Audited best-effort. */
export async function readFeatures(env: ManagementEnv, taskId: string): Promise<FeaturesView> {
  const gate = managementGate(env, { taskId, operation: 'features' }, (err) => env.log.warn('features', `audit: ${describeError(err)}`));
  let features: OrgFeatures;
  try {
    features = await env.ops.listOrganizationFeatures(gate);
  } catch (err) {
    throw new UserError(`Could not read the organization features: ${adviceForError(errorName(err)) ?? describeError(err)}`);
  }
  const trustedAccess = await env.ops.readTrustedAccess(gate).catch((err): TrustedAccess => ({ status: 'unknown', reason: describeError(err) }));
  return { ...features, trustedAccess };
}

export interface EnablePerson extends Person {
  /** Confirms the listed changes; undefined = no question (automation). */
  confirmEnable?(organizationId: string, lines: string[]): Promise<boolean>;
}

export interface EnableRequest {
  /** Default: both features. */
  features?: OrgFeature[];
  /** Without a confirmation question, also enable trusted access for IAM when it is off. */
  enableTrustedAccess?: boolean;
}

export interface EnableOutcome {
  organizationId: string;
  enabled: Record<OrgFeature, boolean>;
  changed: OrgFeature[];
  trustedAccessEnabled: boolean;
  /** What was done, for the person. */
  message: string;
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
export async function enableRootAccessFeatures(env: ManagementEnv, person: EnablePerson, taskId: string, req: EnableRequest): Promise<EnableOutcome> {
  const wanted = req.features ?? (['RootCredentialsManagement', 'RootSessions'] as OrgFeature[]);
  const unknown = wanted.filter((f) => !(f in FEATURE_LABELS));
  if (unknown.length) throw new UserError(`Unknown feature ${unknown.join(', ')}; use RootCredentialsManagement or RootSessions.`);
  const gate = managementGate(env, { taskId });
  const explain = (what: string, err: unknown) => new UserError(`${what}: ${adviceForError(errorName(err)) ?? describeError(err)}`);

  const caller = await env.ops.callerIdentity().catch((err) => Promise.reject(explain('No usable AWS credentials', err)));
  const org = await env.ops.describeOrganizationFacts(gate).catch((err) => Promise.reject(explain('Could not read the organization', err)));
  if (org.featureSet !== 'ALL') throw new UserError(adviceForError('OrganizationNotInAllFeaturesMode')!);
  if (caller.account !== org.managementAccountId) {
    throw new UserError(`Only the management account (${formatAccountId(org.managementAccountId)}) can enable these features; these credentials are of account ${formatAccountId(caller.account)}.`);
  }
  const trusted = await env.ops.readTrustedAccess(gate);
  const { features: current, trustedOff } = await readCurrent(env, gate);
  const missing = wanted.filter((f) => !current.enabled[f]);
  if (!missing.length) {
    const message = `${wanted.map((f) => FEATURE_LABELS[f]).join(' and ')} already enabled for organization ${org.id}.`;
    return { organizationId: org.id, enabled: current.enabled, changed: [], trustedAccessEnabled: false, message };
  }
  const needTrusted = trusted.status === 'disabled' || trustedOff;
  if (needTrusted && !person.confirmEnable && req.enableTrustedAccess !== true) throw new UserError(adviceForError('ServiceAccessNotEnabled')!);

  const why = await person.justify();
  const base = { taskId, resource: `organization/${org.id}`, operation: 'EnableOrganizationsFeatures' };
  await env.audit.recordIntent({ ...base, kind: 'intent', ...why, detail: { features: missing.join(','), trustedAccess: needTrusted } });
  if (person.confirmEnable) {
    const lines = [
      ...(needTrusted ? ['• Trusted access for IAM in AWS Organizations (needed by both features)'] : []),
      ...missing.map((f) => `• ${FEATURE_LABELS[f]} — ${WHAT[f]}`),
    ];
    const go = await person.confirmEnable(org.id, lines);
    await env.audit.record({ ...base, kind: 'decision', decision: go ? 'enable' : 'cancel', outcome: go ? 'ok' : 'cancelled' });
    if (!go) throw new Cancelled();
  }

  let trustedAccessEnabled = false;
  let after: OrgFeatures = current;
  try {
    if (needTrusted) {
      const t = await env.ops.enableTrustedAccess(gate);
      if (t.status === 'disabled') throw new UserError('EnableAWSServiceAccess succeeded but IAM still has no trusted access.');
      trustedAccessEnabled = true;
    }
    for (const f of missing) after = await env.ops.setOrganizationFeature(gate, f, true);
  } catch (err) {
    const failure = isUserError(err) ? err : explain('Enabling the features failed', err);
    await env.audit.record({ ...base, kind: 'error', outcome: 'error', error: failure.message });
    throw failure;
  }
  await env.audit.record({ ...base, kind: 'verify', outcome: 'ok', detail: { RootCredentialsManagement: after.enabled.RootCredentialsManagement, RootSessions: after.enabled.RootSessions } });
  const message = `Enabled ${missing.map((f) => FEATURE_LABELS[f]).join(' and ')}${trustedAccessEnabled ? ' (and trusted access for IAM)' : ''} for organization ${org.id} (verified).`;
  env.log.info('features', message);
  return { organizationId: org.id, enabled: after.enabled, changed: missing, trustedAccessEnabled, message };
}

/**
 * The features now. With trusted access off IAM refuses even to list them (ServiceAccessNotEnabled):
 * then none is on, and trusted access is known to be off even where it cannot be read directly.
 */
async function readCurrent(env: ManagementEnv, gate: CallGate): Promise<{ features: OrgFeatures; trustedOff: boolean }> {
  try {
    return { features: await env.ops.listOrganizationFeatures(gate), trustedOff: false };
  } catch (err) {
    if (isAwsError(err, 'ServiceAccessNotEnabled')) {
      return { features: { organizationId: '', enabled: { RootCredentialsManagement: false, RootSessions: false } }, trustedOff: true };
    }
    throw new UserError(`Could not read the organization features: ${adviceForError(errorName(err)) ?? describeError(err)}`);
  }
}
