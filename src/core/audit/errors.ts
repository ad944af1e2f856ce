import { UserError } from '../errors';

export type AuditRefusal = 'write' | 'input' | 'backlog' | 'ack' | 'config';

/**
 * The audit trail refused: a root task must not go ahead. Every refusal is an AuditGateError, so
 * a flow needs one check; the subclasses say why. Messages are for the user and carry no secrets.
 */
export class AuditGateError extends UserError {
  constructor(
    message: string,
    readonly reason: AuditRefusal,
  ) {
    super(message);
    this.name = 'AuditGateError';
  }
}

/** The local log could not be written durably (disk full, permission, not a directory, corrupt log). */
export class AuditWriteError extends AuditGateError {
  constructor(message: string) {
    super(message, 'write');
    this.name = 'AuditWriteError';
  }
}

/** The event was rejected before writing: an invalid field, or a value that looks like a secret. */
export class AuditInputError extends AuditGateError {
  constructor(message: string) {
    super(message, 'input');
    this.name = 'AuditInputError';
  }
}

/** `ENOSPC` etc. from a node error, else its message; never a stack or nested properties. */
export function fsReason(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Whether an error is the audit trail refusing or failing a record. By name, not class: the flows
 * run from their own bundle, whose copies of these classes are not the trail's.
 */
export function isAuditFailure(err: unknown): boolean {
  const name = err instanceof Error ? err.name : '';
  return name === 'AuditGateError' || name === 'AuditWriteError' || name === 'AuditInputError';
}
