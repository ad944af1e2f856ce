// Shared IAM pieces: resolving the user an operation targets (omitted UserName = the caller, which
// under a root session is the root user), IAM's errors, and Marker/MaxItems paging.
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { QueryParams } from '../protocols/query';
import type { AccountRec, UserRec } from '../state';
import { tag } from '../xml';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const IAM_VERSION = '2010-05-08';

const STATUS: Record<string, number> = {
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
};

export function iamError(code: string, message: string): ApiError {
  return new ApiError(code, message, STATUS[code] ?? 400);
}

export function callerAccount(ctx: CallContext): AccountRec {
  const account = ctx.state.account(ctx.caller.principal.accountId);
  if (!account) throw iamError('NoSuchEntity', 'The caller account does not exist.');
  return account;
}

/**
 * The user an operation acts on, after authorizing `action` on it. Without UserName that is the
 * caller itself (the root user for root credentials and root sessions); role sessions must name one.
 */
export function targetUser(ctx: CallContext, p: QueryParams, action: string): UserRec {
  const account = callerAccount(ctx);
  const name = p.checked('UserName', p.get('UserName'), 1, 128, /^[\w+=,.@-]+$/);
  const { principal } = ctx.caller;
  let user: UserRec | undefined;
  let arn: string;
  if (name !== undefined) {
    arn = `arn:aws:iam::${account.id}:user/${name}`;
    user = account.users.get(name);
  } else if (principal.type === 'root' || principal.type === 'root-session') {
    user = account.root;
    arn = user.arn;
  } else if (principal.type === 'iam-user' && ctx.caller.user) {
    user = ctx.caller.user;
    arn = user.arn;
  } else {
    throw iamError('ValidationError', 'Must specify userName when calling with non-User credentials');
  }
  ctx.target = arn;
  requireAllowed(ctx, { action, resource: arn, resourceAccount: account.id });
  if (!user) throw iamError('NoSuchEntity', `The user with name ${name} cannot be found.`);
  return user;
}

/** One page of a Marker/MaxItems list: the items and the IsTruncated/Marker XML. */
export function iamPage<T>(ctx: CallContext, p: QueryParams, scope: string, items: readonly T[]): { page: T[]; tail: string } {
  const max = p.int('MaxItems', 1, 1000) ?? 100;
  const marker = p.get('Marker');
  let offset = 0;
  if (marker !== undefined) {
    const o = ctx.runtime.readPageToken(scope, marker);
    if (o === undefined) throw iamError('InvalidInput', 'Invalid Marker.');
    offset = o;
  }
  const page = items.slice(offset, offset + max);
  const more = offset + max < items.length;
  const tail = tag('IsTruncated', more) + (more ? tag('Marker', ctx.runtime.pageToken(scope, offset + max)) : '');
  return { page, tail };
}
