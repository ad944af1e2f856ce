import { createRequest, type CredentialChange, type ParsedRequest, type RootTaskRequestFile, requestSha256 } from '../../core/approval/request';
import type { SignatureFile } from '../../core/approval/check';
import { UserError } from '../../core/errors';
import type { OrgAccount } from '../../core/orgIndex';
import { hasAnyCredential, type RootCredentialListing } from '../../core/rootReport';
import { formatAccountId } from '../../core/tasks';
import type { Person, RootFlowEnv } from '../ports';
import { describePlan } from './delete';

const TASK = 'IAMDeleteRootUserCredentials';
const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** The exact credentials a listing shows, as a request names them. */
export function credentialChange(l: RootCredentialListing): CredentialChange {
  return {
    password: l.password.present,
    accessKeyIds: l.accessKeys.map((k) => k.id).sort(),
    signingCertificateIds: l.signingCertificates.map((c) => c.id).sort(),
    mfaSerials: l.mfaDevices.map((d) => d.serialNumber).sort(),
  };
}

/**
 * A request to delete one account's root credentials: a read-only root session lists them, and
 * the request names each one (key ids, certificate ids, MFA serials, the password). Nothing is
 * deleted now.
 */
export async function requestCredentialDeletion(env: RootFlowEnv, person: Person, account: OrgAccount): Promise<RootTaskRequestFile> {
  const approvals = env.approvals?.();
  if (!approvals) throw new UserError('Saving a request needs approvals set up (rootTasks.approvals.allowedSignersFile).');
  const { justification, ticket } = await person.justify();
  return env.run({ task: TASK, accountId: account.id, justification, ticket, approval: { kind: 'readOnly', purpose: 'request' } }, async (t) => {
    const plan = await t.session.ops.listRootCredentials(t, account.id, { summary: false, lastUsed: true });
    if (!hasAnyCredential(plan)) throw new UserError(`The root user of account ${formatAccountId(account.id)} has no credentials to delete.`);
    const request = createRequest({
      task: TASK, accountId: account.id, resourceArn: rootArn(account.id), credentials: credentialChange(plan),
      requester: await approvals.caller(), justification, ticket, now: new Date(), maxAgeSeconds: approvals.settings.maxAgeSeconds,
    });
    await t.record({ kind: 'approval.requested', resource: request.resourceArn, outcome: 'ok', requestSha256: requestSha256(request), justification, ticket, expiresAt: request.expiresAt, detail: { credentials: describePlan(plan).length } });
    return request;
  });
}

export interface ApprovedDeletion {
  outcome: 'deleted' | 'incomplete';
  accountId: string;
  remaining: string[];
}

/**
 * Runs an approved credential deletion: the runner checks the approvals before AssumeRoot and
 * lets the session delete only the named credentials; here the live listing must still be
 * exactly what was approved (a key added or removed since voids the approval), then each is
 * deleted and the re-listing verifies.
 */
export async function runApprovedCredentialDeletion(env: RootFlowEnv, person: Person, parsed: ParsedRequest, signatures: SignatureFile[]): Promise<ApprovedDeletion> {
  const r = parsed.request;
  if (r.task !== TASK || !r.credentials) throw new UserError('The request names no root credentials to delete.');
  const approved = r.credentials;
  const request = { task: TASK, accountId: r.accountId, resourceArn: r.resourceArn, justification: r.justification, ticket: r.ticket, approval: { kind: 'request' as const, parsed, signatures } } as const;
  return env.run(request, async (t) => {
    const plan = await t.session.ops.listRootCredentials(t, r.accountId, { summary: false, lastUsed: false });
    if (JSON.stringify(credentialChange(plan)) !== JSON.stringify(approved)) {
      const message = `The root user's credentials in account ${formatAccountId(r.accountId)} changed after the request was approved (now: ${describePlan(plan).join('; ') || 'none'}): the approval is void. Nothing was deleted.`;
      await t.record({ kind: 'approval.voided', resource: r.resourceArn, outcome: 'denied', requestSha256: parsed.sha256, error: message });
      throw new UserError(message);
    }
    await t.record({ kind: 'decision', resource: r.resourceArn, decision: 'delete', outcome: 'ok', requestSha256: parsed.sha256 });
    const deleted = await t.session.ops.deleteRootCredentials(t, r.accountId, plan);
    const remaining = describePlan(deleted.after);
    await t.record({ kind: 'verify', outcome: deleted.verified ? 'ok' : 'error', ...(deleted.verified ? {} : { error: `still present after deleting: ${remaining.join('; ')}` }), detail: { remaining: remaining.length } });
    person.tell(`Ran the approved request: root credentials of account ${formatAccountId(r.accountId)} ${deleted.verified ? 'deleted and verified' : `partly deleted (${remaining.length} remain)`}.`);
    return { outcome: deleted.verified ? 'deleted' : 'incomplete', accountId: r.accountId, remaining };
  });
}
