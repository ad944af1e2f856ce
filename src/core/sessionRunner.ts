import { admitTask, checkWrite, type ApprovalEnv, type TaskApproval, type WriteBinding } from './approvalGate';
import { Cancelled, EndedByUser, UserError, isCancellation } from './errors';
import { createGate, requestIdOf, type CallGate } from './gate';
import { checkGuardrails, checkResource, type GuardrailResult, type GuardrailSettings } from './guardrails';
import type { AuditInput } from './audit/types';
import type { OrgIndex } from './orgIndex';
import { escapeControls } from './quote';
import { explainFailure, failureAsUserError, classifyFailure } from './sessionErrors';
import { explainGuard, likelyCause, policyLabel } from './orgPolicies';
import type { TaskGuard } from './orgPolicies/types';
import { checkWritable, sessionDuration, type SessionSettings } from './sessionPolicy';
import type { Limiter } from './rateLimit';
import { limitKey, serviceOf } from './awsQuotas';
import type { EndableSession, RegisteredSession, RootSessionRegistry, SessionEndReason, SessionGroup } from './sessionRegistry';
import { ROOT_TASKS, formatAccountId, isAccountId, type RootTaskName } from './tasks';

/**
 * The one path to root credentials (pure; the editor side supplies settings and AssumeRoot):
 * guardrails → the organization's SCPs/RCPs → resource claim → audit intent (the fail-closed gate)
 * → AssumeRoot → granted → work → session ended (always: finished, cancelled, failed, expired).
 */
export interface AuditRecorder {
  record(input: AuditInput): Promise<unknown>;
  /** The gate: throws (AuditGateError) when the intent could not be made durable. */
  recordIntent(input: AuditInput): Promise<unknown>;
}

export interface RootTaskRequest {
  task: RootTaskName;
  accountId: string;
  /** The resource the task changes (bucket/queue ARN); IAM tasks default to the account's root user. */
  resourceArn?: string;
  justification: string;
  ticket: string;
  taskId?: string;
  /** The task this session is part of (a scan's id on each of its account sessions); on every event. */
  parentTaskId?: string;
  /** Sessions shown and ended together (a scan's): the status bar shows the group as one item. */
  group?: SessionGroup;
  /** The flow's own cancel: no call starts after it aborts (the session then ends as cancelled). */
  signal?: AbortSignal;
  /** Read records do not hold up the next call (a scan's many reads); settled before the session ends. */
  pipelineReads?: boolean;
  /** An approved request, a break-glass reason, or a read-only session (a request being made, a scan, an audit). */
  approval?: TaskApproval;
}

export interface RunnerEnv<S extends EndableSession> {
  audit: AuditRecorder;
  registry: RootSessionRegistry;
  guardrails: GuardrailSettings;
  session: SessionSettings;
  getIndex: () => Promise<OrgIndex>;
  /**
   * The index still being listed, when a walk is under way: an account already placed in it (its
   * OU path known) is judged against it at once; any other account waits for the whole index, so
   * an account not yet listed is never taken for a member nor for an outsider.
   */
  partialIndex?: () => OrgIndex | undefined;
  /** Paces every AWS call of the session (the same limiter as every other AWS call). */
  limiter: Pick<Limiter, 'run'>;
  assume: (req: { accountId: string; task: RootTaskName; durationSeconds: number }) => Promise<S>;
  /**
   * The organization's SCPs and RCPs judged for this request (src/core/orgPolicies), before any
   * credentials are taken: "blocked" is refused here, and any finding explains an AccessDenied
   * that still comes after AssumeRoot. Undefined (or no answer): the policies are not known.
   */
  orgGuard?: (req: { accountId: string; task: RootTaskName; resourceArn?: string }, index: OrgIndex) => Promise<TaskGuard | undefined>;
  newTaskId: () => string;
  now?: () => Date;
  /** Where audit-trail failures that cannot change the outcome any more are reported. */
  warn?: (message: string) => void;
  /** Two people for root: checked before AssumeRoot when set (rootTasks.approvals.*). */
  approvals?: ApprovalEnv;
  /**
   * Told once each root session has ended and its end is recorded (CloudTrail correlation): must
   * not block, it runs after the task has returned. `record` fills in the session's task id.
   */
  afterSession?: (session: S, record: (input: AuditInput) => Promise<void>) => void;
}

export interface ActiveRootTask<S extends EndableSession> extends CallGate {
  readonly session: S;
  readonly taskId: string;
  /** Aborted when the session ends early (expired, ended from the status bar). */
  readonly signal: AbortSignal;
  /** Throws a UserError when the session has ended or fewer than minRemainingSeconds remain. */
  assertWritable(): void;
  /** Checks guardrails for a resource picked during the task and claims it (one task per resource). */
  claim(resourceArn: string): Promise<void>;
  /** Records an event with this task's taskId/task/accountId filled in. */
  record(input: AuditInput): Promise<void>;
}

function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

export async function runRootTask<S extends EndableSession, T>(
  env: RunnerEnv<S>,
  req: RootTaskRequest,
  work: (task: ActiveRootTask<S>) => Promise<T>,
): Promise<T> {
  const now = env.now ?? (() => new Date());
  const taskId = req.taskId ?? env.newTaskId();
  // The audit trail takes only well-formed account ids; a malformed one is refused below and
  // recorded as detail, so the refusal itself is never lost to a validation error.
  const base = { taskId, task: req.task, accountId: req.accountId, ...(req.parentTaskId ? { parentTaskId: req.parentTaskId } : {}) };
  const validId = isAccountId(req.accountId);
  const record = async (input: AuditInput) => {
    await env.audit.record({ ...base, accountId: validId ? req.accountId : undefined, ...input });
  };
  const refuse = async (result: Extract<GuardrailResult, { ok: false }>, resource?: string, extra: Record<string, string> = {}): Promise<never> => {
    // What the request carried is quoted visibly (a NUL, a trailing newline), so the refusal of
    // malformed input is recorded like any other.
    const requested: Record<string, string> = validId ? {} : { requestedAccountId: escapeControls(req.accountId.slice(0, 64)).slice(0, 256) };
    const shown = resource === undefined ? undefined : escapeControls(resource);
    // The refusal stands even if it cannot be recorded: refusing is already the closed side.
    await record({ kind: 'guardrail.refused', resource: shown, outcome: 'denied', error: result.message, detail: { rule: result.rule, ...requested, ...extra } })
      .catch((err) => env.warn?.(`audit: could not record a guardrail refusal: ${explainFailure(err, base)}`));
    throw new UserError(result.message);
  };

  let index: OrgIndex;
  try {
    const partial = env.partialIndex?.();
    index = partial?.isPlaced(req.accountId) ? partial : await env.getIndex();
  } catch (err) {
    // Membership cannot be checked without the index: refuse rather than guess.
    const message = `The organization could not be listed, so account ${formatAccountId(req.accountId)} cannot be checked: ${explainFailure(err, { ...base, operation: 'ListAccounts' })}`;
    await record({ kind: 'error', resource: req.resourceArn, outcome: 'error', error: message });
    throw new UserError(message);
  }
  const verdict = checkGuardrails(env.guardrails, req, index);
  if (!verdict.ok) return refuse(verdict, req.resourceArn);
  const orgCheck = (resourceArn?: string) => judgeOrgPolicies(env, { accountId: req.accountId, task: req.task, resourceArn }, index);
  let org = await orgCheck(req.resourceArn);
  if (org?.verdict === 'blocked') return refuse(orgRefusal(org, req.accountId, req.task), req.resourceArn, orgDetail(org));

  const claimed = req.resourceArn ?? (req.task.startsWith('IAM') ? rootArn(req.accountId) : undefined);
  try {
    if (claimed) await claimBusy(env.registry, claimed, taskId, record);
    return await runClaimed();
  } finally {
    env.registry.release(taskId);
  }

  async function runClaimed(): Promise<T> {
    const durationSeconds = sessionDuration(env.session.durationSeconds);
    const target = { task: req.task, accountId: req.accountId, resourceArn: req.resourceArn };
    const step = await admitTask(env.approvals, req.approval, target, record, (input) => env.audit.recordIntent({ ...base, ...input }).then(() => undefined), now());
    await env.audit.recordIntent({
      ...base,
      kind: 'intent',
      resource: req.resourceArn,
      // Escaped for the record only when the guardrail is off (it refuses control characters).
      justification: escapeControls(req.justification.trim(), /[\t\r\n]/),
      ticket: escapeControls(req.ticket.trim()),
      ...step.intent,
      detail: { durationSeconds, ...step.intent.detail },
    });
    // After the intent, before AssumeRoot: an approved request is good for one run.
    await step.consume();

    let session: S;
    try {
      session = await env.assume({ accountId: req.accountId, task: req.task, durationSeconds });
    } catch (err) {
      const message = explainFailure(err, { ...base, operation: 'AssumeRoot' });
      await record({ kind: 'assumeRoot.failed', outcome: 'error', error: message, requestId: requestIdOf(err) });
      throw new UserError(message);
    }

    let ended: Promise<unknown> = Promise.resolve();
    const registered = env.registry.add(taskId, session, (reason) => {
      ended = record(endEvent(reason)).catch((err) => env.warn?.(`audit: could not record the end of root session ${taskId}: ${explainFailure(err, base)}`));
    }, req.group);
    // Which call an error came from, so the message names the operation (the error itself is rethrown untouched).
    const origins = new WeakMap<object, { operation: string; resource: string }>();
    let reason: SessionEndReason = 'failed';
    const active = activeTask(env, req, base, session, registered, record, now, origins, step.binding, async (resourceArn) => {
      const judged = await orgCheck(resourceArn);
      if (judged) org = judged;
      return judged;
    });
    try {
      await record({ kind: 'assumeRoot.granted', outcome: 'ok', expiresAt: session.expiresAt.toISOString(), requestId: requestIdOf(session) });
      const result = await work(active);
      await active.settle();
      reason = 'finished';
      return result;
    } catch (err) {
      // Read records still queued are written before the session's end (order kept).
      await active.settle().catch(() => undefined);
      const early = registered.signal.aborted ? (registered.signal.reason as SessionEndReason) : undefined;
      if (isCancellation(err) && !early) {
        reason = 'cancelled';
        throw err;
      }
      const ctx = { ...base, ...(err && typeof err === 'object' ? origins.get(err) : undefined) };
      const hint = !early && classifyFailure(err) === 'accessDenied' ? deniedByOrgHint(org) : '';
      const message = early ? endedEarlyMessage(early, req.accountId) : `${explainFailure(err, ctx)}${hint}`;
      await record({ kind: 'error', outcome: 'error', resource: ctx.resource, operation: ctx.operation, error: message, requestId: requestIdOf(err) }).catch(() => undefined);
      if (early === 'endedByUser') throw new EndedByUser(endedByUserMessage(req.task, req.accountId, ctx.resource ?? req.resourceArn));
      throw early || hint ? new UserError(message) : failureAsUserError(err, ctx);
    } finally {
      env.registry.end(taskId, reason);
      await ended;
      try {
        env.afterSession?.(session, record);
      } catch (err) {
        // Whatever happens after the session cannot change the task's outcome.
        env.warn?.(`after root session ${taskId}: ${explainFailure(err, base)}`);
      }
    }
  }
}

function endEvent(reason: SessionEndReason): AuditInput {
  if (reason === 'expired') return { kind: 'session.expired', outcome: 'error', detail: { reason } };
  const outcome = reason === 'finished' ? 'ok' : reason === 'failed' ? 'error' : 'cancelled';
  return { kind: 'session.ended', outcome, detail: { reason } };
}

function endedEarlyMessage(reason: SessionEndReason, accountId: string): string {
  const account = formatAccountId(accountId);
  if (reason === 'expired') return `The root session for account ${account} expired before the task finished; nothing more was written. Run the task again for a fresh session.`;
  if (reason === 'endedByUser') return `The root session for account ${account} was ended before the task finished; nothing more was written.`;
  return `The root session for account ${account} ended (${reason}) before the task finished; nothing more was written.`;
}

/** What the person is told after ending a session themselves: news, not an error. */
function endedByUserMessage(task: RootTaskName, accountId: string, resource: string | undefined): string {
  const what = resource && resource !== `arn:aws:iam::${accountId}:root` ? ` (${resource})` : '';
  return `${ROOT_TASKS[task].label} on account ${formatAccountId(accountId)}${what}: ended by you; nothing more was written.`;
}

async function claimBusy(
  registry: RootSessionRegistry,
  resource: string,
  taskId: string,
  record: (input: AuditInput) => Promise<void>,
): Promise<void> {
  if (registry.claim(resource, taskId)) return;
  const message = `Another root task is already working on ${resource}; wait for it to finish.`;
  await record({ kind: 'guardrail.refused', resource, outcome: 'denied', error: message, detail: { rule: 'resourceBusy' } });
  throw new UserError(message);
}

function activeTask<S extends EndableSession>(
  env: RunnerEnv<S>,
  req: RootTaskRequest,
  base: { taskId: string; task: RootTaskName; accountId: string },
  session: S,
  registered: RegisteredSession,
  record: (input: AuditInput) => Promise<void>,
  now: () => Date,
  origins: WeakMap<object, { operation: string; resource: string }>,
  binding: WriteBinding,
  orgCheck: (resourceArn: string) => Promise<TaskGuard | undefined>,
): ActiveRootTask<S> & { settle(): Promise<void> } {
  const assertWritable = () => {
    const check = checkWritable(session, now(), env.session.minRemainingSeconds);
    if (!check.ok) throw new UserError(check.message);
  };
  const gate = createGate({
    record,
    limiter: env.limiter,
    // A root session's calls count against the member account's quotas, not the management account's.
    limitKey: (operation) => limitKey(serviceOf(operation), base.accountId, operation),
    live: () => {
      if (registered.signal.aborted) throw new Cancelled(`root session ${registered.signal.reason as string}`);
      if (req.signal?.aborted) throw new Cancelled();
    },
    writable: assertWritable,
    describe: (err, operation, resource) => explainFailure(err, { ...base, operation, resource }),
    onFailure: (err, operation, resource) => {
      if (err && typeof err === 'object') origins.set(err, { operation, resource });
    },
    pipelineReads: req.pipelineReads,
  });
  return {
    session,
    taskId: base.taskId,
    signal: registered.signal,
    assertWritable,
    async claim(resourceArn) {
      const verdict = checkResource(env.guardrails, resourceArn);
      if (!verdict.ok) {
        await record({ kind: 'guardrail.refused', resource: resourceArn, outcome: 'denied', error: verdict.message, detail: { rule: verdict.rule } });
        throw new UserError(verdict.message);
      }
      // The resource is known only now (picked from the session's listing): its RCPs are judged before any call on it.
      const org = await orgCheck(resourceArn);
      if (org?.verdict === 'blocked') {
        const refusal = orgRefusal(org, base.accountId, base.task);
        await record({ kind: 'guardrail.refused', resource: resourceArn, outcome: 'denied', error: refusal.message, detail: { rule: refusal.rule, ...orgDetail(org) } });
        throw new UserError(refusal.message);
      }
      await claimBusy(env.registry, resourceArn, base.taskId, record);
    },
    read: gate.read,
    // An approved session writes only the approved change; a preparing session writes nothing.
    write: async (operation, resource, call, extra) => {
      await checkWrite(binding, resource, extra, record);
      return gate.write(operation, resource, call, extra);
    },
    settle: () => gate.settle(),
    record,
  };
}

/** The organization's policies for this request; a failure to judge them never blocks (AWS still enforces them). */
async function judgeOrgPolicies<S extends EndableSession>(
  env: RunnerEnv<S>, req: { accountId: string; task: RootTaskName; resourceArn?: string }, index: OrgIndex,
): Promise<TaskGuard | undefined> {
  if (!env.orgGuard) return undefined;
  try {
    return await env.orgGuard(req, index);
  } catch (err) {
    env.warn?.(`organization policies could not be judged for ${formatAccountId(req.accountId)}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function orgRefusal(guard: TaskGuard, accountId: string, task: RootTaskName): Extract<GuardrailResult, { ok: false }> {
  return { ok: false, rule: 'organizationPolicy', message: `${explainGuard(guard, accountId, ROOT_TASKS[task].label)} Nothing was done: no root credentials were taken.` };
}

function orgDetail(guard: TaskGuard): Record<string, string> {
  const certain = guard.findings.filter((f) => f.certain);
  return { policies: [...new Set(certain.map(policyLabel))].join(', ').slice(0, 500), attachedTo: [...new Set(certain.map((f) => f.attachedTo.id))].join(', ').slice(0, 500) };
}

/** An AccessDenied after AssumeRoot, explained by the policy most likely behind it. */
function deniedByOrgHint(guard: TaskGuard | undefined): string {
  const cause = likelyCause(guard);
  if (!cause) return '';
  return ` The organization's policies ${cause.certain ? 'deny' : 'may deny'} this to root sessions: ${cause.why} Fix: ${cause.fix}`;
}
