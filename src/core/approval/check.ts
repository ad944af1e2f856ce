import { formatAccountId } from '../tasks';
import type { ParsedRequest } from './request';
import type { Approver, SignatureVerifier } from './sshSignatures';
import { humanTime } from '../humanTime';

export interface ApprovalSettings {
  /** Distinct approvers a root task needs (0 turns approvals off). */
  required: number;
  /** A request older than this (from createdAt) is refused even before its own expiresAt. */
  maxAgeSeconds: number;
}

/** What the runner is about to do: an approval covers exactly this task, account and resource. */
export interface RunTarget {
  task: string;
  accountId: string;
  resourceArn?: string;
  /** The caller identity of the person running it. */
  caller: string;
}

export type ApprovalVerdict =
  | { ok: true; approvers: Approver[]; refused: Array<{ file: string; message: string }> }
  | { ok: false; rule: ApprovalRule; message: string; voided: boolean; approvers: Approver[]; refused: Array<{ file: string; message: string }> };

export type ApprovalRule = 'approvalMismatch' | 'approvalExpired' | 'approvalNotRequester' | 'approvalsMissing';

export interface SignatureFile {
  /** File name (for messages), never its content. */
  file: string;
  signature: string;
}

/**
 * Does this request, with these signatures, allow this run now? Checks, in order: the request is
 * for exactly this task / account / resource (no replay elsewhere), the runner is its requester,
 * it has not expired, then each signature with ssh-keygen: enough valid ones from distinct
 * allowed signers, the requester's own never counting. A signature by an allowed signer that no
 * longer matches means the request was edited after approval: the message says so.
 */
export async function checkApprovals(
  parsed: ParsedRequest, signatures: SignatureFile[], target: RunTarget, settings: ApprovalSettings, verifier: SignatureVerifier, now: Date,
): Promise<ApprovalVerdict> {
  const r = parsed.request;
  const refused: Array<{ file: string; message: string }> = [];
  const approvers: Approver[] = [];
  const fail = (rule: ApprovalRule, message: string, voided = false): ApprovalVerdict => ({ ok: false, rule, message, voided, approvers, refused });

  if (r.task !== target.task || r.accountId !== target.accountId || (target.resourceArn !== undefined && r.resourceArn !== target.resourceArn)) {
    return fail('approvalMismatch', `The request approves ${r.task} on ${r.resourceArn} in account ${formatAccountId(r.accountId)}, not ${target.task} on ${target.resourceArn ?? 'this account'} in account ${formatAccountId(target.accountId)}. Nothing was run.`);
  }
  if (!sameIdentity(target.caller, r.requester)) {
    return fail('approvalNotRequester', `The request was made by ${r.requester}; only its requester may run it (you are ${target.caller}). Nothing was run.`);
  }
  const expires = Math.min(Date.parse(r.expiresAt), Date.parse(r.createdAt) + settings.maxAgeSeconds * 1000);
  if (!(now.getTime() < expires) || Date.parse(r.createdAt) > now.getTime() + 5 * 60_000) {
    return fail('approvalExpired', `The request expired at ${humanTime(new Date(expires).toISOString())} (requests are valid for at most ${Math.round(settings.maxAgeSeconds / 60)} min). Save a new request and have it approved again. Nothing was run.`);
  }

  let edited = 0;
  for (const s of signatures) {
    const check = await verifier.verify(parsed.canonical, s.signature);
    if (!check.ok) {
      if (check.reason === 'badSignature') edited++;
      refused.push({ file: s.file, message: `The approval ${s.file} ${check.message}.` });
      continue;
    }
    if (sameIdentity(check.principal, r.requester)) {
      refused.push({ file: s.file, message: `The approval ${s.file} is by the requester (${check.principal}); a request cannot be approved by the person who made it.` });
      continue;
    }
    if (approvers.some((a) => a.principal === check.principal || a.fingerprint === check.fingerprint)) {
      refused.push({ file: s.file, message: `The approval ${s.file} is a second one by ${check.principal}; approvals must come from distinct people.` });
      continue;
    }
    approvers.push({ principal: check.principal, fingerprint: check.fingerprint });
  }
  if (approvers.length >= settings.required) return { ok: true, approvers, refused };
  const why = refused.length ? ` ${refused.map((x) => x.message).join(' ')}` : '';
  if (edited) {
    return fail('approvalsMissing', `The request was edited after it was approved: ${edited} approval(s) no longer match it and are void. It needs ${settings.required} valid approval(s), has ${approvers.length}.${why} Nothing was run.`, true);
  }
  return fail('approvalsMissing', `The request needs ${settings.required} approval(s) from allowed signers other than the requester, has ${approvers.length}.${why} Nothing was run.`);
}

/**
 * Whether an allowed-signers principal (an email, a user name or an ARN) is the requester's
 * identity: the ARN itself, or its last path piece (the role session name or IAM user name, which
 * SSO sets to the person's email).
 */
export function sameIdentity(principal: string, requesterArn: string): boolean {
  const p = principal.trim().toLowerCase();
  const arn = requesterArn.trim().toLowerCase();
  if (p === arn) return true;
  const resource = arn.split(':').slice(5).join(':');
  const last = resource.split('/').at(-1);
  return !!last && p === last;
}
