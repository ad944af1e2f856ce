// Evaluating one policy against one request: Principal/NotPrincipal, Action/NotAction,
// Resource/NotResource (with `*`/`?` wildcards and policy variables) and Conditions.
// An explicit Deny wins over any Allow within the policy.
//
// Simplifications (documented in README): an account principal ("123456789012" or
// "arn:aws:iam::123456789012:root") matches every principal of that account; a missing Resource
// element matches every resource; a principal given as a unique id (AIDA…/AROA…, what AWS shows
// for a deleted principal) matches nobody.
import { conditionsHold, substituteVariables, type ConditionContext } from './policyConditions';
import type { Policy, PrincipalSpec, Statement } from './policyDocument';
import { wildcardMatch } from './wildcard';

export type PrincipalType = 'iam-user' | 'role-session' | 'root-session' | 'root';

export interface RequestPrincipal {
  type: PrincipalType;
  /** The caller's ARN: user ARN, assumed-role session ARN, or arn:aws:iam::<account>:root. */
  arn: string;
  accountId: string;
  /** For role sessions: arn:aws:iam::<account>:role/<path><name>. */
  roleArn?: string;
}

export interface EvalRequest {
  principal: RequestPrincipal;
  action: string; // service:Operation, e.g. s3:GetBucketPolicy
  resource: string; // an ARN, or '*' for actions without a resource
  context: ConditionContext;
}

export type Decision = 'Allow' | 'Deny' | 'None';

function awsPrincipalMatches(entry: string, p: RequestPrincipal): boolean {
  if (entry === '*') return true;
  if (/^\d{12}$/.test(entry)) return entry === p.accountId;
  if (entry === `arn:aws:iam::${p.accountId}:root`) return true;
  if (entry.startsWith('arn:aws:iam::') && entry.includes(':role/')) return p.roleArn === entry;
  return entry === p.arn;
}

function principalMatches(spec: PrincipalSpec, p: RequestPrincipal): boolean {
  if (spec.any) return true;
  return spec.aws.some((entry) => awsPrincipalMatches(entry, p));
}

function resourceMatches(patterns: readonly string[], resource: string, ctx: ConditionContext): boolean {
  for (const raw of patterns) {
    const pattern = substituteVariables(raw, ctx);
    if (pattern !== null && wildcardMatch(pattern, resource)) return true;
  }
  return false;
}

function statementApplies(s: Statement, req: EvalRequest, withPrincipal: boolean): boolean {
  if (withPrincipal) {
    if (s.principal && !principalMatches(s.principal, req.principal)) return false;
    if (s.notPrincipal && principalMatches(s.notPrincipal, req.principal)) return false;
  }
  if (s.actions && !s.actions.some((a) => wildcardMatch(a, req.action, true))) return false;
  if (s.notActions && s.notActions.some((a) => wildcardMatch(a, req.action, true))) return false;
  if (s.resources && !resourceMatches(s.resources, req.resource, req.context)) return false;
  if (s.notResources && resourceMatches(s.notResources, req.resource, req.context)) return false;
  return conditionsHold(s.conditions, req.context);
}

/**
 * The policy's verdict on the request. `withPrincipal` is true for resource and trust policies
 * (whose statements name principals) and false for identity and session policies.
 */
export function evaluatePolicy(policy: Policy, req: EvalRequest, withPrincipal: boolean): Decision {
  let allowed = false;
  for (const s of policy.statements) {
    if (!statementApplies(s, req, withPrincipal)) continue;
    if (s.effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'None';
}
