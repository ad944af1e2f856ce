// Shared Organizations pieces: who may call (management account; delegated administrators read),
// input validation (MaxResults 1–20, id patterns), NextToken paging with optional empty pages,
// and the JSON shapes of roots, OUs and accounts.
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import { ApiError, errorOf } from '../errors';
import type { JsonInput } from '../protocols/json';
import type { AccountRec, OuRec } from '../state';

export function invalidInput(reason: string, message: string): ApiError {
  return new ApiError('InvalidInputException', message, 400, { fields: { Reason: reason } });
}

export type Access = 'member' | 'read' | 'write';

/**
 * Authorizes `organizations:<operation>` and the caller's standing: 'member' lets any account of
 * the organization call, 'read' the management account and delegated administrators, 'write' only
 * the management account.
 */
export function checkAccess(ctx: CallContext, operation: string, access: Access): void {
  const accountId = ctx.caller.principal.accountId;
  const { state } = ctx;
  ctx.target = state.org.arn;
  requireAllowed(ctx, { action: `organizations:${operation}`, resource: '*', resourceAccount: accountId });
  if (!state.accounts.has(accountId)) {
    throw new ApiError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  }
  const isManagement = accountId === state.org.managementAccountId;
  const allowed = access === 'member' || isManagement || (access === 'read' && state.org.delegatedAdmins.has(accountId));
  if (!allowed) throw errorOf('organizations', 'accessDenied', "You don't have permissions to access this resource.");
}

export function optionalString(input: JsonInput, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ApiError('SerializationException', `Expected a string for ${name}.`);
  return v;
}

export function requiredString(input: JsonInput, name: string, pattern: RegExp): string {
  const v = optionalString(input, name);
  if (v === undefined || v === '') throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${name}.`);
  if (!pattern.test(v)) throw invalidInput('INVALID_PATTERN', `You specified an invalid value for ${name}.`);
  return v;
}

export const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
export const CHILD_ID = /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
export const ACCOUNT_ID = /^\d{12}$/;

/** One page of `items` per MaxResults/NextToken, as Organizations pages (tokens bound to scope). */
export function paginate<T>(ctx: CallContext, input: JsonInput, scope: string, items: readonly T[]): { page: T[]; NextToken?: string } {
  const raw = input.MaxResults;
  if (raw !== undefined && raw !== null && (typeof raw !== 'number' || !Number.isInteger(raw))) {
    throw new ApiError('SerializationException', 'Expected an integer for MaxResults.');
  }
  const max = (raw as number | undefined) ?? 20;
  if (max > 20) throw invalidInput('MAX_VALUE_EXCEEDED', 'You provided a value that exceeds the maximum allowed value (MaxResults: 20).');
  if (max < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value that is below the minimum allowed value (MaxResults: 1).');
  const token = optionalString(input, 'NextToken');
  let offset = 0;
  if (token !== undefined) {
    const o = ctx.runtime.readPageToken(scope, token);
    if (o === undefined) throw invalidInput('INVALID_NEXT_TOKEN', 'The specified NextToken is not valid.');
    offset = o;
  }
  // AWS: "a page may be empty while more remain" — the sandbox reproduces that on demand.
  if (offset < items.length && ctx.runtime.emptyPage()) return { page: [], NextToken: ctx.runtime.pageToken(scope, offset) };
  const page = items.slice(offset, offset + max);
  const next = offset + max < items.length ? ctx.runtime.pageToken(scope, offset + max) : undefined;
  return next ? { page, NextToken: next } : { page };
}

const epoch = (d: Date) => d.getTime() / 1000;

const STATUS: Record<string, string> = { CLOSED: 'SUSPENDED', PENDING_ACTIVATION: 'ACTIVE' };

export function accountShape(ctx: CallContext, a: AccountRec): Record<string, unknown> {
  return {
    Id: a.id,
    Arn: a.arn,
    Email: a.email,
    Name: a.name,
    Status: STATUS[a.state] ?? a.state,
    State: a.state,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: epoch(a.joinedTimestamp),
    Paths: [ctx.state.path(a.id)],
  };
}

export function ouShape(ctx: CallContext, ou: OuRec): Record<string, unknown> {
  return { Id: ou.id, Arn: ou.arn, Name: ou.name, Path: ctx.state.path(ou.id) };
}
