import type { AuditTrail } from '../core/audit';
import type { FindingsStore } from '../core/findings';
import type { AccountListing } from '../core/accountListing';
import type { OrgIndex } from '../core/orgIndex';
import type { OrgPolicySnapshot } from '../core/orgPolicies/types';
import type { RootSessionRegistry } from '../core/sessionRegistry';
import type { FlowDeps } from '../flows/env';
import type { ManagementEnv, RootFlowEnv } from '../flows/ports';
import type { ScanEnv } from '../flows/scan';
import { approvalEnv } from './approvals';
import { progressStore } from './bulkProgress';
import type { AwsAccess } from './awsAccess';
import type { FlowsModule } from './lazyBundles';
import type { Log } from './log';
import { readCorrelationSettings, readGuardrailSettings, readSessionSettings } from './rootTaskSettings';

/** The services every flow is built from (one instance each, made in extension.ts). */
export interface RootTaskServices {
  aws: AwsAccess;
  /** The audit trail: flows record through it; the runner uses record and the recordIntent gate. */
  audit: AuditTrail;
  log: Log;
  findings: FindingsStore;
  getIndex: () => Promise<OrgIndex>;
  /** While the index is incomplete: its accounts as the walk places them (OrgService.listing). */
  orgListing?: () => Promise<AccountListing | undefined>;
  /** The index as listed so far (a placed account is judged against it without waiting for the walk). */
  partialIndex?: () => OrgIndex | undefined;
  /** The organization's SCPs/RCPs, cached beside the index (OrgService). */
  orgPolicies?: () => Promise<OrgPolicySnapshot | undefined>;
  sessions: RootSessionRegistry;
  flows: () => FlowsModule;
  /** The extension's global storage folder (used approval requests are remembered there). */
  storageDir: string;
  /** Aborted on deactivation: stops CloudTrail lookups still waiting for an AssumeRoot event. */
  stopping?: AbortSignal;
  /** Each CloudTrail correlation in progress (the host tests await them). */
  correlations?: Set<Promise<unknown>>;
}

/**
 * The flows' dependencies from VS Code: settings read from the configuration at the start of each
 * task, the AWS context of the current settings. The runner environment itself (the one AssumeRoot
 * caller) is built in the flows bundle (src/flows/env.ts), the same code tests and benches drive.
 */
function flowDeps(services: RootTaskServices): FlowDeps {
  return {
    ops: services.aws.ops(),
    limiter: services.aws.context().limiter,
    audit: services.audit,
    sessions: services.sessions,
    guardrails: readGuardrailSettings,
    session: readSessionSettings,
    getIndex: services.getIndex,
    partialIndex: services.partialIndex,
    orgPolicies: services.orgPolicies,
    findings: services.findings,
    log: services.log,
    approvals: () => approvalEnv(services.aws, services.storageDir),
    correlation: () => {
      const read = readCorrelationSettings();
      if (!read.enabled) return undefined;
      return {
        sleep: (ms, signal) => abortableWait(ms, signal),
        delaysMs: Array.from({ length: read.attempts - 1 }, () => read.intervalSeconds * 1000),
        signal: services.stopping,
        track: (done) => {
          services.correlations?.add(done);
          void done.finally(() => services.correlations?.delete(done));
        },
      };
    },
  };
}

export const rootFlowEnv = (services: RootTaskServices): RootFlowEnv => services.flows().createRootFlowEnv(flowDeps(services));
export const scanEnv = (services: RootTaskServices): ScanEnv => ({ ...services.flows().createScanEnv(flowDeps(services)), progressStore: progressStore(services.storageDir) });
export const managementEnv = (services: RootTaskServices): ManagementEnv => services.flows().createManagementEnv(flowDeps(services));

function abortableWait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
