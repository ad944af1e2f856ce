// STS (query protocol): GetCallerIdentity, AssumeRole into member-account roles, and AssumeRoot
// with its organization prerequisites and task-policy scoping.
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import { ApiError, errorOf, notAuthorized } from '../errors';
import type { QueryHandler, QueryParams } from '../protocols/query';
import { userKey, type CredentialRec } from '../state';
import { mfaCodeValid } from '../mfa';
import { TASK_POLICY_ARNS } from '../taskPolicies';
import { tag, wrap } from '../xml';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

function credentialsXml(c: CredentialRec): string {
  return wrap(
    'Credentials',
    tag('AccessKeyId', c.accessKeyId) + tag('SecretAccessKey', c.secret) + tag('SessionToken', c.sessionToken) + tag('Expiration', c.expiration),
  );
}

function deny(ctx: CallContext, action: string, resource: string, why: string): ApiError {
  return errorOf('sts', 'accessDenied', notAuthorized(ctx.caller.principal.arn, action, resource, why));
}

const getCallerIdentity: QueryHandler = (ctx) => {
  const p = ctx.caller.principal;
  return tag('UserId', ctx.caller.userId) + tag('Account', p.accountId) + tag('Arn', p.arn);
};

const assumeRole: QueryHandler = (ctx, p: QueryParams) => {
  const roleArn = p.checked('RoleArn', p.required('RoleArn'), 20, 2048)!;
  const sessionName = p.checked('RoleSessionName', p.required('RoleSessionName'), 2, 64, /^[\w+=,.@-]*$/)!;
  const duration = p.int('DurationSeconds', 900, 43200) ?? 3600;
  const caller = ctx.caller.principal;
  ctx.target = roleArn;
  if (caller.type === 'root' || caller.type === 'root-session') {
    throw deny(ctx, 'sts:AssumeRole', roleArn, 'because roles cannot be assumed by root user credentials');
  }
  const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw new ApiError('ValidationError', `${roleArn} is invalid`, 400);
  const account = ctx.state.account(m[1]!);
  const role = account?.roles.get(m[2]!);
  if (!account || !role || role.arn !== roleArn || account.state !== 'ACTIVE') {
    throw deny(ctx, 'sts:AssumeRole', roleArn, '');
  }
  const mfa = checkMfa(ctx, p);
  requireAllowed(ctx, {
    action: 'sts:AssumeRole', resource: role.arn, resourceAccount: account.id, resourcePolicy: role.trust.parsed, resourcePolicyRequired: true,
    context: { 'aws:multifactorauthpresent': mfa ? 'true' : 'false', ...(mfa ? { 'aws:multifactorauthage': '0' } : {}) },
  });
  if (caller.type === 'role-session' && duration > 3600) {
    throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  if (duration > role.maxSessionDuration) {
    throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }
  const cred = ctx.runtime.issue(
    { type: 'role-session', accountId: account.id, roleName: role.name, sessionName, sourceArn: caller.arn },
    new Date(ctx.now.getTime() + duration * 1000),
  );
  ctx.logDetail = { issuedAccessKeyId: cred.accessKeyId };
  const assumed = tag('AssumedRoleId', `${role.roleId}:${sessionName}`) + tag('Arn', `arn:aws:sts::${account.id}:assumed-role/${role.name}/${sessionName}`);
  return credentialsXml(cred) + wrap('AssumedRoleUser', assumed);
};

const MFA_FAILED = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';

/**
 * AssumeRole's SerialNumber/TokenCode: the code must be the current one (a step either side
 * allowed) of a virtual MFA device assigned to the calling IAM user. True when MFA was presented
 * and checked, false when the request carries none (a trust policy may then still refuse).
 */
function checkMfa(ctx: CallContext, p: QueryParams): boolean {
  const serial = p.checked('SerialNumber', p.get('SerialNumber'), 9, 256, /^[\w+=/:,.@-]*$/);
  const code = p.checked('TokenCode', p.get('TokenCode'), 6, 6, /^\d*$/);
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) throw errorOf('sts', 'accessDenied', MFA_FAILED);
  const user = ctx.caller.user;
  const device = ctx.caller.principal.type === 'iam-user' && user
    ? ctx.state.account(ctx.caller.principal.accountId)?.virtualMfa.get(serial)
    : undefined;
  if (!device?.totpSeed || !user || device.assignedTo !== userKey(user) || !mfaCodeValid(device.totpSeed, code, ctx.now)) {
    throw errorOf('sts', 'accessDenied', MFA_FAILED);
  }
  return true;
}

/** The member account a TargetPrincipal names: an account id or arn:aws:iam::<id>:root. */
function targetAccountId(target: string): string | undefined {
  return /^\d{12}$/.test(target) ? target : /^arn:aws:iam::(\d{12}):root$/.exec(target)?.[1];
}

const assumeRoot: QueryHandler = (ctx, p: QueryParams) => {
  const target = p.checked('TargetPrincipal', p.required('TargetPrincipal'), 12, 2048)!;
  const taskPolicyArn = p.checked('TaskPolicyArn.arn', p.required('TaskPolicyArn.arn'), 20, 2048)!;
  const duration = p.int('DurationSeconds', 0, 900) ?? 900;
  const { state } = ctx;
  const caller = ctx.caller.principal;
  const accountId = targetAccountId(target);
  const resource = `arn:aws:iam::${accountId ?? target}:root`;
  ctx.target = resource;
  if (!TASK_POLICY_ARNS.includes(taskPolicyArn)) {
    throw new ApiError('ValidationError', `${taskPolicyArn} is not a root task policy (arn:aws:iam::aws:policy/root-task/<Task>).`, 400);
  }
  if (caller.type === 'root' || caller.type === 'root-session') {
    throw deny(ctx, 'sts:AssumeRoot', resource, 'because root user credentials cannot call AssumeRoot');
  }
  const org = state.org;
  if (caller.accountId !== org.managementAccountId && !state.isDelegatedAdmin(caller.accountId, 'iam.amazonaws.com')) {
    throw deny(ctx, 'sts:AssumeRoot', resource, 'because the caller is not in the management account or the delegated administrator account for IAM');
  }
  // Identity side only: the organization, not a resource policy, is what trusts the caller.
  requireAllowed(ctx, { action: 'sts:AssumeRoot', resource, resourceAccount: caller.accountId, context: { 'sts:taskpolicyarn': taskPolicyArn } });
  if (org.featureSet !== 'ALL' || !org.trustedServices.has('iam.amazonaws.com') || !org.features.RootSessions) {
    throw deny(ctx, 'sts:AssumeRoot', resource, 'because centralized root access (trusted access for IAM and the RootSessions feature) is not enabled for the organization');
  }
  const account = accountId ? state.account(accountId) : undefined;
  if (!account || account.id === org.managementAccountId || account.state !== 'ACTIVE') {
    throw deny(ctx, 'sts:AssumeRoot', resource, 'because the target is not an active member account of the organization');
  }
  const cred = ctx.runtime.issue(
    { type: 'root-session', accountId: account.id, taskPolicyArn, sourceArn: caller.arn },
    new Date(ctx.now.getTime() + duration * 1000),
  );
  ctx.logDetail = { taskPolicyArn, issuedAccessKeyId: cred.accessKeyId };
  return credentialsXml(cred);
};

export const stsOperations: Record<string, QueryHandler> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
  AssumeRoot: assumeRoot,
};
