import { auditLevel, formatAuditLine } from './format';
import type { AuditEvent } from './types';

/**
 * The audit trail's events in OCSF 1.1.0 (https://schema.ocsf.io/1.1.0), the schema Amazon
 * Security Lake and most SIEMs take. Each event kind maps to one class:
 *
 * - Authorize Session (3003, IAM): `assumeRoot.*`: privileges assigned to a root session
 *   (activity 1 Assign Privileges; the task policy is the privilege; status Success or Failure).
 * - Account Change (3001, IAM): root-credential writes: `CreateLoginProfile` (password recovery,
 *   4 Password Reset), `DeactivateMFADevice` / `DeleteVirtualMFADevice` (11 MFA Factor Disable),
 *   `DeleteLoginProfile` / `DeleteAccessKey` / `DeleteSigningCertificate` (99 Other: OCSF 1.1 has
 *   no activity for removing one credential, and 6 Delete means the user itself was deleted).
 * - API Activity (6003, Application): every other `aws.read` / `aws.write` (2 Read, 1 Create,
 *   3 Update, 4 Delete by the operation's verb) and `cloudtrail.correlated` (its LookupEvents).
 * - Base Event (0): every other kind (intent, decision, approvals, TOTP, ...), activity 99 Other
 *   with the kind as activity_name.
 *
 * The native event is kept whole: `raw_data` is its stored line (canonical JSON, the exact bytes
 * its hash covers), `metadata.uid` its id, `metadata.sequence` its seq, and `unmapped` holds
 * `hash` and `prevHash`, so the chain can be verified from the destination's copy alone.
 */
export const OCSF_VERSION = '1.1.0';

export type AuditFormat = 'native' | 'ocsf';

const PRODUCT = { name: 'AWS Root Tasks', vendor_name: 'AWS Root Tasks' };
/** The source of every call: this editor extension (OCSF requires some name for the endpoint). */
const SOURCE = { svc_name: 'aws-root-tasks' };

const ACCOUNT_CHANGES: Readonly<Record<string, { id: number; name: string }>> = {
  CreateLoginProfile: { id: 4, name: 'Password Reset' },
  DeactivateMFADevice: { id: 11, name: 'MFA Factor Disable' },
  DeleteVirtualMFADevice: { id: 11, name: 'MFA Factor Disable' },
  DeleteLoginProfile: { id: 99, name: 'Delete Root Password' },
  DeleteAccessKey: { id: 99, name: 'Delete Root Access Key' },
  DeleteSigningCertificate: { id: 99, name: 'Delete Root Signing Certificate' },
};

type Ocsf = Record<string, unknown>;

/** One audit event as an OCSF 1.1.0 event; `line` is its stored line (what its hash covers). */
export function toOcsf(e: AuditEvent, line: string): Ocsf {
  if (e.kind.startsWith('assumeRoot.')) return authorizeSession(e, line);
  if (e.kind === 'aws.write' && e.operation && ACCOUNT_CHANGES[e.operation]) return accountChange(e, line, ACCOUNT_CHANGES[e.operation]!);
  if (e.kind === 'aws.read' || e.kind === 'aws.write' || e.kind === 'cloudtrail.correlated') return apiActivity(e, line);
  return classed(e, line, { class_uid: 0, class_name: 'Base Event', category_uid: 0, category_name: 'Uncategorized' }, 99, e.kind);
}

function authorizeSession(e: AuditEvent, line: string): Ocsf {
  return {
    ...classed(e, line, { class_uid: 3003, class_name: 'Authorize Session', category_uid: 3, category_name: 'Identity & Access Management' }, 1, 'Assign Privileges'),
    user: rootUser(e),
    privileges: [e.task ?? 'unknown root task'],
    session: {
      ...(e.taskId ? { uid: e.taskId } : {}),
      ...(e.expiresAt ? { expiration_time: Date.parse(e.expiresAt) } : {}),
      issuer: e.actor,
    },
  };
}

function accountChange(e: AuditEvent, line: string, activity: { id: number; name: string }): Ocsf {
  return {
    ...classed(e, line, { class_uid: 3001, class_name: 'Account Change', category_uid: 3, category_name: 'Identity & Access Management' }, activity.id, activity.name),
    user: rootUser(e),
    actor: actorOf(e),
    src_endpoint: SOURCE,
  };
}

function apiActivity(e: AuditEvent, line: string): Ocsf {
  const operation = e.operation ?? (e.kind === 'cloudtrail.correlated' ? 'LookupEvents' : 'unknown');
  const [id, name] = e.kind === 'aws.write' ? writeActivity(operation) : [2, 'Read'];
  return {
    ...classed(e, line, { class_uid: 6003, class_name: 'API Activity', category_uid: 6, category_name: 'Application Activity' }, id, name),
    api: { operation, ...(e.requestId ? { request: { uid: e.requestId } } : {}) },
    actor: actorOf(e),
    src_endpoint: SOURCE,
    ...(e.resource ? { resources: [{ uid: e.resource, ...(e.accountId ? { owner: { account: { uid: e.accountId, type_id: 10, type: 'AWS Account' } } } : {}) }] } : {}),
  };
}

function writeActivity(operation: string): [number, string] {
  if (/^(Create|Enable|Attach)/.test(operation)) return [1, 'Create'];
  if (/^(Delete|Deactivate|Disable|Detach|Remove)/.test(operation)) return [4, 'Delete'];
  return [3, 'Update'];
}

/** The attributes every class has: classification, time, severity, status, and the native event. */
function classed(
  e: AuditEvent, line: string, c: { class_uid: number; class_name: string; category_uid: number; category_name: string }, activityId: number, activityName: string,
): Ocsf {
  const [statusId, status] = statusOf(e);
  const [severityId, severity] = severityOf(e);
  return {
    ...c,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: c.class_uid * 100 + activityId,
    type_name: `${c.class_name}: ${activityName}`,
    time: Date.parse(e.time),
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    ...(e.error ? { status_detail: e.error } : {}),
    message: formatAuditLine(e),
    metadata: {
      version: OCSF_VERSION,
      product: PRODUCT,
      uid: e.id,
      sequence: e.seq,
      log_name: 'rootTasks.audit',
      ...(e.parentTaskId ?? e.taskId ? { correlation_uid: e.parentTaskId ?? e.taskId } : {}),
      original_time: e.time,
    },
    raw_data: line,
    unmapped: { kind: e.kind, hash: e.hash, prevHash: e.prevHash, ...(e.accessKeyId ? { accessKeyId: e.accessKeyId } : {}), ...(e.detail ? { detail: e.detail } : {}) },
  };
}

function statusOf(e: AuditEvent): [number, string] {
  switch (e.outcome) {
    case 'ok': return [1, 'Success'];
    case 'error':
    case 'denied': return [2, 'Failure'];
    case 'cancelled': return [99, 'Cancelled'];
    default: return e.kind === 'assumeRoot.failed' ? [2, 'Failure'] : [0, 'Unknown'];
  }
}

function severityOf(e: AuditEvent): [number, string] {
  const level = auditLevel(e);
  return level === 'error' ? [4, 'High'] : level === 'warn' ? [3, 'Medium'] : [1, 'Informational'];
}

function rootUser(e: AuditEvent): Ocsf {
  const account = e.accountId ?? 'unknown';
  return { uid: `arn:aws:iam::${account}:root`, name: 'root', type_id: 2, type: 'Admin', account: { uid: account, type_id: 10, type: 'AWS Account' } };
}

/** Who acted: the root session's user for a root task's calls, else the management principal. */
function actorOf(e: AuditEvent): Ocsf {
  // The CloudTrail lookup is made with the management credentials, after the session.
  if (e.kind !== 'cloudtrail.correlated' && e.task && e.accountId && e.taskId) {
    return { user: rootUser(e), session: { uid: e.taskId, issuer: e.actor, ...(e.accessKeyId ? { credential_uid: e.accessKeyId } : {}) }, invoked_by: e.actor };
  }
  return { user: { uid: e.actor } };
}
