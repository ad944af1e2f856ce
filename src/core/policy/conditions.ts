/**
 * Can an IAM user or role of the owning account make a request for which a Deny statement's
 * conditions are false (so the Deny does not apply)? Each condition entry is judged:
 *
 *   escape  – some request an administrator can choose to make makes it false
 *             (use HTTPS, use MFA, be the exempted role, come from the owner account …);
 *   always  – true for every such request (e.g. it tests a key such as aws:SourceArn that is
 *             never present when a user or role calls the API, with an operator that is then true);
 *   unknown – it depends on things the policy does not show and the administrator cannot simply
 *             choose (network path, IP address, tags, time, unmodelled keys).
 *
 * Entries are AND-ed, so one escape frees the statement; all `always` make it unconditional.
 * Each key is modelled as the request states an administrator may be in (key absent / present
 * with candidate values), marked reachable when the administrator can choose that state.
 */
import type { ResourceContext } from './context';
import type { ConditionEntry } from './document';
import { canMatchWithPrefix, coversAllWithPrefix } from './glob';
import { nullTruth, parseOperator, truthWhenAbsent, truthWhenPresent, type Operator, type Truth } from './operators';

export type Outcome = 'always' | 'escape' | 'unknown';
/** `manage`: a call that reads or changes the policy; `data`: any call on the bucket's objects. */
export type Target = 'manage' | 'data';

interface KeyState {
  present: boolean;
  /** The administrator can put the request in this state at will. */
  reachable: boolean;
  /** Possible values when present; undefined when unknowable. */
  candidates?: string[];
  judge?: (op: Operator, values: string[]) => Truth;
}
interface KeyModel { states: KeyState[]; hint: string }

const HINT = {
  absent: 'never present when a user or role calls the API directly',
  known: 'true for every user and role of the owner account',
  network: 'only requests through that network path get past it; the AWS console\'s never do',
  time: 'depends on the time of the request',
  tags: 'depends on tags the policy does not show',
  identity: 'depends on who is asking',
  transport: 'depends on how the request is sent',
  unmodelled: 'the analyzer does not model this key',
} as const;

const unknownState = (reachable = false): KeyState => ({ present: true, reachable });
const absentState = (reachable: boolean): KeyState => ({ present: false, reachable });
const valued = (candidates: string[], reachable = true): KeyState => ({ present: true, reachable, candidates });
const PROBE = 'rt-probe-value';
/** Wildcards filled in, so an exempted name becomes a name an administrator could have. */
const instantiate = (v: string): string => v.replace(/[*?]/g, 'x');

const ABSENT = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:principalservicename', 'aws:principalservicenameslist', 'aws:calledvia', 'aws:calledviafirst',
  'aws:calledvialast', 'aws:tagkeys']);
const NETWORK = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:vpcsourceip', 'aws:ec2instancesourcevpc',
  'aws:ec2instancesourceprivateipv4']);
/** S3 keys present in every S3 request, bucket-policy calls included; all other s3: keys are not. */
const S3_PRESENT = new Set(['s3:authtype', 's3:signatureversion', 's3:signatureage', 's3:tlsversion',
  's3:x-amz-content-sha256', 's3:resourceaccount']);

function ipJudge(op: Operator, values: string[]): Truth {
  if (op.family !== 'ip') return undefined;
  const everywhere = values.some((v) => /\/0$/.test(v.trim()));
  // Deny from listed ranges: an administrator elsewhere escapes. Deny unless from listed ranges: unknowable.
  if (!op.negated) return everywhere;
  return everywhere ? false : undefined;
}

function keyModel(key: string, values: string[], ctx: ResourceContext, target: Target): KeyModel {
  const owner = ctx.owner;
  if (ABSENT.has(key) || key.startsWith('aws:requesttag/')) return { states: [absentState(true)], hint: HINT.absent };
  if (NETWORK.has(key)) return { states: [absentState(true), unknownState()], hint: HINT.network };
  switch (key) {
    case 'aws:sourceip':
      return { states: [{ present: true, reachable: true, judge: ipJudge }, absentState(false)], hint: HINT.network };
    case 'aws:principalaccount':
    case 'aws:resourceaccount':
    case 's3:resourceaccount':
      return { states: [owner ? valued([owner]) : unknownState()], hint: owner ? HINT.known : HINT.identity };
    case 'aws:principalorgid':
      return { states: [ctx.org ? valued([ctx.org]) : unknownState()], hint: ctx.org ? HINT.known : HINT.identity };
    case 'aws:principalisawsservice':
    case 'aws:viaawsservice':
      return { states: [valued(['false'])], hint: HINT.known };
    case 'aws:principaltype':
      return { states: [valued(['User', 'AssumedRole', 'FederatedUser'])], hint: HINT.known };
    case 'aws:requestedregion':
      return { states: [ctx.region ? valued([ctx.region]) : unknownState()], hint: ctx.region ? HINT.known : HINT.transport };
    case 'aws:userid':
      return { states: [valued(['AIDAPROBEPROBEPROBE1', 'AROAPROBEPROBEPROBE1:probe', ...values.map(instantiate).filter((v) => !/^\d{12}$/.test(v))])], hint: HINT.identity };
    case 'aws:username':
      return { states: [absentState(true), valued([PROBE, ...values.map(instantiate)])], hint: HINT.identity };
    case 'aws:securetransport':
      return { states: [valued(['true']), valued(['false'], false)], hint: HINT.transport };
    case 'aws:multifactorauthpresent':
      return { states: [absentState(true), valued(['true', 'false'])], hint: HINT.transport };
    case 'aws:multifactorauthage':
      return { states: [absentState(true), valued(['60']), unknownState()], hint: HINT.transport };
    case 'aws:tokenissuetime':
    case 'aws:sourceidentity':
    case 'aws:federatedprovider':
      return { states: [absentState(true), unknownState()], hint: HINT.identity };
    case 'aws:currenttime':
    case 'aws:epochtime':
      return { states: [unknownState()], hint: HINT.time };
    case 'aws:useragent':
      return { states: [valued([PROBE]), unknownState()], hint: HINT.transport };
    case 'aws:referer':
      return { states: [absentState(true), valued([PROBE]), unknownState()], hint: HINT.transport };
    case 's3:signatureversion':
      return { states: [valued(['AWS4-HMAC-SHA256']), unknownState()], hint: HINT.transport };
    case 's3:authtype':
      return { states: [valued(['REST-HEADER', 'REST-QUERY-STRING']), unknownState()], hint: HINT.transport };
    case 's3:tlsversion':
      return { states: [valued(['1.2', '1.3']), absentState(false)], hint: HINT.transport };
    case 's3:signatureage':
      return { states: [valued(['1000']), unknownState()], hint: HINT.transport };
    case 's3:x-amz-content-sha256':
      return { states: [valued(['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']), unknownState()], hint: HINT.transport };
  }
  if (key.startsWith('aws:principaltag/')) return { states: [absentState(true), unknownState()], hint: HINT.tags };
  if (key.startsWith('aws:resourcetag/')) return { states: [absentState(false), unknownState()], hint: HINT.tags };
  if (ctx.kind === 's3' && key.startsWith('s3:') && !S3_PRESENT.has(key) && target === 'manage') {
    return { states: [absentState(true)], hint: 'not part of a bucket-policy request' };
  }
  return { states: [absentState(false), unknownState()], hint: HINT.unmodelled };
}

function overStates(op: Operator, values: string[], states: KeyState[]): Outcome {
  let allTrue = true;
  for (const s of states) {
    let truths: Truth[];
    if (!s.present) truths = [truthWhenAbsent(op, values)];
    else if (op.family === 'null') truths = [nullTruth(values, true)];
    else if (s.judge) truths = [s.judge(op, values)];
    else if (!s.candidates) truths = [undefined];
    else truths = s.candidates.map((c) => truthWhenPresent(op, values, c));
    for (const t of truths) {
      if (t === false && s.reachable) return 'escape';
      if (t !== true) allTrue = false;
    }
  }
  return allTrue ? 'always' : 'unknown';
}

/**
 * aws:PrincipalArn is the caller's user or role ARN. Negated operators (deny unless the caller is
 * listed) free the statement when any listed pattern can match a user or role of the owner account;
 * positive ones (deny if listed) bind every administrator only when the patterns cover all of them.
 */
/** A Null test of a key every administrator's request carries. */
function nullOutcome(values: string[]): Outcome {
  const t = nullTruth(values, true);
  return t === true ? 'always' : t === false ? 'escape' : 'unknown';
}

function principalArnOutcome(op: Operator, values: string[], ctx: ResourceContext): Outcome {
  if (op.family === 'null') return nullOutcome(values);
  if ((op.family !== 'string' && op.family !== 'arn') || values.some((v) => v.includes('${'))) return 'unknown';
  const like = op.family === 'arn' || op.name.includes('Like');
  const norm = op.name.includes('IgnoreCase') ? (s: string) => s.toLowerCase() : (s: string) => s;
  const patterns = values.map(norm);
  const judge = (account: string): Outcome => {
    const prefixes = ['role/', 'user/'].map((t) => norm(`arn:${ctx.partition}:iam::${account}:${t}`));
    if (op.negated) {
      const exempt = prefixes.some((pre) => patterns.some((p) => (like ? canMatchWithPrefix(p, pre) : p.startsWith(pre) && p.length > pre.length)));
      return exempt ? 'escape' : 'always';
    }
    return like && prefixes.every((pre) => patterns.some((p) => coversAllWithPrefix(p, pre))) ? 'always' : 'escape';
  };
  if (ctx.owner) return judge(ctx.owner);
  // Owner unknown: patterns with a wildcard account behave alike for every account; a pattern naming
  // a specific account decides differently only if that account is the owner, which we cannot tell.
  const anyAccount = judge('000000000000');
  const named = new Set(values.flatMap((v) => /:(\d{12}):/.exec(v)?.[1] ?? []));
  for (const account of named) if (judge(account) !== anyAccount) return 'unknown';
  return anyAccount;
}

function entryOutcome(e: ConditionEntry, ctx: ResourceContext, target: Target): { outcome: Outcome; hint: string } {
  const op = parseOperator(e.operator);
  if (!op) return { outcome: 'unknown', hint: `"${e.operator}" is not a condition operator AWS knows` };
  const key = e.key.toLowerCase();
  if (key === 'aws:principalarn') return { outcome: principalArnOutcome(op, e.values, ctx), hint: HINT.identity };
  if ((key === 'aws:principalorgid' && !ctx.org) || key === 'aws:principalorgpaths') {
    // Organization guards ("deny unless in my organization") are assumed to name the owner's own
    // organization; pass organizationId to check that instead.
    if (op.family === 'null') return { outcome: nullOutcome(e.values), hint: HINT.identity };
    return { outcome: op.negated ? 'escape' : 'unknown', hint: HINT.identity };
  }
  const model = keyModel(key, e.values, ctx, target);
  return { outcome: overStates(op, e.values, model.states), hint: model.hint };
}

export function describeEntry(e: ConditionEntry): string {
  const shown = e.values.length === 1 ? JSON.stringify(e.values[0]) : JSON.stringify(e.values.slice(0, 3)).replace(/]$/, e.values.length > 3 ? ', …]' : ']');
  return `${e.operator} ${e.key} ${shown}`;
}

export interface ConditionJudgement {
  outcome: Outcome;
  /** For `always`/`unknown`: each entry with why it binds or may bind. */
  details: string[];
}

export function judgeConditions(entries: ConditionEntry[], ctx: ResourceContext, target: Target): ConditionJudgement {
  let all = true;
  const details: string[] = [];
  for (const e of entries) {
    const { outcome, hint } = entryOutcome(e, ctx, target);
    if (outcome === 'escape') return { outcome, details: [] };
    if (outcome === 'unknown') all = false;
    details.push(`${describeEntry(e)} (${hint})`);
  }
  return { outcome: all ? 'always' : 'unknown', details };
}
