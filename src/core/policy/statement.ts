/**
 * Judges one statement on its own (so removing the statements it flags always leaves a policy
 * with none flagged). A statement offends when it is a Deny that reaches every IAM user and role
 * of the owner (principals.ts), covers the resource, and
 *   - denies a management action: reading or changing the policy (S3 Get/Put/DeleteBucketPolicy,
 *     SQS Get/SetQueueAttributes: the calls an administrator and the root unlock tasks use), or
 *   - (S3) denies reading and writing (s3:GetObject and s3:PutObject) all of the bucket's objects:
 *     the data is locked away even if an administrator could still edit the policy;
 * and its conditions cannot be escaped (conditions.ts): `always` → locked, `unknown` → suspected.
 */
import type { ResourceContext } from './context';
import type { PatternList, Statement } from './document';
import { canMatchWithPrefix, coversAllWithPrefix, globMatch } from './glob';
import { judgeConditions, type ConditionJudgement, type Target } from './conditions';
import { principalCoverage, type Coverage } from './principals';

export interface Judgement {
  verdict: 'locked' | 'suspected';
  blocksPolicyManagement: boolean;
  /** Certain (not suspected) for policy management. */
  managementLocked: boolean;
  /** "locks every IAM user and role out of managing this policy", for a summary line. */
  summary: string;
  why: string;
}

/** Action names are case-insensitive in AWS; resource ARNs are not. */
function deniesAction(actions: PatternList, action: string): boolean {
  const a = action.toLowerCase();
  const hit = actions.patterns.some((p) => globMatch(p.toLowerCase(), a));
  return actions.not ? !hit : hit;
}

const DATA_ACTIONS = ['s3:GetObject', 's3:PutObject'];

/** No Resource element: the statement applies to the resource the policy is attached to. */
function coversResource(resources: PatternList | undefined, arn: string): boolean {
  if (!resources) return true;
  const hit = resources.patterns.some((p) => globMatch(p, arn));
  return resources.not ? !hit : hit;
}

function coversAllObjects(resources: PatternList | undefined, bucketArn: string): boolean {
  if (!resources) return true;
  const prefix = `${bucketArn}/`;
  if (resources.not) return !resources.patterns.some((p) => canMatchWithPrefix(p, prefix));
  return resources.patterns.some((p) => coversAllWithPrefix(p, prefix));
}

function severity(coverage: Coverage, cond: ConditionJudgement): 'locked' | 'suspected' | undefined {
  if (coverage === 'none' || cond.outcome === 'escape') return undefined;
  return coverage === 'all' && cond.outcome === 'always' ? 'locked' : 'suspected';
}

function joinList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

interface Finding { target: Target; verdict: 'locked' | 'suspected'; cond: ConditionJudgement; what: string }

export function judgeStatement(st: Statement, ctx: ResourceContext): Judgement | undefined {
  if (st.effect !== 'Deny') return undefined;
  const who = principalCoverage(st.principal, ctx);
  if (who.coverage === 'none') return undefined;
  const denied = ctx.managementActions.filter((a) => deniesAction(st.actions, a));
  let worst: Finding | undefined;
  if (denied.length && coversResource(st.resources, ctx.arn)) {
    const cond = judgeConditions(st.conditions, ctx, 'manage');
    const verdict = severity(who.coverage, cond);
    if (verdict) worst = { target: 'manage', verdict, cond, what: `${joinList(denied)} on ${ctx.arn}` };
  }
  // Checked only without a management finding: conditions are never more certain for data requests
  // (object keys may be present there), so it could not make the statement worse.
  if (ctx.kind === 's3' && !worst
    && DATA_ACTIONS.every((a) => deniesAction(st.actions, a)) && coversAllObjects(st.resources, ctx.arn)) {
    const cond = judgeConditions(st.conditions, ctx, 'data');
    const verdict = severity(who.coverage, cond);
    if (verdict) worst = { target: 'data', verdict, cond, what: `reading and writing (${joinList(DATA_ACTIONS)}) all objects in ${ctx.arn}` };
  }
  if (!worst) return undefined;

  const manage = worst.target === 'manage';
  let why = `Denies ${worst.what} to ${who.text}`;
  if (!st.conditions.length) why += ', with no condition';
  else if (worst.cond.outcome === 'always') why += `; its conditions hold for every request by the account's users and roles: ${worst.cond.details.join('; ')}`;
  else why += `; its conditions may hold for every such request: ${worst.cond.details.join('; ')}`;
  const certain = worst.verdict === 'locked' ? '' : 'If so, ';
  why += manage
    ? `. ${certain}${certain ? 'only' : 'Only'} the root user can read, change or delete this policy.`
    : `. ${certain}${certain ? 'nobody' : 'Nobody'} can use the bucket's objects until this statement is removed.`;
  const summary = `${worst.verdict === 'locked' ? 'locks' : 'may lock'} every IAM user and role out of ${manage ? 'managing this policy' : "the bucket's objects"}`;
  return {
    verdict: worst.verdict,
    blocksPolicyManagement: manage,
    managementLocked: manage && worst.verdict === 'locked',
    summary,
    why,
  };
}
