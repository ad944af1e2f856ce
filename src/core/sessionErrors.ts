import { UserError, isUserError } from './errors';
import { ROOT_TASKS, formatAccountId, type RootTaskName } from './tasks';

/**
 * Turns a failure during a root task into one clear, specific sentence. Reads only an error's
 * name, code and message: SDK errors carry the signed request (session token) in other fields.
 */
export interface FailureContext {
  task: RootTaskName;
  accountId: string;
  /** The AWS operation that failed, e.g. "AssumeRoot", "PutBucketPolicy". */
  operation?: string;
  resource?: string;
}

export type FailureKind = 'accessDenied' | 'expired' | 'throttled' | 'unreachable' | 'regionDisabled' | 'other';

const THROTTLING = ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'SlowDown', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException'];
const DENIED = ['AccessDenied', 'AccessDeniedException', 'AuthorizationError', 'UnauthorizedOperation'];
const EXPIRED = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'];

function field(err: unknown, key: string): string {
  const v = err && typeof err === 'object' ? (err as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
}

export function classifyFailure(err: unknown): FailureKind {
  const name = field(err, 'name');
  const code = field(err, 'code') || field(err, 'Code');
  const message = field(err, 'message');
  if (THROTTLING.includes(name) || THROTTLING.includes(code)) return 'throttled';
  if (EXPIRED.includes(name) || EXPIRED.includes(code)) return 'expired';
  if (DENIED.includes(name) || DENIED.includes(code)) return 'accessDenied';
  if (name === 'RegionDisabledException' || name === 'RegionDisabled') return 'regionDisabled';
  if (NETWORK_CODES.includes(code) || NETWORK_CODES.some((c) => message.includes(c)) || name === 'TimeoutError') {
    return 'unreachable';
  }
  return 'other';
}

export function explainFailure(err: unknown, ctx: FailureContext): string {
  if (isUserError(err)) return err.message;
  const name = field(err, 'name');
  const message = field(err, 'message') || String(err);
  const op = ctx.operation ?? 'the call';
  const account = formatAccountId(ctx.accountId);
  const task = ROOT_TASKS[ctx.task].name;
  switch (classifyFailure(err)) {
    case 'throttled':
      return `AWS throttled ${op} (${name || 'Throttling'}) for account ${account}; nothing was written. Wait a minute and run the task again, or lower rootTasks.concurrency or rootTasks.requestsPerSecondPerAccount.`;
    case 'expired':
      return `The root session for account ${account} expired during ${op}; nothing more was written. Run the task again for a fresh session.`;
    case 'accessDenied':
      return op === 'AssumeRoot'
        ? `AssumeRoot (${task}) on account ${account} was denied: ${message}. Centralized root access may be off: the organization needs trusted access for IAM and the RootSessions feature, and the caller must be the management account or the IAM delegated administrator with sts:AssumeRoot. Run "Root Tasks: Check Setup".`
        : `Access denied for ${op}${ctx.resource ? ` on ${ctx.resource}` : ''} in account ${account} with the ${task} root session: ${message}.`;
    case 'regionDisabled':
      return `AssumeRoot failed: STS is not enabled in the configured region (${message}). Choose an enabled region in rootTasks.region.`;
    case 'unreachable':
      return `Cannot reach AWS for ${op} (${field(err, 'code') || name || 'network error'}): check the network and rootTasks.endpointUrl. Nothing was written.`;
    default:
      return `${op} failed for account ${account}: ${name && name !== 'Error' ? `${name}: ` : ''}${message}`;
  }
}

/** A UserError with the explanation, for the command wrapper to show. */
export function failureAsUserError(err: unknown, ctx: FailureContext): UserError {
  return isUserError(err) ? err : new UserError(explainFailure(err, ctx));
}
