import { sha256Hex } from './audit/hash';
import type { AuditInput } from './audit/types';
import { checkApprovals, type ApprovalSettings, type SignatureFile } from './approval/check';
import { approvedWriteTargets, type ParsedRequest } from './approval/request';
import type { SignatureVerifier } from './approval/sshSignatures';
import type { UsedRequests } from './approval/usedRequests';
import { UserError } from './errors';

/**
 * The runner's approval step (pure apart from its ports): which root sessions may start when
 * approvals are required, and what their writes are bound to. Three ways in:
 * - `request`: an approved request file and its signatures, checked before AssumeRoot; the
 *   session's writes must then be exactly the approved change (before and after hashes).
 * - `breakGlass`: the requester alone with a stated reason; recorded through the gate, which
 *   waits for the audit sink's acknowledgement (break-glass is always strict).
 * - `readOnly`: a session that only reads — to make a request (the current policy can only be
 *   read with root), a scan, a credential audit; every write is refused.
 */
export type TaskApproval =
  | { kind: 'request'; parsed: ParsedRequest; signatures: SignatureFile[] }
  | { kind: 'breakGlass'; reason: string }
  | { kind: 'readOnly'; purpose: 'request' | 'scan' | 'audit' };

export interface ApprovalEnv {
  settings: ApprovalSettings;
  verifier: SignatureVerifier;
  used: UsedRequests;
  /** The caller identity of the person running the task (the management credentials). */
  caller(): Promise<string>;
}

/** What a session's writes are held to. */
export type WriteBinding =
  | { kind: 'free' }
  | { kind: 'readOnly'; purpose: string }
  | { kind: 'approved'; requestSha256: string; targets: string[]; beforeSha256?: string; afterSha256?: string };

export interface ApprovalStep {
  binding: WriteBinding;
  /** Fields added to the session's intent. */
  intent: Partial<AuditInput>;
  /** Run after the intent, just before AssumeRoot: marks an approved request used (once). */
  consume(): Promise<void>;
}

interface Target {
  task: string;
  accountId: string;
  resourceArn?: string;
}

type Record = (input: AuditInput) => Promise<void>;

const BREAK_GLASS_MIN_REASON = 10;

export async function admitTask(
  env: ApprovalEnv | undefined, approval: TaskApproval | undefined, target: Target,
  record: Record, recordIntent: Record, now: Date,
): Promise<ApprovalStep> {
  const required = env?.settings.required ?? 0;
  const none: ApprovalStep = { binding: { kind: 'free' }, intent: {}, consume: async () => undefined };
  if (!approval) {
    if (required === 0) return none;
    const message = `Root tasks need ${required} approval(s) (rootTasks.approvals.required): save the change as a request and have it approved, or break glass with a reason. Nothing was run.`;
    await record({ kind: 'approval.refused', resource: target.resourceArn, outcome: 'denied', error: message, detail: { rule: 'approvalsMissing', required } });
    throw new UserError(message);
  }
  if (approval.kind === 'readOnly') return { ...none, binding: { kind: 'readOnly', purpose: approval.purpose }, intent: { detail: { readOnly: approval.purpose } } };
  if (approval.kind === 'breakGlass') {
    const reason = approval.reason.trim();
    if (reason.length < BREAK_GLASS_MIN_REASON) {
      throw new UserError(`Break-glass needs a stated reason (at least ${BREAK_GLASS_MIN_REASON} characters). Nothing was run.`);
    }
    // Through the gate: refused unless the sink acknowledged it (the team has been told).
    await recordIntent({ kind: 'breakGlass', resource: target.resourceArn, outcome: 'ok', justification: reason, detail: { severity: 'high', notice: 'break-glass', approvalsRequired: required } });
    return { ...none, intent: { detail: { breakGlass: true } } };
  }
  if (!env) throw new UserError('Approvals are not set up (no allowed-signers file): the request cannot be checked. Nothing was run.');

  const { parsed } = approval;
  const base = { resource: target.resourceArn, requestSha256: parsed.sha256 };
  const caller = await env.caller();
  const verdict = await checkApprovals(parsed, approval.signatures, { ...target, caller }, { ...env.settings, required: Math.max(1, required) }, env.verifier, now);
  for (const a of verdict.approvers) {
    await record({ ...base, kind: 'approval.verified', outcome: 'ok', signer: a.principal, keyFingerprint: a.fingerprint });
  }
  for (const r of verdict.refused) await record({ ...base, kind: 'approval.refused', outcome: 'denied', error: r.message });
  if (!verdict.ok) {
    await record({ ...base, kind: verdict.voided ? 'approval.voided' : 'approval.refused', outcome: 'denied', error: verdict.message, detail: { rule: verdict.rule } });
    throw new UserError(verdict.message);
  }
  const policy = parsed.request.policy;
  return {
    binding: { kind: 'approved', requestSha256: parsed.sha256, targets: approvedWriteTargets(parsed.request), beforeSha256: policy?.beforeSha256, afterSha256: policy?.afterSha256 },
    intent: { requestSha256: parsed.sha256, detail: { approvers: verdict.approvers.length } },
    async consume() {
      if (await env.used.claim(parsed.sha256, `${parsed.request.task} ${parsed.request.resourceArn} ${now.toISOString()}`)) return;
      const message = 'This request has already been run once; an approval is good for one run. Save a new request and have it approved. Nothing was run.';
      await record({ ...base, kind: 'approval.refused', outcome: 'denied', error: message, detail: { rule: 'approvalReused' } });
      throw new UserError(message);
    },
  };
}

/**
 * Checks a write against the session's binding. An approved session writes only the approved
 * change to the approved resource: the live policy must still hash to the approved before, and
 * the document must hash to the approved after (an empty document: the policy is deleted).
 */
export async function checkWrite(binding: WriteBinding, resource: string, extra: Partial<AuditInput> | undefined, record: Record): Promise<void> {
  if (binding.kind === 'free') return;
  const refuse = async (kind: 'approval.voided' | 'approval.refused', message: string) => {
    await record({ kind, resource, outcome: 'denied', error: message, ...(binding.kind === 'approved' ? { requestSha256: binding.requestSha256 } : {}) });
    throw new UserError(message);
  };
  if (binding.kind === 'readOnly') return refuse('approval.refused', `This root session only reads (${binding.purpose}): nothing may be written without an approved request.`);
  if (!binding.targets.includes(resource)) return refuse('approval.refused', `The approval covers ${binding.targets.join(', ') || 'nothing to write'}, not ${resource}. Nothing was written.`);
  if (binding.beforeSha256 === undefined) return;
  if (extra?.beforeSha256 !== binding.beforeSha256) {
    return refuse('approval.voided', `The policy of ${resource} changed after the request was approved (it no longer matches the approved "before"): the approval is void. Nothing was written.`);
  }
  const after = extra.afterSha256 ?? sha256Hex('');
  if (after !== binding.afterSha256) {
    return refuse('approval.voided', `The document to be written for ${resource} is not the approved one (edited after approval): the approval is void. Nothing was written.`);
  }
}

/**
 * Flows that never write (scans, credential audits) run read-only sessions when approvals are
 * required: reading needs no second person, and the runner refuses any write they might attempt.
 */
export function readOnlyWhenRequired(env: ApprovalEnv | undefined, purpose: 'scan' | 'audit'): TaskApproval | undefined {
  return (env?.settings.required ?? 0) > 0 ? { kind: 'readOnly', purpose } : undefined;
}
