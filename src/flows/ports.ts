import type { RootSession } from '../aws/rootSession';
import type { ManagementOps } from '../aws/managementOps';
import type { ApprovalEnv } from '../core/approvalGate';
import type { FindingsStore } from '../core/findings';
import type { GuardrailSettings } from '../core/guardrails';
import type { OrgIndex } from '../core/orgIndex';
import type { TaskGuard } from '../core/orgPolicies/types';
import type { RootTaskName } from '../core/tasks';
import type { Limiter } from '../core/rateLimit';
import type { ActiveRootTask as CoreActiveRootTask, AuditRecorder, RootTaskRequest } from '../core/sessionRunner';

/**
 * What flows are given. Flows are editor-free: the person is reached through `Person` ports and
 * AWS through operations already bound to their context (ManagementOps) or session (SessionOps).
 * The command files build these from VS Code; the unit tests and the benchmark build them from
 * plain functions.
 */
export type ActiveRootTask = CoreActiveRootTask<RootSession>;

/** The one path to root credentials: src/core/sessionRunner.ts bound to its environment. */
export type RootRunner = <T>(req: RootTaskRequest, work: (task: ActiveRootTask) => Promise<T>) => Promise<T>;

export interface Justification {
  justification: string;
  ticket: string;
}

/** How a flow reaches the person: questions and short messages. Long results go to the log. */
export interface Person {
  /**
   * Justification and ticket for the task (asked once per task: a scan asks once for all its
   * sessions). `about` names the task, account and resource, so the question says what it is for.
   */
  justify(about?: string): Promise<Justification>;
  tell(message: string): void;
  warn(message: string): void;
}

/** Progress of a bulk flow: what to show, and the person's cancel. */
export interface Progress {
  report(done: number, total: number, message: string): void;
  readonly signal: AbortSignal;
}

export interface FlowLog {
  info(area: string, message: string): void;
  warn(area: string, message: string): void;
}

/** What every flow that may take root credentials gets. */
export interface RootFlowEnv {
  run: RootRunner;
  getIndex(): Promise<OrgIndex>;
  findings: FindingsStore;
  log: FlowLog;
  /** Reads the guardrail settings now (a scan pre-checks accounts with them). */
  guardrails(): GuardrailSettings;
  /** The organization's SCPs/RCPs for a task (undefined: not known); the runner refuses what they certainly block. */
  orgGuard?: OrgGuardCheck;
  /** Two people for root, when set up (rootTasks.approvals.*): read at the start of each task. */
  approvals?: () => ApprovalEnv | undefined;
}

export type OrgGuardCheck = (req: { accountId: string; task: RootTaskName; resourceArn?: string }, index: OrgIndex) => Promise<TaskGuard | undefined>;

/** What flows that use the management credentials get. */
export interface ManagementEnv {
  ops: ManagementOps;
  audit: AuditRecorder;
  /** The shared limiter every AWS call is paced by. */
  limiter: Pick<Limiter, 'run'>;
  log: FlowLog;
}

