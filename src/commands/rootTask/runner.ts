import { randomUUID } from 'crypto';
import type { RootSession } from '../../aws/rootSession';
import type { AuditTrail } from '../../core/audit';
import type { FindingsStore } from '../../core/findings';
import type { OrgIndex } from '../../core/orgIndex';
import type { RootSessionRegistry } from '../../core/sessionRegistry';
import { runRootTask, type ActiveRootTask as CoreActiveRootTask, type RootTaskRequest } from '../../core/sessionRunner';
import type { AwsAccess } from '../../views/awsAccess';
import type { Log } from '../../views/log';
import { readGuardrailSettings, readSessionSettings } from './settings';

export type { RootTaskRequest, AuditRecorder } from '../../core/sessionRunner';
export { askJustification, pickAccount } from './prompts';

/** What every root task flow is given by the composition root. */
export interface RootTaskDeps {
  aws: AwsAccess;
  /** The audit trail: flows record through it; the runner uses record and the recordIntent gate. */
  audit: AuditTrail;
  log: Log;
  findings: FindingsStore;
  getIndex: () => Promise<OrgIndex>;
  sessions: RootSessionRegistry;
  clock?: () => Date;
}

export type ActiveRootTask = CoreActiveRootTask<RootSession>;

/**
 * Runs `work` inside a fresh root session for exactly one task on one account:
 * guardrails → one-task-per-resource claim → audit intent (fail-closed gate) → AssumeRoot →
 * 'assumeRoot.granted' → work → session ended and its credentials dropped ('session.ended', or
 * 'session.expired' when it ran out), on success, cancel and failure alike.
 * Settings are read at the start of each task, so a change applies to the next task.
 */
export function withRootSession<T>(deps: RootTaskDeps, req: RootTaskRequest, work: (task: ActiveRootTask) => Promise<T>): Promise<T> {
  const now = deps.clock ?? (() => new Date());
  return runRootTask<RootSession, T>(
    {
      audit: deps.audit,
      registry: deps.sessions,
      guardrails: readGuardrailSettings(),
      session: readSessionSettings(),
      getIndex: deps.getIndex,
      assume: async (r) => {
        deps.log.info('root', `AssumeRoot ${r.task} on ${r.accountId} for ${r.durationSeconds} s`);
        return deps.aws.module().assumeRoot(deps.aws.context(), r);
      },
      newTaskId: randomUUID,
      now,
      warn: (m) => deps.log.warn('root', m),
    },
    req,
    work,
  );
}
