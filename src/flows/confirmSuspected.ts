import type { ResourceFinding } from '../core/findings';
import { analyzePolicy, type PolicyResource } from '../core/policy';
import { formatAccountId } from '../core/tasks';
import type { PolicyKind, PolicyTarget } from './policyKinds';
import type { Person, RootFlowEnv } from './ports';

export interface ConfirmResult {
  accountId: string;
  resource: string;
  /** What the root read showed: 'fine' also when the resource has no policy. */
  verdict: ResourceFinding['verdict'];
  noPolicy: boolean;
}

/**
 * Confirm a suspected resource: its policy read in a root session (the resource's own policy
 * cannot deny the root user, unlike the scan role that was denied) and judged by the analyzer,
 * so "suspected" becomes locked or fine. Read-only: the unlock task's session, one read, no write.
 * Through env.run like every root path (guardrails, intent, registry, audited gate).
 */
export async function confirmSuspected(env: RootFlowEnv, person: Person, kind: PolicyKind, target: PolicyTarget): Promise<ConfirmResult> {
  const where = `${kind.noun} ${target.name} (account ${formatAccountId(target.accountId)})`;
  const why = await person.justify(`read-only root read of the ${where}`);
  const read = await env.run({ task: kind.task, accountId: target.accountId, ...why }, (t) =>
    t.read(kind.operations.read, target.arn, () => kind.read(t, target)));
  const index = await env.getIndex();
  const resource: PolicyResource = { kind: kind.kind, arn: target.arn, accountId: target.accountId, organizationId: index.organization.id };
  const analysis = read.text === undefined ? undefined : analyzePolicy(read.text, resource);
  const verdict = analysis?.verdict ?? 'fine';
  const checkedAt = new Date().toISOString();
  const reasons = !analysis ? ['Read in a root session: the resource has no policy.']
    : analysis.offending.length ? analysis.offending.map((o) => `${o.why}\n${JSON.stringify(o.statement, null, 2)}`)
      : verdict === 'fine' ? ['Read in a root session: the policy locks nobody out (the scan role was denied only its own read).']
        : analysis.problems;
  env.findings.setResource({
    kind: kind.kind, accountId: target.accountId, name: target.name, arn: target.arn, region: target.region, url: target.url, verdict, reasons, checkedAt,
  });
  const said = verdict === 'locked' ? 'locked: unlock it from the tree'
    : verdict === 'fine' ? (analysis ? 'fine: its policy locks nobody out' : 'fine: it has no policy')
      : verdict === 'suspected' ? 'still suspected: a statement locks everyone out under conditions that cannot be judged here (see its tooltip)'
        : 'not analyzable: its policy could not be parsed (see its tooltip)';
  person.tell(`Read with a root session: the ${where} is ${said}.`);
  return { accountId: target.accountId, resource: target.arn, verdict, noPolicy: !analysis };
}
