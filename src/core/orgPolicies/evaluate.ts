/**
 * Would a root session's requests pass the organization's SCPs and RCPs? Evaluated per account and
 * per task, before AssumeRoot, from the snapshot read once for the whole organization.
 *
 * SCP semantics, AWS Organizations User Guide, "SCP evaluation"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html):
 * to allow a permission for an account, "there must be an explicit Allow statement at every level
 * from the root through each OU in the direct path to the account (including the target account
 * itself)" — FullAWSAccess, attached everywhere when SCPs are enabled, is that Allow by default —
 * and an explicit Deny in any SCP at any of those levels denies it. SCPs do not apply to the
 * management account (AssumeRoot cannot target it anyway). SCPs apply to the member account's root
 * user, and so to AssumeRoot sessions, unless a statement's conditions exempt them (AWS's sample
 * "Prevent root credentials management in member accounts" adds `"Null": {"aws:AssumedRoot": "true"}`).
 *
 * RCP semantics, "RCP evaluation"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html):
 * RCPFullAWSAccess is attached to the root, every OU and every account and cannot be detached;
 * "any RCP from the root through each OU in the direct path to the account (including the target
 * account itself) can deny" a permission on a resource of that account. RCPs name their principal
 * ("Principal": "*", "RCP syntax") and apply to the resources of S3, STS, KMS, SQS and Secrets
 * Manager — of the root tasks, the S3 and SQS unlocks.
 *
 * A policy type not enabled on the root applies nothing. A condition the evaluator cannot decide
 * (rootRequest.ts) gives "may be blocked", never "allowed".
 */
import type { OrgIndex } from '../orgIndex';
import { formatAccountId, type RootTaskName } from '../tasks';
import { statementApplies, undecided, type RootRequest } from './rootRequest';
import { readGuardPolicy, type GuardStatement } from './statements';
import { TASK_ACTIONS } from './taskActions';
import {
  POLICY_TYPE_LABEL, type GuardFinding, type OrgPolicy, type OrgPolicySnapshot, type OrgPolicyType, type PolicyTarget, type TaskGuard,
} from './types';
import type { Truth } from '../policy/operators';

const RCP_SERVICES = new Set(['s3', 'sqs', 'sts', 'kms', 'secretsmanager']);
const EXEMPTION = '"Null": {"aws:AssumedRoot": "true"}';

export interface GuardRequest {
  accountId: string;
  task: RootTaskName;
  /** The bucket or queue ARN; undefined = any resource the task may choose in the account. */
  resourceArn?: string;
  region?: string;
}

/** Root → OUs → the account, as Organizations applies policies down the direct path. */
export function lineageOf(index: OrgIndex, accountId: string): PolicyTarget[] | undefined {
  const account = index.accounts.get(accountId);
  if (!account) return undefined;
  const path: PolicyTarget[] = [{ id: account.id, name: account.name, type: 'ACCOUNT' }];
  let parent = account.parentId;
  for (let guard = 0; parent && guard < 20; guard++) {
    if (parent === index.organization.rootId) {
      path.unshift({ id: parent, name: 'Root', type: 'ROOT' });
      return path;
    }
    const ou = index.ous.get(parent);
    if (!ou) return undefined;
    path.unshift({ id: ou.id, name: ou.name, type: 'ORGANIZATIONAL_UNIT' });
    parent = ou.parentId;
  }
  return undefined;
}

export function describeTarget(t: PolicyTarget): string {
  if (t.type === 'ROOT') return `the organization root (${t.id})`;
  if (t.type === 'ORGANIZATIONAL_UNIT') return `OU "${t.name}" (${t.id})`;
  return `account "${t.name}" (${formatAccountId(t.id)}) itself`;
}

function joinList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

interface Draft {
  certain: boolean;
  type: OrgPolicyType;
  policy?: OrgPolicy;
  level: PolicyTarget;
  statement?: GuardStatement;
  actions: string[];
  undecided: Set<string>;
}

/** The snapshot indexed by target, built once and reused for every account and task. */
export class OrgGuard {
  private readonly attached = new Map<string, OrgPolicy[]>();
  private readonly everywhere: Array<{ policy: OrgPolicy; except: Set<string> }> = [];

  constructor(readonly snapshot: OrgPolicySnapshot) {
    for (const p of snapshot.policies) {
      if (!snapshot.enabled[p.type]) continue;
      if (p.everywhereExcept) this.everywhere.push({ policy: p, except: new Set(p.everywhereExcept) });
      for (const t of p.targets) {
        const list = this.attached.get(`${p.type}|${t.id}`);
        if (list) list.push(p);
        else this.attached.set(`${p.type}|${t.id}`, [p]);
      }
    }
  }

  /** The verdict for one task in one account; `lineage` from lineageOf (the index's tree). */
  evaluate(req: GuardRequest, lineage: PolicyTarget[], managementAccountId?: string): TaskGuard {
    if (req.accountId === managementAccountId) return { task: req.task, verdict: 'allowed', findings: [] };
    const drafts = new Map<string, Draft>();
    const note = (d: Omit<Draft, 'actions' | 'undecided'>, action: string, why: string[] = []) => {
      const key = `${d.type}|${d.policy?.id ?? '-'}|${d.level.id}|${d.statement?.index ?? -1}|${d.certain}`;
      let draft = drafts.get(key);
      if (!draft) drafts.set(key, (draft = { ...d, actions: [], undecided: new Set() }));
      if (!draft.actions.includes(action)) draft.actions.push(action);
      for (const w of why) draft.undecided.add(w);
    };
    for (const ta of TASK_ACTIONS[req.task]) {
      const resource = ta.on === '*' ? '*' : ta.on === 'root' ? `arn:aws:iam::${req.accountId}:root` : req.resourceArn;
      const rr: RootRequest = { accountId: req.accountId, organizationId: this.snapshot.organizationId, action: ta.action, resource, region: req.region };
      for (const type of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
        if (!this.snapshot.enabled[type]) continue;
        if (type === 'RESOURCE_CONTROL_POLICY' && !RCP_SERVICES.has(ta.action.split(':')[0]!.toLowerCase())) continue;
        for (const level of lineage) this.level(type, level, rr, note);
      }
    }
    const findings = [...drafts.values()].map(finish);
    const verdict = findings.some((f) => f.certain) ? 'blocked' : findings.length ? 'mayBeBlocked' : 'allowed';
    return { task: req.task, verdict, findings: findings.sort((a, b) => Number(b.certain) - Number(a.certain)) };
  }

  private level(
    type: OrgPolicyType, level: PolicyTarget, rr: RootRequest,
    note: (d: Omit<Draft, 'actions' | 'undecided'>, action: string, why?: string[]) => void,
  ): void {
    let allow: Truth = false;
    const everywhere = this.everywhere.filter((e) => e.policy.type === type && !e.except.has(level.id)).map((e) => e.policy);
    for (const policy of [...everywhere, ...(this.attached.get(`${type}|${level.id}`) ?? [])]) {
      const read = readGuardPolicy(policy.content);
      if (read.unreadable.length) {
        // An unreadable part may be a Deny, or the Allow this level needs.
        note({ certain: false, type, policy, level }, rr.action, read.unreadable);
        if (allow === false) allow = undefined;
      }
      for (const st of read.statements) {
        const applies = statementApplies(st, rr, type === 'RESOURCE_CONTROL_POLICY');
        if (applies === false) continue;
        if (st.effect === 'Deny') {
          const why = applies ? [] : undecided(st, rr);
          if (!applies && !why.length) why.push('the statement names resources the task may or may not touch');
          note({ certain: applies === true, type, policy, level, statement: st }, rr.action, why);
        } else if (applies === true) allow = true;
        else if (allow === false) allow = undefined;
      }
    }
    if (allow !== true) note({ certain: allow === false, type, level }, rr.action);
  }
}

function finish(d: Draft): GuardFinding {
  const kind = POLICY_TYPE_LABEL[d.type];
  const where = describeTarget(d.level);
  const actions = joinList(d.actions);
  const base = {
    certain: d.certain, policyType: d.type, attachedTo: d.level, actions: d.actions,
    ...(d.policy ? { policy: { id: d.policy.id, name: d.policy.name } } : {}),
    ...(d.statement ? { statement: d.statement.label, statementText: d.statement.text } : {}),
  };
  if (!d.policy) {
    return {
      ...base,
      why: d.certain
        ? `No ${kind} attached to ${where} allows ${actions}: every level from the root to the account needs an Allow (FullAWSAccess by default).`
        : `The ${kind}s attached to ${where} may not allow ${actions} (their Allow depends on what cannot be seen here).`,
      fix: `Attach FullAWSAccess (or an ${kind} that allows ${actions}) to ${where}.`,
    };
  }
  const named = `${kind} "${d.policy.name}" (${d.policy.id}), attached to ${where}`;
  if (!d.statement) {
    return { ...base, why: `${named} could not be read: ${[...d.undecided].join('; ')}.`, fix: `Check ${kind} "${d.policy.name}" in the Organizations console.` };
  }
  const conditions = d.statement.conditions;
  const why = d.certain
    ? `${named}: ${d.statement.label} denies ${actions} to the account's root sessions${conditions.length ? ' (its conditions hold for them)' : ', with no condition'}.`
    : `${named}: ${d.statement.label} may deny ${actions} to the account's root sessions: ${[...d.undecided].join('; ')}.`;
  const targetsRootSessions = conditions.some((c) => c.key.toLowerCase() === 'aws:assumedroot');
  const fix = targetsRootSessions
    ? `${d.statement.label} of "${d.policy.name}" tests aws:AssumedRoot itself, so it is meant for root sessions: change that condition, or detach the policy from ${where}.`
    : `Add ${EXEMPTION} to the Condition of ${d.statement.label} in "${d.policy.name}" (as AWS's sample SCP "Prevent root credentials management in member accounts" does), so it no longer applies to AssumeRoot sessions; or detach it from ${where}.`;
  return { ...base, why, fix };
}

/** The explanation a refusal (or an AccessDenied after AssumeRoot) shows. */
export function explainGuard(guard: TaskGuard, accountId: string, taskLabel: string): string {
  const shown = guard.findings.filter((f) => f.certain === (guard.verdict === 'blocked')).slice(0, 3);
  const lead = guard.verdict === 'blocked'
    ? `The organization's policies block ${taskLabel} in account ${formatAccountId(accountId)} for root sessions`
    : `The organization's policies may block ${taskLabel} in account ${formatAccountId(accountId)}`;
  const parts = shown.map((f) => `${f.why} Fix: ${f.fix}`);
  const more = guard.findings.length > shown.length ? ` (${guard.findings.length - shown.length} more in the log)` : '';
  return `${lead}. ${parts.join(' ')}${more}`;
}

/** The policy most likely behind an AccessDenied that came after AssumeRoot (for its message). */
export function likelyCause(guard: TaskGuard | undefined): GuardFinding | undefined {
  return guard?.findings.find((f) => f.policy) ?? guard?.findings[0];
}
