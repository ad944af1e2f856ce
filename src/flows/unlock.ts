import { createRequest, requestSha256, type RootTaskRequestFile } from '../core/approval/request';
import type { TaskApproval } from '../core/approvalGate';
import { sha256Hex } from '../core/audit/hash';
import { Cancelled, UserError } from '../core/errors';
import { analyzePolicy, formatPolicy, validateProposedPolicy, type PolicyAnalysis, type PolicyResource } from '../core/policy';
import { checkUnchanged, verifyWrite } from '../core/sessionChecks';
import { ROOT_TASKS, formatAccountId } from '../core/tasks';
import type { PolicyKind, PolicyTarget } from './policyKinds';
import type { ActiveRootTask, Person, RootFlowEnv } from './ports';
import { plural } from '../core/humanTime';

/** 'request': save the proposal as a root task request for approval instead of writing it. */
export type UnlockDecision = 'apply' | 'delete' | 'request' | 'cancel';

/** The diff the person reviews: the current policy (read-only) against the proposal (editable). */
export interface ReviewInput {
  taskId: string;
  target: PolicyTarget;
  current: string;
  proposed: string;
  /** What the analysis found and proposes, in a sentence (what Apply does *now* follows the edits). */
  summary: string;
}

/** An open review. Closing it, or the session ending, answers 'cancel'. */
export interface Review {
  /** `mustRequest`: approvals are required, so the only way forward is to save a request. */
  decide(summary: string, signal: AbortSignal, options: { canDelete: boolean; mustRequest?: boolean }): Promise<UnlockDecision>;
  /** The proposal as the person left it. */
  proposedText(): string;
  /** A refused proposal: the person is told and may fix the edit and decide again (automation: throws). */
  refused(message: string): void;
  dispose(): Promise<void>;
}

export interface UnlockPerson extends Person {
  /** Chooses the bucket / queue when the command was not given one (locked and suspected first). */
  pickTarget(targets: Array<{ target: PolicyTarget; verdict?: string }>, kind: PolicyKind): Promise<PolicyTarget>;
  review(input: ReviewInput): Promise<Review>;
}

export interface UnlockResult {
  outcome: 'applied' | 'deleted' | 'requested' | 'noPolicy' | 'notLocked';
  /** The request to save beside the team's runbooks (outcome 'requested'); nothing was written. */
  request?: RootTaskRequestFile;
  accountId: string;
  resource: string;
  /** The verification re-read stored exactly what was sent (as JSON). */
  identical?: boolean;
}

export interface UnlockRequest {
  accountId: string;
  /** The resource, when the command was given one; otherwise listed with the session and picked. */
  target?: PolicyTarget;
  /** Where queues are listed when none is given. */
  region: string;
  /** With approvals required: act alone with this reason (break-glass) instead of making a request. */
  breakGlass?: string;
}

/**
 * Unlock one resource policy: justification → root session → (list and pick) → read → analyze →
 * diff preview → decision → validate → re-read (must equal the preview) → write → verify →
 * findings. At most AssumeRoot + 4 calls when the resource is given.
 */
export async function unlockPolicy(env: RootFlowEnv, person: UnlockPerson, kind: PolicyKind, req: UnlockRequest): Promise<UnlockResult> {
  const what = req.target ? `the ${kind.noun} ${req.target.name}` : `a ${kind.noun}`;
  const { justification, ticket } = await person.justify(`${ROOT_TASKS[kind.task].label} of ${what} in account ${formatAccountId(req.accountId)}`);
  const approvals = env.approvals?.();
  const required = approvals?.settings.required ?? 0;
  // With approvals required the session only reads (to make the request) unless the person breaks glass.
  const approval: TaskApproval | undefined = required === 0 ? undefined : req.breakGlass !== undefined ? { kind: 'breakGlass', reason: req.breakGlass } : { kind: 'readOnly', purpose: 'request' };
  const request = { task: kind.task, accountId: req.accountId, resourceArn: req.target?.arn, justification, ticket, approval };
  const asRequest = approvals ? { caller: approvals.caller, maxAgeSeconds: approvals.settings.maxAgeSeconds, justification, ticket, only: approval?.kind === 'readOnly' } : undefined;
  return env.run(request, async (t) => {
    const target = req.target ?? (await pickTarget(env, person, kind, t, req));
    if (!req.target) await t.claim(target.arn);
    return unlockTarget(env, person, kind, t, target, asRequest);
  });
}

async function pickTarget(env: RootFlowEnv, person: UnlockPerson, kind: PolicyKind, t: ActiveRootTask, req: UnlockRequest): Promise<PolicyTarget> {
  const all = await kind.list(t, req.accountId, req.region);
  if (!all.length) throw new UserError(`Account ${formatAccountId(req.accountId)} has no ${kind.noun}s${kind.kind === 'sqs' ? ' in this region' : ''}.`);
  const known = new Map((env.findings.get(req.accountId)?.resources ?? []).map((r) => [r.arn, r.verdict]));
  const rank = (arn: string) => ['locked', 'suspected'].indexOf(known.get(arn) ?? '') + 1 || 3;
  const ranked = all
    .sort((a, b) => rank(a.arn) - rank(b.arn) || a.name.localeCompare(b.name))
    .map((target) => ({ target, verdict: known.get(target.arn) }));
  return person.pickTarget(ranked, kind);
}

interface AsRequest {
  caller(): Promise<string>;
  maxAgeSeconds: number;
  justification: string;
  ticket: string;
  /** The session only reads: a request is the only way forward. */
  only: boolean;
}

async function unlockTarget(env: RootFlowEnv, person: UnlockPerson, kind: PolicyKind, t: ActiveRootTask, target: PolicyTarget, asRequest?: AsRequest): Promise<UnlockResult> {
  const result = (outcome: UnlockResult['outcome'], identical?: boolean): UnlockResult => ({ outcome, accountId: target.accountId, resource: target.arn, identical });
  const where = `${kind.noun} ${target.name} (account ${formatAccountId(target.accountId)})`;
  const read = () => t.read(kind.operations.read, target.arn, () => kind.read(t, target));
  const current = await read();
  const index = await env.getIndex();
  const resource: PolicyResource = { kind: kind.kind, arn: target.arn, accountId: target.accountId, organizationId: index.organization.id };
  const remember = (analysis: PolicyAnalysis | undefined) => env.findings.setResource({
    kind: kind.kind, accountId: target.accountId, name: target.name, arn: target.arn, region: target.region, url: target.url,
    verdict: analysis?.verdict ?? 'fine', reasons: analysis?.reasons ?? [], checkedAt: new Date().toISOString(),
  });

  if (current.text === undefined) {
    remember(undefined);
    person.tell(`The ${where} has no policy: nothing to unlock.`);
    return result('noPolicy');
  }
  const analysis = analyzePolicy(current.text, resource);
  if (analysis.verdict === 'fine') {
    remember(analysis);
    person.tell(`The policy of the ${where} does not lock anyone out: nothing to unlock.`);
    return result('notLocked');
  }

  const before = current.text;
  const beforeSha256 = sha256Hex(before);
  const shown = analysis.verdict === 'invalid' ? before : formatPolicy(JSON.parse(before));
  const proposal = analysis.fix?.kind === 'put' ? analysis.fix.text : analysis.fix?.kind === 'delete' ? '' : shown;
  const summary = describeAnalysis(analysis);
  const review = await person.review({ taskId: t.taskId, target, current: shown, proposed: proposal, summary });
  try {
    await t.record({ kind: 'preview.shown', resource: target.arn, outcome: 'ok', beforeSha256, detail: { verdict: analysis.verdict, offending: analysis.offending.length } });
    const only = asRequest?.only ?? false;
    const chosen = await decide(t, review, target, resource, beforeSha256, where, only ? `${REQUEST_QUESTION} ${summary}` : summary, only);
    if (chosen.decision === 'request' || only) {
      const text = chosen.decision === 'delete' ? '' : chosen.text;
      return { ...result('requested'), request: await saveAsRequest(t, kind, target, before, text, asRequest ?? await noApprovals()) };
    }
    const afterSha256 = chosen.decision === 'apply' ? sha256Hex(chosen.text) : undefined;
    const audited = { beforeSha256, afterSha256, before: before.replace(/\r/g, '') };
    await t.record({ kind: 'decision', resource: target.arn, decision: chosen.decision, outcome: 'ok', ...audited });

    const unchanged = checkUnchanged(before, (await read()).text, target.arn);
    if (!unchanged.ok) throw new UserError(unchanged.message);
    if (chosen.decision === 'apply') {
      const text = chosen.text;
      await t.write(kind.operations.write, target.arn, () => kind.put(t, target, text), audited);
    } else {
      await t.write(kind.operations.remove, target.arn, () => kind.remove(t, target), audited);
    }

    const after = await read();
    const afterAnalysis = after.text === undefined ? undefined : analyzePolicy(after.text, resource);
    const verified = verifyWrite(chosen.decision === 'apply' ? { kind: 'put', text: chosen.text } : { kind: 'delete' }, after.text, () => afterAnalysis?.verdict === 'locked', target.arn);
    await t.record({
      kind: 'verify', resource: target.arn, outcome: verified.ok ? 'ok' : 'error',
      error: verified.ok ? undefined : verified.message,
      afterSha256: after.text === undefined ? undefined : sha256Hex(after.text),
      detail: verified.ok ? { identical: verified.identical } : undefined,
    });
    remember(afterAnalysis);
    if (!verified.ok) throw new UserError(`The ${where} was written but verification failed: ${verified.message}`);
    env.findings.markFixed(target.arn);
    person.tell(`Unlocked the ${where}: ${chosen.decision === 'apply' ? 'policy replaced' : 'policy deleted'} and verified.`);
    return result(chosen.decision === 'apply' ? 'applied' : 'deleted', verified.identical);
  } finally {
    await review.dispose();
  }
}

const REQUEST_QUESTION = 'Approvals are required: save the proposal (right side, editable) as a request for a second person to approve, or cancel. Nothing is written now.';

async function noApprovals(): Promise<never> {
  throw new UserError('Saving a request needs approvals set up (rootTasks.approvals.allowedSignersFile).');
}

/** The reviewed change as a request: before = the policy as read, after = the exact document. */
async function saveAsRequest(t: ActiveRootTask, kind: PolicyKind, target: PolicyTarget, before: string, after: string, r: AsRequest): Promise<RootTaskRequestFile> {
  const request = createRequest({
    task: kind.task, accountId: target.accountId, resourceArn: target.arn, before, after,
    requester: await r.caller(), justification: r.justification, ticket: r.ticket, now: new Date(), maxAgeSeconds: r.maxAgeSeconds,
  });
  await t.record({ kind: 'approval.requested', resource: target.arn, outcome: 'ok', requestSha256: requestSha256(request), beforeSha256: request.policy!.beforeSha256, afterSha256: request.policy!.afterSha256, justification: request.justification, ticket: request.ticket, expiresAt: request.expiresAt });
  return request;
}

/**
 * What the analysis found, as the review's first words. It describes the *first* proposal only;
 * what Apply will do with the proposal as edited is said next to it (src/views/decisionText.ts).
 */
function describeAnalysis(analysis: PolicyAnalysis): string {
  const n = analysis.offending.length;
  const locking = plural(n, 'locking statement');
  if (analysis.verdict === 'invalid') return `The policy could not be analyzed (${analysis.problems.join('; ')}): edit the proposal.`;
  if (analysis.fix?.kind === 'delete') return `Every statement locks everyone out (${locking}): nothing would be left.`;
  return `${locking} removed, everything else kept.`;
}

/** Asks until the person applies a valid proposal, deletes, or cancels; each refusal is audited. */
async function decide(
  t: ActiveRootTask, review: Review, target: PolicyTarget, resource: PolicyResource, beforeSha256: string, where: string, ask: string, mustRequest: boolean,
): Promise<{ decision: 'apply' | 'request'; text: string } | { decision: 'delete' }> {
  for (;;) {
    const decision = await review.decide(ask, t.signal, { canDelete: !mustRequest, mustRequest });
    if (t.signal.aborted) throw new Cancelled();
    if (decision === 'cancel') {
      await t.record({ kind: 'decision', resource: target.arn, decision, outcome: 'cancelled', beforeSha256 });
      throw new Cancelled();
    }
    const text = decision === 'delete' ? '' : review.proposedText();
    if (decision === 'request' && !text.trim()) return { decision: 'request', text: '' };
    if (decision === 'delete' || !text.trim()) return { decision: 'delete' };
    const valid = validateProposedPolicy(text, resource);
    if (valid.ok) return { decision: decision === 'request' ? 'request' : 'apply', text };
    await t.record({ kind: 'decision', resource: target.arn, decision, outcome: 'denied', error: valid.message, beforeSha256 });
    review.refused(`The proposed policy for the ${where} was refused: ${valid.message} Nothing was written.`);
  }
}
