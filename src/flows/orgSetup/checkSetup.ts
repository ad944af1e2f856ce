import { errorName } from '../../aws/errors';
import { describeError } from '../../core/errors';
import type { OrgIndex } from '../../core/orgIndex';
import { describeSummary, OrgGuard, POLICY_TYPE_LABEL, summarizeGuards, type OrgPolicySnapshot, type OrgPolicyType } from '../../core/orgPolicies';
import { evaluateSetup, type CheckItem, type Fact, type OrgGuardrailFacts, type SetupFacts } from '../../core/setupCheck';
import { managementGate } from '../managementGate';
import type { ManagementEnv } from '../ports';

/**
 * Gathers every prerequisite of centralized root access with the management credentials
 * (identity, organization, IAM features, trusted access), plus the audit sink's state, and judges
 * each. Read-only; the reads are audited best-effort, so a broken audit log does not hide the
 * rest of the diagnosis.
 */
export async function gatherSetup(
  env: ManagementEnv, taskId: string, auditSink: SetupFacts['auditSink'],
  orgPolicies?: () => Promise<{ snapshot: OrgPolicySnapshot; index: OrgIndex }>,
): Promise<CheckItem[]> {
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
    if (orgPolicies) facts.orgGuardrails = await fact(async () => guardrailFacts(await orgPolicies()));
  }
  return evaluateSetup(facts);
}

/** Every member account × task against the snapshot: the counts and lines Check Setup shows. */
export function guardrailFacts({ snapshot, index }: { snapshot: OrgPolicySnapshot; index: OrgIndex }): OrgGuardrailFacts {
  const summary = summarizeGuards(new OrgGuard(snapshot), index);
  return {
    enabled: (Object.keys(snapshot.enabled) as OrgPolicyType[]).filter((t) => snapshot.enabled[t]).map((t) => POLICY_TYPE_LABEL[t]),
    accounts: summary.accounts,
    blocked: summary.tasks.reduce((n, t) => n + t.blocked, 0),
    mayBeBlocked: summary.tasks.reduce((n, t) => n + t.mayBeBlocked, 0),
    lines: describeSummary(summary),
  };
}
