// Authorization: identity side (IAM user/role policy, or the task policy of a root session, or
// root's own power in its account), resource side (bucket/queue policy), combined as IAM does:
// any explicit Deny wins; same-account access needs either side to allow, cross-account both.
// The owning account's root may ignore a resource policy's Deny where AWS says so
// (S3 Get/Put/DeleteBucketPolicy; the sandbox grants SQS queue attributes the same valve).
import type { CallContext } from './context';
import { errorOf, notAuthorized } from './errors';
import type { ConditionContext } from './policyConditions';
import { evaluatePolicy, type EvalRequest } from './policyEval';
import type { Policy } from './policyDocument';
import { rcpDenial, scpDenial, type GuardDenial } from './orgPolicies';
import { taskPolicy } from './taskPolicies';

export interface AuthzRequest {
  action: string;
  resource: string;
  resourceAccount: string;
  resourcePolicy?: Policy;
  rootBypass?: boolean;
  /** A role's trust policy: it must allow the caller in the same account too (IAM's rule for AssumeRole). */
  resourcePolicyRequired?: boolean;
  context?: ConditionContext;
}

export type AuthzResult = { allowed: true } | { allowed: false; message: string };

const PRINCIPAL_TYPE: Record<string, string> = {
  'iam-user': 'User',
  'role-session': 'AssumedRole',
  'root-session': 'Account',
  root: 'Account',
};

/** The global condition keys of this request (lower-cased), computed once per request. */
export function conditionKeys(ctx: CallContext): ConditionContext {
  if (ctx.conditionKeys) return ctx.conditionKeys;
  const { principal } = ctx.caller;
  const isSession = principal.type === 'role-session' || principal.type === 'root-session';
  const keys: ConditionContext = {
    'aws:principalarn': principal.roleArn ?? principal.arn,
    'aws:principalaccount': principal.accountId,
    'aws:principaltype': PRINCIPAL_TYPE[principal.type],
    'aws:userid': ctx.caller.userId,
    'aws:username': principal.type === 'iam-user' ? ctx.caller.user?.name : undefined,
    'aws:principalorgid': ctx.state.accounts.has(principal.accountId) ? ctx.state.org.id : undefined,
    'aws:securetransport': 'false',
    'aws:sourceip': ctx.sourceIp,
    'aws:currenttime': ctx.now.toISOString(),
    'aws:epochtime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:requestedregion': ctx.region,
    'aws:principalisawsservice': 'false',
    'aws:viaawsservice': 'false',
    'aws:multifactorauthpresent': isSession ? 'false' : undefined,
    'aws:assumedroot': principal.type === 'root-session' ? 'true' : undefined,
  };
  ctx.conditionKeys = keys;
  return keys;
}

export function authorize(ctx: CallContext, req: AuthzRequest): AuthzResult {
  const { principal } = ctx.caller;
  // The request's keys are shared (prototype); this call adds the resource's.
  const context: ConditionContext = Object.assign(Object.create(conditionKeys(ctx)) as ConditionContext, {
    'aws:resourceaccount': req.resourceAccount,
    'aws:resourceorgid': ctx.state.accounts.has(req.resourceAccount) ? ctx.state.org.id : undefined,
    ...req.context,
  });
  const evalReq: EvalRequest = { principal, action: req.action, resource: req.resource, context };
  const deny = (why: string): AuthzResult => ({ allowed: false, message: notAuthorized(principal.arn, req.action, req.resource, why) });
  const sameAccount = principal.accountId === req.resourceAccount;

  // Organization policies come before everything else and no valve opens them: SCPs bound every
  // principal of a member account (its root user and AssumeRoot sessions too), RCPs every request
  // to a member account's S3/SQS resources — the bucket owner's root included.
  const scp = scpDenial(ctx.state, evalReq);
  if (scp) return deny(orgWhy(scp, 'service control policy', req.action));
  const rcp = rcpDenial(ctx.state, req.resourceAccount, evalReq);
  if (rcp) return deny(orgWhy(rcp, 'resource control policy', req.action));

  let identityAllows: boolean;
  if (principal.type === 'root-session') {
    const tp = ctx.caller.taskPolicyArn ? taskPolicy(ctx.caller.taskPolicyArn) : undefined;
    if (!tp || evaluatePolicy(tp, evalReq, false) === 'Deny') {
      return deny(`with an explicit deny in an identity-based policy: ${ctx.caller.taskPolicyArn}`);
    }
    identityAllows = true;
  } else if (principal.type === 'root') {
    identityAllows = true;
  } else {
    const policy = ctx.caller.role?.policy.parsed ?? ctx.caller.user?.policy?.parsed;
    const d = policy ? evaluatePolicy(policy, evalReq, false) : 'None';
    if (d === 'Deny') return deny('with an explicit deny in an identity-based policy');
    identityAllows = d === 'Allow';
  }

  let resourceAllows = false;
  if (req.resourcePolicy) {
    const d = evaluatePolicy(req.resourcePolicy, evalReq, true);
    const isOwnerRoot = (principal.type === 'root' || principal.type === 'root-session') && sameAccount;
    if (d === 'Deny' && !(req.rootBypass && isOwnerRoot)) return deny('with an explicit deny in a resource-based policy');
    resourceAllows = d === 'Allow';
  }

  if (req.resourcePolicyRequired && !resourceAllows) return deny(`because no resource-based policy allows the ${req.action} action`);
  if (sameAccount ? identityAllows || resourceAllows : identityAllows && resourceAllows) return { allowed: true };
  return deny(
    sameAccount || !identityAllows
      ? `because no identity-based policy allows the ${req.action} action`
      : `because no resource-based policy allows the ${req.action} action`,
  );
}

/** AWS's wording, with the policy's ARN as AWS now gives it for explicit denies. */
function orgWhy(d: GuardDenial, kind: string, action: string): string {
  if (d.kind === 'explicit') return `with an explicit deny in a ${kind}: ${d.policy.arn}`;
  return `because no ${kind} allows the ${action} action`;
}

/** Authorizes or throws the service's AccessDenied. */
export function requireAllowed(ctx: CallContext, req: AuthzRequest): void {
  const r = authorize(ctx, req);
  if (!r.allowed) throw errorOf(ctx.service, 'accessDenied', r.message);
}
