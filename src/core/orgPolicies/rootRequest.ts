/**
 * The request context of a call made with an AssumeRoot session, and whether a statement applies
 * to it. Three-valued: `undefined` = cannot tell from what the policy and the organization show.
 *
 * What is known of such a request (IAM User Guide, "AWS global condition context keys", and the
 * centralized root access pages): the principal is the member account's root user
 * (`aws:PrincipalArn` = `arn:aws:iam::<account>:root`, `aws:PrincipalType` = `Account`,
 * `aws:userid` = the account id), `aws:AssumedRoot` = `"true"`, `aws:PrincipalAccount` and
 * `aws:ResourceAccount` = the member account (root tasks act on their own account's resources),
 * `aws:PrincipalOrgID` / `aws:ResourceOrgID` = the organization, `aws:SecureTransport` = true (HTTPS). Keys that only exist for other
 * callers (service principals, role sessions, tagged requests) are absent. Everything else (network
 * path, time, tags, MFA, region unless given) is unknown, and a condition on it can only give
 * "may be blocked".
 *
 * Condition operators are the policy analyzer's (src/core/policy/operators.ts): the same parsing
 * and the same IAM rules for missing keys, negation, `…IfExists`, `Null` and the set qualifiers.
 */
import type { ConditionEntry, PatternList } from '../policy/document';
import { globMatch } from '../policy/glob';
import { nullTruth, parseOperator, truthWhenAbsent, truthWhenPresent, type Truth } from '../policy/operators';
import type { GuardStatement } from './statements';

export interface RootRequest {
  accountId: string;
  organizationId?: string;
  action: string;
  /** The resource ARN, `*` for actions without resource-level permissions, undefined = any of the task's. */
  resource: string | undefined;
  region?: string;
}

type KeyState = { present: true; value: string } | { present: false } | undefined;

/** Keys never in a root session's request: they belong to service principals, role sessions or tagged requests. */
const ABSENT = new Set([
  'aws:username', 'aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:principalservicename', 'aws:principalservicenameslist', 'aws:calledvia', 'aws:calledviafirst',
  'aws:calledvialast', 'aws:tagkeys', 'aws:federatedprovider',
]);

export function keyState(key: string, req: RootRequest): KeyState {
  const present = (value: string | undefined): KeyState => (value === undefined ? undefined : { present: true, value });
  switch (key) {
    case 'aws:principalarn': return present(`arn:aws:iam::${req.accountId}:root`);
    case 'aws:assumedroot': return present('true');
    case 'aws:principalaccount':
    case 'aws:resourceaccount':
    case 'aws:userid':
      return present(req.accountId);
    case 'aws:principalorgid':
    case 'aws:resourceorgid':
      return present(req.organizationId);
    case 'aws:principaltype': return present('Account');
    case 'aws:principalisawsservice':
    case 'aws:viaawsservice':
      return present('false');
    case 'aws:requestedregion': return present(req.region);
    // The SDK reaches AWS's endpoints over HTTPS only.
    case 'aws:securetransport': return present('true');
  }
  if (ABSENT.has(key) || key.startsWith('aws:requesttag/')) return { present: false };
  return undefined;
}

export function entryTruth(e: ConditionEntry, req: RootRequest): Truth {
  const op = parseOperator(e.operator);
  if (!op) return undefined;
  const state = keyState(e.key.toLowerCase(), req);
  if (!state) return undefined;
  if (!state.present) return truthWhenAbsent(op, e.values);
  if (op.family === 'null') return nullTruth(e.values, true);
  return truthWhenPresent(op, e.values, state.value);
}

/** AND of three-valued truths: one false decides; all true is true; anything else unknown. */
export function and(truths: Iterable<Truth>): Truth {
  let result: Truth = true;
  for (const t of truths) {
    if (t === false) return false;
    if (t === undefined) result = undefined;
  }
  return result;
}

function matchesAction(actions: PatternList, action: string): boolean {
  const a = action.toLowerCase();
  const hit = actions.patterns.some((p) => globMatch(p.toLowerCase(), a));
  return actions.not ? !hit : hit;
}

function matchesResource(resources: PatternList | undefined, resource: string | undefined): Truth {
  if (!resources) return true;
  let hit: Truth;
  if (resource === undefined) {
    // Any of the task's resources: only "*" is sure to cover them all, and no pattern is sure to miss all.
    hit = resources.patterns.includes('*') ? true : undefined;
  } else if (resources.patterns.some((p) => !p.includes('${') && globMatch(p, resource))) hit = true;
  else hit = resources.patterns.some((p) => p.includes('${')) ? undefined : false;
  if (hit === undefined) return undefined;
  return resources.not ? !hit : hit;
}

/** Does the statement apply to the request? `principals`: RCPs name principals, SCPs do not. */
export function statementApplies(st: GuardStatement, req: RootRequest, principals: boolean): Truth {
  if (!matchesAction(st.actions, req.action)) return false;
  return and([
    matchesResource(st.resources, req.resource),
    principals ? st.everyPrincipal : true,
    and(st.conditions.map((c) => entryTruth(c, req))),
  ]);
}

/** The condition entries whose truth cannot be told, for "may be blocked" explanations. */
export function undecided(st: GuardStatement, req: RootRequest): string[] {
  return st.conditions
    .filter((c) => entryTruth(c, req) === undefined)
    .map((c) => `${c.operator} ${c.key} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)}`);
}
