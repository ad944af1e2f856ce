// Parsing and validating IAM policy documents (identity, resource and trust policies) into a
// compiled form that policyEval.ts evaluates. Error messages follow S3's MalformedPolicy texts.
import { CONDITION_OPERATORS, type Condition } from './policyConditions';

export class PolicyError extends Error {}

export interface PrincipalSpec {
  any: boolean;
  /** AWS principals: '*', account ids, or IAM/STS ARNs, as written. */
  aws: string[];
  /** Service, Federated and CanonicalUser principals: never an IAM caller of the sandbox. */
  other: string[];
}

export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  /** Action patterns (`s3:Get*`), matched case-insensitively. */
  actions?: string[];
  notActions?: string[];
  /** Raw patterns: they may hold policy variables such as ${aws:PrincipalAccount}. */
  resources?: string[];
  notResources?: string[];
  conditions: Condition[];
  /** The action patterns as written (Action or NotAction), for checks by the owning service. */
  actionPatterns: string[];
}

export interface Policy {
  statements: Statement[];
}

export type PolicyKind = 'identity' | 'resource' | 'trust';

const PRINCIPAL_ARN = /^arn:aws:(iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;
const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

function asArray(v: unknown, what: string): string[] {
  const arr = Array.isArray(v) ? v : [v];
  if (!arr.length || arr.some((x) => typeof x !== 'string' || x === '')) throw new PolicyError(`Invalid ${what} in policy`);
  return arr as string[];
}

function parsePrincipal(v: unknown): PrincipalSpec {
  if (v === '*') return { any: true, aws: ['*'], other: [] };
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PolicyError('Invalid principal in policy');
  const spec: PrincipalSpec = { any: false, aws: [], other: [] };
  for (const [type, value] of Object.entries(v)) {
    const list = asArray(value, 'principal');
    if (type === 'AWS') {
      for (const p of list) {
        if (p !== '*' && !/^\d{12}$/.test(p) && !PRINCIPAL_ARN.test(p) && !UNIQUE_ID.test(p)) {
          throw new PolicyError('Invalid principal in policy');
        }
      }
      spec.aws.push(...list);
      if (list.includes('*')) spec.any = true;
    } else if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') {
      spec.other.push(...list);
    } else {
      throw new PolicyError('Invalid principal in policy');
    }
  }
  return spec;
}

function parseConditions(v: unknown): Condition[] {
  if (v === undefined) return [];
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PolicyError('Invalid Condition block in policy');
  const out: Condition[] = [];
  for (const [rawOp, block] of Object.entries(v)) {
    const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(rawOp);
    const op = m?.[2] ?? '';
    if (!CONDITION_OPERATORS.has(op) || (op === 'Null' && m?.[3])) throw new PolicyError(`Invalid Condition type : ${rawOp}`);
    if (!block || typeof block !== 'object' || Array.isArray(block)) throw new PolicyError('Invalid Condition block in policy');
    for (const [key, value] of Object.entries(block)) {
      const values = (Array.isArray(value) ? value : [value]).map((x) => String(x));
      out.push({ op, key: key.toLowerCase(), values, ifExists: !!m?.[3], qualifier: m?.[1] as Condition['qualifier'] });
    }
  }
  return out;
}

function parseStatement(s: unknown, kind: PolicyKind): Statement {
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw new PolicyError('Invalid policy statement');
  const o = s as Record<string, unknown>;
  const known = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new PolicyError(`Unknown field ${k}`);
  if (o.Effect !== 'Allow' && o.Effect !== 'Deny') throw new PolicyError('Invalid effect: ' + String(o.Effect));
  if ((o.Action === undefined) === (o.NotAction === undefined)) throw new PolicyError('Missing required field Action');
  if (o.Resource !== undefined && o.NotResource !== undefined) throw new PolicyError('Policy has invalid resource');
  const hasPrincipal = o.Principal !== undefined || o.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal) throw new PolicyError('Has prohibited field Principal');
  if (kind !== 'identity' && !hasPrincipal) throw new PolicyError('Missing required field Principal');
  if (o.Principal !== undefined && o.NotPrincipal !== undefined) throw new PolicyError('Invalid principal in policy');
  if (o.NotPrincipal !== undefined && o.Effect === 'Allow') throw new PolicyError('NotPrincipal is only supported with Deny');
  const actionPatterns = asArray(o.Action ?? o.NotAction, 'action');
  for (const a of actionPatterns) if (a !== '*' && !/^[a-zA-Z0-9-]+:[\w*?-]+$/.test(a)) throw new PolicyError('Policy has invalid action');
  return {
    sid: typeof o.Sid === 'string' ? o.Sid : undefined,
    effect: o.Effect,
    principal: o.Principal !== undefined ? parsePrincipal(o.Principal) : undefined,
    notPrincipal: o.NotPrincipal !== undefined ? parsePrincipal(o.NotPrincipal) : undefined,
    actions: o.Action !== undefined ? actionPatterns : undefined,
    notActions: o.NotAction !== undefined ? actionPatterns : undefined,
    resources: o.Resource !== undefined ? asArray(o.Resource, 'resource') : undefined,
    notResources: o.NotResource !== undefined ? asArray(o.NotResource, 'resource') : undefined,
    conditions: parseConditions(o.Condition),
    actionPatterns,
  };
}

/** Parses a policy document; throws PolicyError with an AWS-like message when it is not valid. */
export function parsePolicy(text: string, kind: PolicyKind): Policy {
  if (!text.trimStart().startsWith('{')) throw new PolicyError("Policies must be valid JSON and the first byte must be '{'");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new PolicyError('Policies must be valid JSON and the first byte must be \'{\'');
  }
  const o = doc as Record<string, unknown>;
  if (o.Version !== undefined && o.Version !== '2012-10-17' && o.Version !== '2008-10-17') {
    throw new PolicyError('Policy has an invalid version');
  }
  if (o.Statement === undefined) throw new PolicyError('Missing required field Statement');
  const list = Array.isArray(o.Statement) ? o.Statement : [o.Statement];
  if (!list.length) throw new PolicyError('Missing required field Statement');
  return { statements: list.map((s) => parseStatement(s, kind)) };
}

/** Policy text as stored: strings verbatim, objects as compact JSON. */
export function policyText(input: string | Record<string, unknown>): string {
  return typeof input === 'string' ? input : JSON.stringify(input);
}
