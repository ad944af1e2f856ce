import { randomUUID } from 'crypto';
import type { ManagementOps } from '../aws/managementOps';
import type { RootSession } from '../aws/rootSession';
import type { ApprovalEnv } from '../core/approvalGate';
import { correlateRootSession, type CorrelationDeps } from '../core/cloudTrailCorrelation';
import type { FindingsStore } from '../core/findings';
import type { GuardrailSettings } from '../core/guardrails';
import type { OrgIndex } from '../core/orgIndex';
import { OrgGuard, lineageOf, type OrgPolicySnapshot } from '../core/orgPolicies';
import type { Limiter } from '../core/rateLimit';
import type { RootSessionRegistry } from '../core/sessionRegistry';
import type { SessionSettings } from '../core/sessionPolicy';
import { runRootTask, type AuditRecorder, type RunnerEnv } from '../core/sessionRunner';
import type { OrgGuardCheck } from './ports';
import type { FlowLog, ManagementEnv, RootFlowEnv, RootRunner } from './ports';
import type { ScanEnv } from './scan';

/**
 * What every flow environment is built from. The extension supplies these from VS Code
 * (src/services/rootTaskEnv.ts); unit tests and the benchmark supply them from plain values, so
 * both drive the same runner and the same flows.
 */
export interface FlowDeps {
  /** The management credentials' operations, bound to the current context. */
  ops: ManagementOps;
  /** The shared limiter every AWS call is paced by. */
  limiter: Pick<Limiter, 'run'>;
  audit: AuditRecorder;
  sessions: RootSessionRegistry;
  /** Read at the start of each task, so a settings change applies to the next task. */
  guardrails(): GuardrailSettings;
  session(): SessionSettings;
  getIndex(): Promise<OrgIndex>;
  /** The index a walk is still filling (src/core/sessionRunner.ts: placed accounts are judged against it). */
  partialIndex?(): OrgIndex | undefined;
  /**
   * The organization's SCPs and RCPs, read once and cached beside the index (undefined: not read,
   * e.g. the caller may not list policies). The runner refuses a task they certainly block.
   */
  orgPolicies?(): Promise<OrgPolicySnapshot | undefined>;
  findings: FindingsStore;
  log: FlowLog;
  newTaskId?: () => string;
  /** Two people for root (rootTasks.approvals.*): read at the start of each task; none = off. */
  approvals?: () => ApprovalEnv | undefined;
  /**
   * CloudTrail correlation after each root session (rootTasks.audit.cloudTrailCorrelation): read
   * when the session ends; undefined = off. `track` is given each correlation's promise (the
   * extension lets deactivation stop them through `signal`; tests await them).
   */
  correlation?: () => CorrelationSettings | undefined;
}

export interface CorrelationSettings {
  sleep: CorrelationDeps['sleep'];
  delaysMs?: readonly number[];
  signal?: AbortSignal;
  track?: (done: Promise<unknown>) => void;
}

/**
 * The runner's environment for one task: the only place in the product that calls AssumeRoot
 * (test/unit/flows/oneRootPath.test.ts and the lint rule keep it so). Everything that wants root
 * credentials gets them from runRootTask with this environment: guardrails, the intent gate, the
 * registry, a task id on every event, awaited session-end records.
 */
function runnerEnv(deps: FlowDeps): RunnerEnv<RootSession> {
  const { log } = deps;
  return {
    audit: deps.audit,
    registry: deps.sessions,
    guardrails: deps.guardrails(),
    session: deps.session(),
    getIndex: deps.getIndex,
    partialIndex: deps.partialIndex,
    limiter: deps.limiter,
    assume: async (r) => {
      log.info('root', `AssumeRoot ${r.task} on ${r.accountId} for ${r.durationSeconds} s`);
      return deps.ops.assumeRoot(r);
    },
    newTaskId: deps.newTaskId ?? randomUUID,
    warn: (m) => log.warn('root', m),
    orgGuard: orgGuardOf(deps),
    approvals: deps.approvals?.(),
    afterSession: (session, record) => {
      const settings = deps.correlation?.();
      if (!settings) return;
      const done = correlateRootSession({
        lookup: (accessKeyId, since) => deps.ops.findAssumeRootEvent(accessKeyId, since),
        record, sleep: settings.sleep, delaysMs: settings.delaysMs, signal: settings.signal,
        log: (m) => log.info('root', m),
      }, { accountId: session.accountId, accessKeyId: session.accessKeyId, issuedAt: session.issuedAt })
        .catch((err) => log.warn('root', `audit: could not record the CloudTrail correlation of root session key ${session.accessKeyId}: ${err instanceof Error ? err.message : String(err)}`));
      settings.track?.(done);
    },
  };
}

/** The organization's SCPs/RCPs judged for one request, when the dependencies can read them. */
function orgGuardOf(deps: FlowDeps): OrgGuardCheck | undefined {
  if (!deps.orgPolicies) return undefined;
  return async (req, index) => {
    const snapshot = await deps.orgPolicies!();
    const lineage = lineageOf(index, req.accountId);
    if (!snapshot || !lineage || snapshot.organizationId !== index.organization.id) return undefined;
    // No region: a bucket or queue may live in another region than STS's; region conditions stay "may be blocked".
    return guardOf(snapshot).evaluate(req, lineage, index.organization.managementAccountId);
  };
}

/** One evaluator per snapshot: its target index is built once for all accounts and tasks. */
const guards = new WeakMap<OrgPolicySnapshot, OrgGuard>();
function guardOf(snapshot: OrgPolicySnapshot): OrgGuard {
  let guard = guards.get(snapshot);
  if (!guard) guards.set(snapshot, (guard = new OrgGuard(snapshot)));
  return guard;
}

export function rootRunner(deps: FlowDeps): RootRunner {
  return (req, work) => runRootTask(runnerEnv(deps), req, work);
}

/** What flows that may take root credentials get. */
export function createRootFlowEnv(deps: FlowDeps): RootFlowEnv {
  return {
    run: rootRunner(deps), getIndex: deps.getIndex, findings: deps.findings, log: deps.log, guardrails: deps.guardrails,
    orgGuard: orgGuardOf(deps), approvals: deps.approvals,
  };
}

/** What flows that use the management credentials get. */
export function createManagementEnv(deps: Pick<FlowDeps, 'ops' | 'audit' | 'limiter' | 'log'>): ManagementEnv {
  return { ops: deps.ops, audit: deps.audit, limiter: deps.limiter, log: deps.log };
}

/** The scan's environment: both of the above, the registry's groups and the scan's own task id. */
export function createScanEnv(deps: FlowDeps): ScanEnv {
  return { ...createRootFlowEnv(deps), management: createManagementEnv(deps), sessions: deps.sessions, newTaskId: deps.newTaskId ?? randomUUID };
}
