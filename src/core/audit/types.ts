/** Every step of every flow that leaves an audit event. */
export type AuditKind =
  | 'intent'
  | 'assumeRoot.requested'
  | 'assumeRoot.granted'
  | 'assumeRoot.failed'
  | 'aws.read'
  | 'aws.write'
  | 'preview.shown'
  | 'decision'
  | 'verify'
  | 'session.ended'
  | 'session.expired'
  | 'error'
  | 'scan.started'
  | 'scan.finished'
  | 'totp.added'
  | 'totp.removed'
  | 'totp.revealed'
  | 'totp.copied'
  | 'settings.changed'
  | 'guardrail.refused'
  | 'audit.chainRestarted'
  | 'approval.requested'
  | 'approval.signed'
  | 'approval.verified'
  | 'approval.refused'
  | 'approval.voided'
  | 'breakGlass'
  | 'cloudtrail.correlated';

export const AUDIT_KINDS: ReadonlySet<AuditKind> = new Set<AuditKind>([
  'intent', 'assumeRoot.requested', 'assumeRoot.granted', 'assumeRoot.failed', 'aws.read', 'aws.write',
  'preview.shown', 'decision', 'verify', 'session.ended', 'session.expired', 'error', 'scan.started',
  'scan.finished', 'totp.added', 'totp.removed', 'totp.revealed', 'totp.copied', 'settings.changed',
  'guardrail.refused', 'audit.chainRestarted', 'approval.requested', 'approval.signed', 'approval.verified',
  'approval.refused', 'approval.voided', 'breakGlass', 'cloudtrail.correlated',
]);

/**
 * The first event of a new chain started after the person acknowledged a damaged log (the old
 * files are kept aside): its seq is one past the highest seq ever known, so none is reused, and
 * its prevHash is the newest head known, so the new chain links to the old one. Verification
 * accepts the gap it documents (its detail says where the old log ended and why).
 */
export const CHAIN_RESTARTED: AuditKind = 'audit.chainRestarted';

/**
 * The events that go through the fail-closed gate (recordIntent): a root session's intent, a
 * scan's intent (one justification and ticket for all its sessions, before the first of them),
 * and a break-glass (the requester acting alone although approvals are required).
 */
export const INTENT_KINDS: readonly AuditKind[] = ['intent', 'scan.started', 'breakGlass'];
/** Gate events the sink must acknowledge whatever rootTasks.audit.strictAck says. */
export const ALWAYS_STRICT_KINDS: readonly AuditKind[] = ['breakGlass'];
export const isIntentKind = (kind: AuditKind): boolean => INTENT_KINDS.includes(kind);

export type AuditOutcome = 'ok' | 'error' | 'denied' | 'cancelled';

/** What a flow reports. Only these fields are ever written or shown (see sanitize.ts). */
export interface AuditInput {
  kind: AuditKind;
  taskId?: string;
  /** The task this one is part of: a scan's id on each of its account sessions' events. */
  parentTaskId?: string;
  task?: string;
  accountId?: string;
  resource?: string;
  justification?: string;
  ticket?: string;
  operation?: string;
  outcome?: AuditOutcome;
  requestId?: string;
  error?: string;
  expiresAt?: string;
  beforeSha256?: string;
  afterSha256?: string;
  /** The policy document before a change, so it can be restored. */
  before?: string;
  decision?: string;
  /** An approval's signer: the principal from the allowed-signers file. */
  signer?: string;
  /** The signer's key fingerprint (SHA256:...), never the key itself. */
  keyFingerprint?: string;
  /** SHA-256 of a root task request's canonical bytes. */
  requestSha256?: string;
  /**
   * A root session's access key id (ASIA…): an identifier CloudTrail records on every call the
   * session made, so the member account's actions can be found by it. Never the secret key or token.
   */
  accessKeyId?: string;
  detail?: Record<string, string | number | boolean>;
}

/** An event as stored in the log and delivered to the sink. */
export interface AuditEvent extends AuditInput {
  id: string;
  seq: number;
  time: string;
  /** The caller identity ARN of the management credentials (or 'unknown' before sign-in). */
  actor: string;
  prevHash: string;
  hash: string;
}

/** prevHash of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** A point of the chain known from outside the log (the delivery cursor, the last write). */
export interface ChainAnchor {
  seq: number;
  hash: string;
  /** Where the anchor comes from, for the verification message. */
  source: string;
}
