import type { AuditEvent } from './types';

export type AuditLevel = 'info' | 'warn' | 'error';

export function auditLevel(e: AuditEvent): AuditLevel {
  // Break-glass is high severity: root acted without the required approvals.
  if (e.kind === 'error' || e.kind === 'assumeRoot.failed' || e.kind === 'breakGlass' || e.outcome === 'error') return 'error';
  if (
    e.kind === 'guardrail.refused' || e.kind === 'approval.refused' || e.kind === 'approval.voided' || e.kind === 'session.expired'
    || e.kind === 'audit.chainRestarted' || e.outcome === 'denied'
  ) return 'warn';
  return 'info';
}

/**
 * One readable line per event for the output channel. Built from the allow-listed fields only
 * (the event was sanitized before it was written); long text is shortened, the policy document
 * itself is shown as its hash, and line breaks are made visible so an event is always one line.
 */
export function formatAuditLine(e: AuditEvent): string {
  const parts: string[] = [`#${e.seq}`, e.kind];
  if (e.task) parts.push(e.task);
  if (e.operation) parts.push(e.operation);
  if (e.outcome) parts.push(`→ ${e.outcome}`);
  if (e.accountId) parts.push(`account ${e.accountId}`);
  if (e.resource) parts.push(short(e.resource, 200));
  if (e.decision) parts.push(`decision ${e.decision}`);
  if (e.ticket) parts.push(`ticket ${e.ticket}`);
  if (e.signer) parts.push(`signer ${e.signer}`);
  if (e.keyFingerprint) parts.push(`key ${e.keyFingerprint}`);
  if (e.requestSha256) parts.push(`request sha256:${e.requestSha256.slice(0, 12)}`);
  if (e.justification) parts.push(`"${short(e.justification, 120)}"`);
  if (e.expiresAt) parts.push(`expires ${e.expiresAt}`);
  if (e.beforeSha256) parts.push(`before sha256:${e.beforeSha256.slice(0, 12)}`);
  if (e.afterSha256) parts.push(`after sha256:${e.afterSha256.slice(0, 12)}`);
  if (e.before !== undefined && !e.beforeSha256) parts.push(`before (${e.before.length} chars kept in the log)`);
  if (e.requestId) parts.push(`request ${e.requestId}`);
  if (e.accessKeyId) parts.push(`key id ${e.accessKeyId}`);
  if (e.error) parts.push(`error: ${short(e.error, 300)}`);
  if (e.detail) parts.push(...Object.entries(e.detail).map(([k, v]) => `${k}=${short(String(v), 80)}`));
  if (e.taskId) parts.push(`[task ${e.taskId}]`);
  parts.push(`by ${e.actor}`);
  return parts.join(' ');
}

function short(text: string, max: number): string {
  const oneLine = text.replace(/\r?\n/g, ' ⏎ ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
