import type { CallGate } from '../aws/iamRoot';
import type { AuditInput } from '../core/audit/types';
import { describeError } from '../core/errors';
import type { Limiter } from '../core/rateLimit';
import { requestIdOf, type AuditRecorder } from '../core/sessionRunner';

/**
 * The gate for calls made with the management credentials (organization features, setup checks):
 * each call is rate-limited and becomes an aws.read / aws.write audit event with its outcome and
 * request id. `bestEffort` (read-only diagnostics) reports a failed audit write instead of failing
 * the call; changes always fail when their audit event cannot be written.
 */
export function auditedGate(
  audit: AuditRecorder,
  limiter: Limiter,
  base: Partial<AuditInput>,
  bestEffort?: (err: unknown) => void,
): CallGate {
  const record = async (input: AuditInput) => {
    try {
      await audit.record({ ...base, ...input });
    } catch (err) {
      if (!bestEffort) throw err;
      bestEffort(err);
    }
  };
  const call = async <T>(kind: 'aws.read' | 'aws.write', operation: string, resource: string, fn: () => Promise<T>): Promise<T> => {
    let result: T;
    try {
      result = await limiter.run(fn);
    } catch (err) {
      await record({ kind, operation, resource, outcome: 'error', error: describeError(err), requestId: requestIdOf(err) });
      throw err;
    }
    await record({ kind, operation, resource, outcome: 'ok', requestId: requestIdOf(result) });
    return result;
  };
  return {
    read: (operation, resource, fn) => call('aws.read', operation, resource, fn),
    write: (operation, resource, fn) => call('aws.write', operation, resource, fn),
  };
}
