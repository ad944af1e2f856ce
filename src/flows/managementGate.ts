import type { AuditInput } from '../core/audit/types';
import { createGate, type CallGate } from '../core/gate';
import { MANAGEMENT, limitKey, serviceOf } from '../core/awsQuotas';
import type { ManagementEnv } from './ports';

/**
 * The audited gate for calls made with the management credentials (organization features, setup
 * checks, the scan's AssumeRole): paced by the shared limiter, each call an aws.read / aws.write
 * event carrying `base` (task id, operation). `bestEffort` (read-only diagnostics) reports a read
 * record that cannot be written instead of failing the call; writes always fail without theirs.
 */
export function managementGate(env: Pick<ManagementEnv, 'audit' | 'limiter'>, base: Partial<AuditInput>, bestEffort?: (err: unknown) => void): CallGate {
  return createGate({
    record: (input) => env.audit.record({ ...base, ...input }),
    limiter: env.limiter,
    limitKey: (operation) => limitKey(serviceOf(operation), MANAGEMENT, operation),
    bestEffortReads: bestEffort,
  });
}
