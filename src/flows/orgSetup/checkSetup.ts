import { errorName } from '../../aws/errors';
import { describeError } from '../../core/errors';
import { evaluateSetup, type CheckItem, type Fact, type SetupFacts } from '../../core/setupCheck';
import { managementGate } from '../managementGate';
import type { ManagementEnv } from '../ports';

/**
 * Gathers every prerequisite of centralized root access with the management credentials
 * (identity, organization, IAM features, trusted access), plus the audit sink's state, and judges
 * each. Read-only; the reads are audited best-effort, so a broken audit log does not hide the
 * rest of the diagnosis.
 */
export async function gatherSetup(env: ManagementEnv, taskId: string, auditSink: SetupFacts['auditSink']): Promise<CheckItem[]> {
  const gate = managementGate(env, { taskId }, (err) => env.log.warn('setup', `audit: ${describeError(err)}`));
  const fact = async <T>(read: () => Promise<T>): Promise<Fact<T>> => {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      return { ok: false, code: errorName(err), error: describeError(err) };
    }
  };
  const facts: SetupFacts = {
    region: env.ops.region,
    endpoint: env.ops.endpoint,
    caller: await fact(() => env.ops.callerIdentity()),
    auditSink,
  };
  if (facts.caller.ok) {
    [facts.organization, facts.features, facts.trustedAccess] = await Promise.all([
      fact(() => env.ops.describeOrganizationFacts(gate)),
      fact(async () => {
        const f = await env.ops.listOrganizationFeatures(gate);
        return { rootCredentialsManagement: f.enabled.RootCredentialsManagement, rootSessions: f.enabled.RootSessions };
      }),
      fact(() => env.ops.readTrustedAccess(gate)),
    ]);
  }
  return evaluateSetup(facts);
}
