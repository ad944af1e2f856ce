// The unlock of one bucket policy without the editor: the steps of unlockTarget in
// src/commands/rootTask/unlockFlow.ts (which needs vscode for the diff preview and the question),
// in the same order and with the same core functions, the person's answer being "Apply" to the
// analyzer's proposal. Runs inside runRootTask, so guardrails, the audit gate, AssumeRoot and the
// session's end are the product's own.
import type { RootSession } from '../../src/aws/rootSession';
import { getBucketPolicy, putBucketPolicy } from '../../src/aws/s3Policy';
import { sha256Hex } from '../../src/core/audit/hash';
import { analyzePolicy, formatPolicy, validateProposedPolicy, type PolicyResource } from '../../src/core/policy';
import { checkUnchanged, verifyWrite } from '../../src/core/sessionChecks';
import type { ActiveRootTask } from '../../src/core/sessionRunner';

export interface UnlockOutcome {
  outcome: 'applied';
  identical: boolean;
  /** The policy as written (the proposal: the locking statements removed). */
  written: string;
}

export async function unlockBucket(t: ActiveRootTask<RootSession>, bucket: string, resource: PolicyResource): Promise<UnlockOutcome> {
  const arn = resource.arn;
  const read = () => t.read('GetBucketPolicy', arn, () => getBucketPolicy(t.session.clients(), bucket));
  const current = await read();
  if (current.text === undefined) throw new Error(`${bucket} has no policy: nothing to unlock`);
  const analysis = analyzePolicy(current.text, resource);
  if (analysis.fix?.kind !== 'put') throw new Error(`${bucket}: expected a locked policy with statements to keep, got ${analysis.verdict}`);
  const before = current.text;
  const beforeSha256 = sha256Hex(before);
  // The flow formats the current policy for the preview's left side: part of its client-side cost.
  formatPolicy(JSON.parse(before));
  const proposal = analysis.fix.text;
  await t.record({ kind: 'preview.shown', resource: arn, outcome: 'ok', beforeSha256, detail: { verdict: analysis.verdict, offending: analysis.offending.length } });

  const valid = validateProposedPolicy(proposal, resource);
  if (!valid.ok) throw new Error(`the proposal was refused: ${valid.message}`);
  const afterSha256 = sha256Hex(proposal);
  const audited = { beforeSha256, afterSha256, before: before.replace(/\r/g, '') };
  await t.record({ kind: 'decision', resource: arn, decision: 'apply', outcome: 'ok', ...audited });

  const again = await read();
  const unchanged = checkUnchanged(before, again.text, arn);
  if (!unchanged.ok) throw new Error(unchanged.message);
  await t.write('PutBucketPolicy', arn, () => putBucketPolicy(t.session.clients(), bucket, proposal), audited);

  const after = await read();
  const afterAnalysis = after.text === undefined ? undefined : analyzePolicy(after.text, resource);
  const verified = verifyWrite({ kind: 'put', text: proposal }, after.text, () => afterAnalysis?.verdict === 'locked', arn);
  await t.record({
    kind: 'verify', resource: arn, outcome: verified.ok ? 'ok' : 'error',
    error: verified.ok ? undefined : verified.message,
    afterSha256: after.text === undefined ? undefined : sha256Hex(after.text),
    detail: verified.ok ? { identical: verified.identical } : undefined,
  });
  if (!verified.ok) throw new Error(verified.message);
  return { outcome: 'applied', identical: verified.identical, written: proposal };
}
