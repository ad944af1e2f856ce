import * as vscode from 'vscode';
import type { PolicyRead, WriteResult } from '../../aws/s3Policy';
import { sha256Hex } from '../../core/audit/hash';
import { Cancelled, UserError } from '../../core/errors';
import type { PolicyAnalysis, PolicyResource } from '../../core/policy/types';
import { checkUnchanged, verifyWrite } from '../../core/sessionChecks';
import { formatAccountId, type RootTaskName } from '../../core/tasks';
import type { PolicyDocuments } from '../../views/policyDocuments';
import type { PolicyDecisions, UnlockDecision } from './decision';
import { askJustification, pickAccount } from './prompts';
import { withRootSession, type ActiveRootTask, type RootTaskDeps } from './runner';

/** A bucket or queue whose policy is being unlocked. */
export interface PolicyTarget {
  accountId: string;
  name: string;
  arn: string;
  region: string;
  /** SQS queue URL. */
  url?: string;
}

/** What differs between the S3 and SQS unlocks; everything else is this one flow. */
export interface PolicyKind {
  kind: 's3' | 'sqs';
  task: RootTaskName;
  noun: 'bucket' | 'queue';
  operations: { list: string; read: string; write: string; remove: string };
  /** The resource from a tree node or command arguments; undefined = list them with the session. */
  targetFrom(arg: unknown, accountId: string): Promise<PolicyTarget | undefined>;
  list(t: ActiveRootTask, accountId: string): Promise<PolicyTarget[]>;
  read(t: ActiveRootTask, target: PolicyTarget): Promise<PolicyRead>;
  put(t: ActiveRootTask, target: PolicyTarget, text: string): Promise<WriteResult>;
  remove(t: ActiveRootTask, target: PolicyTarget): Promise<WriteResult>;
}

/** Arguments for automation and tests; the interactive path asks for whatever is missing. */
export interface UnlockArgs {
  accountId?: string;
  justification?: string;
  ticket?: string;
  decision?: UnlockDecision;
  /** Replaces the analyzer's proposal (as if the user had edited it). */
  proposedText?: string;
}

export interface UnlockResult {
  outcome: 'applied' | 'deleted' | 'noPolicy' | 'notLocked';
  accountId: string;
  resource: string;
  /** The verification re-read stored exactly what was sent (as JSON). */
  identical?: boolean;
}

export interface UnlockDeps extends RootTaskDeps {
  documents: PolicyDocuments;
  decisions: PolicyDecisions;
}

/**
 * Unlock one resource policy: account → justification → root session → (list and pick) → read →
 * analyze → diff preview → decision → validate → re-read (must equal the preview) → write →
 * verify → findings + report. At most AssumeRoot + 4 calls when the resource is given.
 */
export async function runUnlock(deps: UnlockDeps, kind: PolicyKind, arg: unknown): Promise<UnlockResult> {
  const args: UnlockArgs = arg && typeof arg === 'object' ? (arg as UnlockArgs) : {};
  const [account] = await pickAccount(deps.getIndex, arg, { title: `Unlock ${kind.noun} policy: choose the member account` });
  const given = await kind.targetFrom(arg, account.id);
  const { justification, ticket } = await askJustification(args);
  const request = { task: kind.task, accountId: account.id, resourceArn: given?.arn, justification, ticket };
  return withRootSession(deps, request, async (t) => {
    const target = given ?? (await pickTarget(deps, kind, t, account.id));
    if (!given) await t.claim(target.arn);
    return unlockTarget(deps, kind, t, target, args);
  });
}

async function pickTarget(deps: UnlockDeps, kind: PolicyKind, t: ActiveRootTask, accountId: string): Promise<PolicyTarget> {
  const all = await kind.list(t, accountId);
  if (!all.length) throw new UserError(`Account ${formatAccountId(accountId)} has no ${kind.noun}s${kind.kind === 'sqs' ? ' in this region' : ''}.`);
  const known = new Map((deps.findings.get(accountId)?.resources ?? []).map((r) => [r.arn, r.verdict]));
  const rank = (arn: string) => ['locked', 'suspected'].indexOf(known.get(arn) ?? '') + 1 || 3;
  const items = all
    .sort((a, b) => rank(a.arn) - rank(b.arn) || a.name.localeCompare(b.name))
    .map((target) => ({ label: target.name, description: [target.region, known.get(target.arn)].filter(Boolean).join(' · '), target }));
  const picked = await vscode.window.showQuickPick(items, { title: `Unlock ${kind.noun} policy in ${formatAccountId(accountId)}`, placeHolder: `Choose the ${kind.noun}`, matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) throw new Cancelled();
  return picked.target;
}

async function unlockTarget(deps: UnlockDeps, kind: PolicyKind, t: ActiveRootTask, target: PolicyTarget, args: UnlockArgs): Promise<UnlockResult> {
  const result = (outcome: UnlockResult['outcome'], identical?: boolean): UnlockResult => ({ outcome, accountId: target.accountId, resource: target.arn, identical });
  const where = `${kind.noun} ${target.name} (account ${formatAccountId(target.accountId)})`;
  const current = await t.read(kind.operations.read, target.arn, () => kind.read(t, target));
  // The analyzer ships in the lazily loaded AWS bundle (it is needed only next to the SDK, here
  // and in the scan), so activation does not load it.
  const { analyzePolicy, formatPolicy, validateProposedPolicy } = deps.aws.module();
  const index = await deps.getIndex();
  const resource: PolicyResource = { kind: kind.kind, arn: target.arn, accountId: target.accountId, organizationId: index.organization.id };
  const remember = (analysis: PolicyAnalysis | undefined) => deps.findings.setResource({
    kind: kind.kind, accountId: target.accountId, name: target.name, arn: target.arn, region: target.region, url: target.url,
    verdict: analysis?.verdict ?? 'fine', reasons: analysis?.reasons ?? [], checkedAt: new Date().toISOString(),
  });

  if (current.text === undefined) {
    remember(undefined);
    void vscode.window.showInformationMessage(`The ${where} has no policy: nothing to unlock.`);
    return result('noPolicy');
  }
  const analysis = analyzePolicy(current.text, resource);
  if (analysis.verdict === 'fine') {
    remember(analysis);
    void vscode.window.showInformationMessage(`The policy of the ${where} does not lock anyone out: nothing to unlock.`);
    return result('notLocked');
  }

  const before = current.text;
  const beforeSha256 = sha256Hex(before);
  const shown = analysis.verdict === 'invalid' ? before : formatPolicy(JSON.parse(before));
  const proposal = analysis.fix?.kind === 'put' ? analysis.fix.text : analysis.fix?.kind === 'delete' ? '' : shown;
  const preview = await deps.documents.show(t.taskId, formatAccountId(target.accountId), target.name, shown, proposal, `${target.name}: current policy ↔ proposed (${formatAccountId(target.accountId)})`);
  const slot = deps.decisions.expect(preview);
  try {
    await t.record({ kind: 'preview.shown', resource: target.arn, outcome: 'ok', beforeSha256, detail: { verdict: analysis.verdict, offending: analysis.offending.length } });
    const question = analysis.fix?.kind === 'delete'
      ? `Every statement of the ${where} policy locks everyone out: the proposal is to delete the policy. Apply or cancel.`
      : analysis.verdict === 'invalid'
        ? `The ${where} policy could not be analyzed (${analysis.problems.join('; ')}). Edit the proposal on the right and apply it, delete the policy, or cancel.`
        : `${analysis.offending.length} locking statement(s) removed from the ${where} policy (right side, editable). Apply it, delete the policy instead, or cancel.`;

    let chosen: { decision: 'apply'; text: string } | { decision: 'delete' };
    for (;;) {
      const decision = args.decision ?? (await deps.decisions.wait(preview, question, t.signal, { canDelete: true }));
      if (t.signal.aborted) throw new Cancelled();
      if (decision === 'cancel') {
        await t.record({ kind: 'decision', resource: target.arn, decision, outcome: 'cancelled', beforeSha256 });
        throw new Cancelled();
      }
      const text = decision === 'apply' ? (args.proposedText ?? preview.proposedText()) : '';
      if (decision === 'delete' || !text.trim()) {
        chosen = { decision: 'delete' };
        break;
      }
      const valid = validateProposedPolicy(text, resource);
      if (valid.ok) {
        chosen = { decision: 'apply', text };
        break;
      }
      await t.record({ kind: 'decision', resource: target.arn, decision, outcome: 'denied', error: valid.message, beforeSha256 });
      const refusal = `The proposed policy for the ${where} was refused: ${valid.message} Nothing was written.`;
      // Automation gets the refusal; a person may fix the edit and choose again.
      if (args.decision) throw new UserError(refusal);
      void vscode.window.showWarningMessage(refusal);
    }

    const afterSha256 = chosen.decision === 'apply' ? sha256Hex(chosen.text) : undefined;
    const audited = { beforeSha256, afterSha256, before: before.replace(/\r/g, '') };
    await t.record({ kind: 'decision', resource: target.arn, decision: chosen.decision, outcome: 'ok', ...audited });

    const again = await t.read(kind.operations.read, target.arn, () => kind.read(t, target));
    const unchanged = checkUnchanged(before, again.text, target.arn);
    if (!unchanged.ok) throw new UserError(unchanged.message);

    if (chosen.decision === 'apply') {
      const text = chosen.text;
      await t.write(kind.operations.write, target.arn, () => kind.put(t, target, text), audited);
    } else {
      await t.write(kind.operations.remove, target.arn, () => kind.remove(t, target), audited);
    }

    const after = await t.read(kind.operations.read, target.arn, () => kind.read(t, target));
    const afterAnalysis = after.text === undefined ? undefined : analyzePolicy(after.text, resource);
    const verified = verifyWrite(chosen.decision === 'apply' ? { kind: 'put', text: chosen.text } : { kind: 'delete' }, after.text, () => afterAnalysis?.verdict === 'locked', target.arn);
    await t.record({
      kind: 'verify', resource: target.arn, outcome: verified.ok ? 'ok' : 'error',
      error: verified.ok ? undefined : verified.message,
      afterSha256: after.text === undefined ? undefined : sha256Hex(after.text),
      detail: verified.ok ? { identical: verified.identical } : undefined,
    });
    remember(afterAnalysis);
    if (!verified.ok) throw new UserError(`The ${where} was written but verification failed: ${verified.message}`);
    const done = chosen.decision === 'apply' ? 'policy replaced' : 'policy deleted';
    void vscode.window.showInformationMessage(`Unlocked the ${where}: ${done} and verified.`);
    return result(chosen.decision === 'apply' ? 'applied' : 'deleted', verified.identical);
  } finally {
    slot.dispose();
    await preview.dispose();
  }
}
