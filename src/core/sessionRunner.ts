import { Cancelled, EndedByUser, UserError, isCancellation } from './errors';
import { createGate, requestIdOf, type CallGate } from './gate';
import { checkGuardrails, checkResource, type GuardrailResult, type GuardrailSettings } from './guardrails';
import type { AuditInput } from './audit/types';
import type { OrgIndex } from './orgIndex';
import { explainFailure, failureAsUserError } from './sessionErrors';
import { checkWritable, sessionDuration, type SessionSettings } from './sessionPolicy';
import type { Limiter } from './rateLimit';
import type { EndableSession, RegisteredSession, RootSessionRegistry, SessionEndReason, SessionGroup } from './sessionRegistry';
import { ROOT_TASKS, formatAccountId, isAccountId, type RootTaskName } from './tasks';

/**
 * The one path to root credentials (pure; the editor side supplies settings and AssumeRoot):
 * guardrails → resource claim → audit intent (the fail-closed gate) → AssumeRoot → granted →
 * work → session ended (always: finished, cancelled, failed, expired).
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
}

export interface RunnerEnv<S extends EndableSession> {
  audit: AuditRecorder;
  registry: RootSessionRegistry;
  guardrails: GuardrailSettings;
  session: SessionSettings;
  getIndex: () => Promise<OrgIndex>;
  /** Paces every AWS call of the session (the same limiter as every other AWS call). */
  limiter: Pick<Limiter, 'run'>;
  assume: (req: { accountId: string; task: RootTaskName; durationSeconds: number }) => Promise<S>;
  newTaskId: () => string;
  now?: () => Date;
  /** Where audit-trail failures that cannot change the outcome any more are reported. */
  warn?: (message: string) => void;
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
  const refuse = async (result: Extract<GuardrailResult, { ok: false }>, resource?: string): Promise<never> => {
    const requested: Record<string, string> = validId ? {} : { requestedAccountId: req.accountId.slice(0, 64) };
    // The refusal stands even if it cannot be recorded: refusing is already the closed side.
    await record({ kind: 'guardrail.refused', resource, outcome: 'denied', error: result.message, detail: { rule: result.rule, ...requested } })
      .catch((err) => env.warn?.(`audit: could not record a guardrail refusal: ${explainFailure(err, base)}`));
    throw new UserError(result.message);
  };

  let index: OrgIndex;
  try {
    index = await env.getIndex();
  } catch (err) {
    // Membership cannot be checked without the index: refuse rather than guess.
    const message = `The organization could not be listed, so account ${formatAccountId(req.accountId)} cannot be checked: ${explainFailure(err, { ...base, operation: 'ListAccounts' })}`;
    await record({ kind: 'error', resource: req.resourceArn, outcome: 'error', error: message });
    throw new UserError(message);
  }
  const verdict = checkGuardrails(env.guardrails, req, index);
  if (!verdict.ok) return refuse(verdict, req.resourceArn);

  const claimed = req.resourceArn ?? (req.task.startsWith('IAM') ? rootArn(req.accountId) : undefined);
  try {
    if (claimed) await claimBusy(env.registry, claimed, taskId, record);
    return await runClaimed();
  } finally {
    env.registry.release(taskId);
  }

  async function runClaimed(): Promise<T> {
    const durationSeconds = sessionDuration(env.session.durationSeconds);
    await env.audit.recordIntent({
      ...base,
      kind: 'intent',
      resource: req.resourceArn,
      justification: req.justification.trim(),
      ticket: req.ticket.trim(),
      detail: { durationSeconds },
    });

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
    const active = activeTask(env, req, base, session, registered, record, now, origins);
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
      const message = early ? endedEarlyMessage(early, req.accountId) : explainFailure(err, ctx);
      await record({ kind: 'error', outcome: 'error', resource: ctx.resource, operation: ctx.operation, error: message, requestId: requestIdOf(err) }).catch(() => undefined);
      if (early === 'endedByUser') throw new EndedByUser(endedByUserMessage(req.task, req.accountId, ctx.resource ?? req.resourceArn));
      throw early ? new UserError(message) : failureAsUserError(err, ctx);
    } finally {
      env.registry.end(taskId, reason);
      await ended;
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
): ActiveRootTask<S> & { settle(): Promise<void> } {
  const assertWritable = () => {
    const check = checkWritable(session, now(), env.session.minRemainingSeconds);
    if (!check.ok) throw new UserError(check.message);
  };
  const gate = createGate({
    record,
    limiter: env.limiter,
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
      await claimBusy(env.registry, resourceArn, base.taskId, record);
    },
    read: gate.read,
    write: gate.write,
    settle: () => gate.settle(),
    record,
  };
}
