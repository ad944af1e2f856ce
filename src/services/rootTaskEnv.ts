import { randomUUID } from 'crypto';
import type { RootSession } from '../aws/rootSession';
import type { AuditTrail } from '../core/audit';
import type { FindingsStore } from '../core/findings';
import type { OrgIndex } from '../core/orgIndex';
import type { RootSessionRegistry } from '../core/sessionRegistry';
import type { RunnerEnv } from '../core/sessionRunner';
import type { ManagementEnv, RootFlowEnv, RootRunner } from '../flows/ports';
import type { AwsAccess } from './awsAccess';
import type { FlowsModule } from './lazyBundles';
import type { Log } from './log';
import { readGuardrailSettings, readSessionSettings } from './rootTaskSettings';

/** The services every flow is built from (one instance each, made in extension.ts). */
export interface RootTaskServices {
  aws: AwsAccess;
  /** The audit trail: flows record through it; the runner uses record and the recordIntent gate. */
  audit: AuditTrail;
  log: Log;
  findings: FindingsStore;
  getIndex: () => Promise<OrgIndex>;
  sessions: RootSessionRegistry;
  flows: () => FlowsModule;
}

/**
 * The session runner's environment: the one place AssumeRoot is called from. Settings are read at
 * the start of each task, so a change applies to the next task.
 */
export function runnerEnv(services: RootTaskServices): RunnerEnv<RootSession> {
  const { aws, log } = services;
  return {
    audit: services.audit,
    registry: services.sessions,
    guardrails: readGuardrailSettings(),
    session: readSessionSettings(),
    getIndex: services.getIndex,
    limiter: aws.context().limiter,
    assume: async (r) => {
      log.info('root', `AssumeRoot ${r.task} on ${r.accountId} for ${r.durationSeconds} s`);
      return aws.ops().assumeRoot(r);
    },
    newTaskId: randomUUID,
    warn: (m) => log.warn('root', m),
  };
}

/** What flows that may take root credentials get: the runner bound to a fresh environment per task. */
export function rootFlowEnv(services: RootTaskServices): RootFlowEnv {
  const run: RootRunner = (req, work) => services.flows().runRootTask(runnerEnv(services), req, work);
  return { run, getIndex: services.getIndex, findings: services.findings, log: services.log, guardrails: readGuardrailSettings };
}

/** What flows that use the management credentials get. */
export function managementEnv(services: Pick<RootTaskServices, 'aws' | 'audit' | 'log'>): ManagementEnv {
  return { ops: services.aws.ops(), audit: services.audit, limiter: services.aws.context().limiter, log: services.log };
}
