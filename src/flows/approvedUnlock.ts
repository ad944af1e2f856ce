import type { SignatureFile } from '../core/approval/check';
import type { ParsedRequest } from '../core/approval/request';
import { sha256Hex } from '../core/audit/hash';
import { UserError } from '../core/errors';
import { analyzePolicy } from '../core/policy';
import { verifyWrite } from '../core/sessionChecks';
import { formatAccountId } from '../core/tasks';
import { BUCKET_POLICY, QUEUE_POLICY, type PolicyKind, type PolicyTarget } from './policyKinds';
import type { ActiveRootTask, Person, RootFlowEnv } from './ports';

export interface ApprovedRunResult {
  outcome: 'applied' | 'deleted';
  accountId: string;
  resource: string;
  identical?: boolean;
}

/**
 * Runs an approved unlock request: the runner checks the approvals before AssumeRoot and holds
 * the write to the approved hashes; this flow finds the resource, reads the live policy (it must
 * still hash to the approved "before"), writes the approved document and verifies it. No review:
 * the approvers reviewed it.
 */
export async function runApprovedUnlock(env: RootFlowEnv, person: Person, parsed: ParsedRequest, signatures: SignatureFile[]): Promise<ApprovedRunResult> {
  const r = parsed.request;
  const kind = kindOf(r.task);
  if (!r.policy) throw new UserError('The request names no policy change.');
  const policy = r.policy;
  const request = {
    task: kind.task, accountId: r.accountId, resourceArn: r.resourceArn, justification: r.justification, ticket: r.ticket,
    approval: { kind: 'request' as const, parsed, signatures },
  };
  return env.run(request, async (t) => {
    const target = await findTarget(t, kind, r.accountId, r.resourceArn);
    const where = `${kind.noun} ${target.name} (account ${formatAccountId(r.accountId)})`;
    const read = () => t.read(kind.operations.read, target.arn, () => kind.read(t, target));
    const live = (await read()).text ?? '';
    const beforeSha256 = sha256Hex(live);
    const deleting = policy.document === '';
    const afterSha256 = deleting ? undefined : policy.afterSha256;
    // The runner's write check refuses (and records the voiding) when the live policy moved on.
    const audited = { beforeSha256, afterSha256, before: live.replace(/\r/g, '') };
    await t.record({ kind: 'decision', resource: target.arn, decision: deleting ? 'delete' : 'apply', outcome: 'ok', requestSha256: parsed.sha256, ...audited });
    if (deleting) await t.write(kind.operations.remove, target.arn, () => kind.remove(t, target), audited);
    else await t.write(kind.operations.write, target.arn, () => kind.put(t, target, policy.document), audited);

    const after = await read();
    const index = await env.getIndex();
    const resource = { kind: kind.kind, arn: target.arn, accountId: target.accountId, organizationId: index.organization.id };
    const verified = verifyWrite(deleting ? { kind: 'delete' } : { kind: 'put', text: policy.document }, after.text,
      () => after.text !== undefined && analyzePolicy(after.text, resource).verdict === 'locked', target.arn);
    await t.record({ kind: 'verify', resource: target.arn, outcome: verified.ok ? 'ok' : 'error', error: verified.ok ? undefined : verified.message, afterSha256: after.text === undefined ? undefined : sha256Hex(after.text) });
    if (!verified.ok) throw new UserError(`The ${where} was written but verification failed: ${verified.message}`);
    person.tell(`Ran the approved request on the ${where}: ${deleting ? 'policy deleted' : 'policy replaced'} and verified.`);
    return { outcome: deleting ? 'deleted' : 'applied', accountId: r.accountId, resource: target.arn, identical: verified.identical };
  });
}

function kindOf(task: string): PolicyKind {
  if (task === BUCKET_POLICY.task) return BUCKET_POLICY;
  if (task === QUEUE_POLICY.task) return QUEUE_POLICY;
  throw new UserError(`Running approved ${task} requests is not supported; only S3 and SQS policy unlocks are.`);
}

/** The request names the resource by ARN; its region and (for a queue) URL come from the session's listing. */
async function findTarget(t: ActiveRootTask, kind: PolicyKind, accountId: string, arn: string): Promise<PolicyTarget> {
  const region = kind.kind === 'sqs' ? arn.split(':')[3] ?? '' : '';
  const found = (await kind.list(t, accountId, region)).find((x) => x.arn === arn);
  if (!found) throw new UserError(`The ${kind.noun} ${arn} was not found in account ${formatAccountId(accountId)}.`);
  return found;
}
