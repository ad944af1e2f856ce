// Organizations authorization policies in the sandbox: SCPs and RCPs, the policy types enabled on
// the root, attachments, and their enforcement on requests (see authz.ts).
//
// As AWS documents them (Organizations User Guide, "SCP evaluation" and "RCP evaluation"):
// enabling a type attaches its AWS-managed full-access policy (FullAWSAccess, RCPFullAWSAccess) to
// the root, every OU and every account; SCPs bound every principal of a member account — its root
// user and AssumeRoot sessions included — with an explicit Deny at any level denying, and an Allow
// needed at every level from the root to the account; RCPs bound requests to resources of member
// accounts (here S3 and SQS). Neither applies to the management account. Disabling a type detaches
// all its policies.
import type { ConditionContext } from './policyConditions';
import { evaluatePolicy, type RequestPrincipal } from './policyEval';
import { parsePolicy, PolicyError, type Policy } from './policyDocument';
import type { SandboxState } from './state';

export type PolicyTypeName = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
export const POLICY_TYPES: readonly PolicyTypeName[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

export interface OrgPolicyRec {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: PolicyTypeName;
  awsManaged: boolean;
  content: string;
  parsed: Policy;
  /** Root, OU and account ids, in attachment order. */
  targets: string[];
}

export const FULL_ACCESS: Record<PolicyTypeName, { id: string; name: string; description: string; content: string }> = {
  SERVICE_CONTROL_POLICY: {
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
  },
  RESOURCE_CONTROL_POLICY: {
    id: 'p-RCPFullAWSAccess',
    name: 'RCPFullAWSAccess',
    description: 'Allows access to every resource',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
  },
};

/** SCPs and RCPs take at most 5,120 characters (Organizations quotas). */
export const MAX_POLICY_CHARS = 5_120;

/** Parses an SCP (no Principal) or an RCP (Principal "*" only); throws PolicyError. */
export function parseOrgPolicy(content: string, type: PolicyTypeName): Policy {
  if (content.length > MAX_POLICY_CHARS) throw new PolicyError(`The policy is larger than the maximum size of ${MAX_POLICY_CHARS} characters.`);
  const parsed = parsePolicy(content, type === 'SERVICE_CONTROL_POLICY' ? 'identity' : 'resource');
  if (type === 'RESOURCE_CONTROL_POLICY' && parsed.statements.some((s) => !s.principal?.any || s.notPrincipal)) {
    throw new PolicyError('RCPs support only "Principal": "*"; use conditions to limit principals.');
  }
  if (type === 'RESOURCE_CONTROL_POLICY' && parsed.statements.some((s) => s.effect === 'Allow')) {
    throw new PolicyError('RCPs support only the Deny effect (Allow is reserved for RCPFullAWSAccess).');
  }
  return parsed;
}

export function policyArn(state: SandboxState, p: { id: string; type: PolicyTypeName; awsManaged: boolean }): string {
  const kind = p.type.toLowerCase();
  return p.awsManaged
    ? `arn:aws:organizations::aws:policy/${kind}/${p.id}`
    : `arn:aws:organizations::${state.org.managementAccountId}:policy/${state.org.id}/${kind}/${p.id}`;
}

/** Every root, OU and account id of the organization. */
export function allTargets(state: SandboxState): string[] {
  return [state.org.rootId, ...state.ous.keys(), ...state.accounts.keys()];
}

export function enablePolicyType(state: SandboxState, type: PolicyTypeName): void {
  state.org.policyTypes[type] = true;
  const full = FULL_ACCESS[type];
  let rec = state.policies.get(full.id);
  if (!rec) {
    // AWS's own documents: RCPFullAWSAccess is the one RCP with an Allow.
    rec = { ...full, type, awsManaged: true, arn: '', parsed: parsePolicy(full.content, type === 'SERVICE_CONTROL_POLICY' ? 'identity' : 'resource'), targets: [] };
    rec.arn = policyArn(state, rec);
    state.policies.set(rec.id, rec);
  }
  rec.targets = allTargets(state);
}

export function disablePolicyType(state: SandboxState, type: PolicyTypeName): void {
  state.org.policyTypes[type] = false;
  for (const p of state.policies.values()) if (p.type === type) p.targets = [];
}

export function policiesFor(state: SandboxState, targetId: string, type: PolicyTypeName): OrgPolicyRec[] {
  return [...state.policies.values()].filter((p) => p.type === type && p.targets.includes(targetId));
}

export interface Enforcement {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  context: ConditionContext;
}

/** Which level denies: an explicit Deny (with the policy), or a level where nothing allows. */
export type GuardDenial = { kind: 'explicit'; policy: OrgPolicyRec } | { kind: 'implicit'; targetId: string };

function chainDenial(state: SandboxState, accountId: string, type: PolicyTypeName, req: Enforcement, withPrincipal: boolean): GuardDenial | undefined {
  if (!state.org.policyTypes[type] || accountId === state.org.managementAccountId || !state.accounts.has(accountId)) return undefined;
  const evalReq = { principal: req.principal, action: req.action, resource: req.resource, context: req.context };
  let implicit: GuardDenial | undefined;
  for (const level of state.lineage(accountId)) {
    let allowed = false;
    for (const policy of policiesFor(state, level, type)) {
      const d = evaluatePolicy(policy.parsed, evalReq, withPrincipal);
      if (d === 'Deny') return { kind: 'explicit', policy };
      if (d === 'Allow') allowed = true;
    }
    if (!allowed) implicit ??= { kind: 'implicit', targetId: level };
  }
  return implicit;
}

/** SCPs of the caller's account (member accounts only). */
export function scpDenial(state: SandboxState, req: Enforcement): GuardDenial | undefined {
  return chainDenial(state, req.principal.accountId, 'SERVICE_CONTROL_POLICY', req, false);
}

const RCP_SERVICES = new Set(['s3', 'sqs', 'sts', 'kms', 'secretsmanager']);

/** RCPs of the resource's account, for the services RCPs cover. */
export function rcpDenial(state: SandboxState, resourceAccount: string, req: Enforcement): GuardDenial | undefined {
  if (!RCP_SERVICES.has(req.action.split(':')[0]!.toLowerCase())) return undefined;
  return chainDenial(state, resourceAccount, 'RESOURCE_CONTROL_POLICY', req, true);
}
