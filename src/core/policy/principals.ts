/**
 * Does a Deny statement's Principal / NotPrincipal reach every IAM user and role of the owning
 * account? Only those can manage the policy (S3 answers 405 to other accounts for bucket-policy
 * calls; SQS says cross-account permissions do not apply to SetQueueAttributes), and the owner's
 * root user is exempt from bucket-policy denies anyway, so root alone never counts as a way out.
 *
 * - Principal "*" or {"AWS": "*"}: everyone. An owner account entry (id or `…:root`): all of its
 *   principals (AWS docs on NotPrincipal: denying the account denies "all entities in that account").
 *   A specific user/role, another account, a service, a federated provider: not everyone.
 * - NotPrincipal (deny all except …): per the IAM docs, an excluded user or role is only really
 *   excluded when the list also names its account's root ARN; otherwise the policy "might deny
 *   access to the entire account". Excluding only the root, other accounts or services locks.
 *   Unique ids (AIDA…/AROA…) are what AWS writes in place of a deleted user or role: no exclusion.
 */
import { formatAccountId } from '../tasks';
import type { ResourceContext } from './context';
import type { PrincipalEntry, PrincipalSpec } from './document';

export type Coverage = 'all' | 'maybe' | 'none';
export interface Who { coverage: Coverage; text: string }

type Kind =
  | { kind: 'everyone' }
  | { kind: 'account'; account: string }
  | { kind: 'identity'; account: string }
  | { kind: 'deleted' }
  | { kind: 'canonical' }
  | { kind: 'other' };

const ROOT = /^arn:([^:]+):iam::(\d{12}):root$/;
const IDENTITY = /^arn:([^:]+):(?:iam|sts)::(\d{12}):(?:user|role|assumed-role|federated-user)\/.+$/;
const UNIQUE_ID = /^A[A-Z0-9]{15,127}$/;

function classify(e: PrincipalEntry, partition: string): Kind {
  if (e.type === 'CanonicalUser') return { kind: 'canonical' };
  if (e.type !== 'AWS') return { kind: 'other' };
  const v = e.value;
  if (v === '*') return { kind: 'everyone' };
  if (/^\d{12}$/.test(v)) return { kind: 'account', account: v };
  let m = ROOT.exec(v);
  if (m) return m[1] === partition ? { kind: 'account', account: m[2] } : { kind: 'other' };
  m = IDENTITY.exec(v);
  if (m) return m[1] === partition ? { kind: 'identity', account: m[2] } : { kind: 'other' };
  if (UNIQUE_ID.test(v)) return { kind: 'deleted' };
  return { kind: 'other' };
}

function list(entries: PrincipalEntry[]): string {
  const shown = entries.slice(0, 3).map((e) => e.value).join(', ');
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown;
}

export function principalCoverage(spec: PrincipalSpec, ctx: ResourceContext): Who {
  const kinds = spec.entries.map((e) => classify(e, ctx.partition));
  const owner = ctx.owner;
  if (!spec.not) {
    if (spec.everyone) return { coverage: 'all', text: 'every principal' };
    if (owner && kinds.some((k) => k.kind === 'account' && k.account === owner)) {
      return { coverage: 'all', text: `every user and role of the owner account ${formatAccountId(owner)}` };
    }
    const accounts = kinds.flatMap((k) => (k.kind === 'account' ? [k.account] : []));
    if (!owner && accounts.length) {
      return { coverage: 'maybe', text: `every user and role of account ${accounts.map(formatAccountId).join(', ')} (which may own this ${ctx.noun})` };
    }
    if (kinds.some((k) => k.kind === 'canonical')) {
      return { coverage: 'maybe', text: `a canonical user id (if it is the owner's, every user and role of the owner account)` };
    }
    return { coverage: 'none', text: 'some principals only' };
  }

  if (kinds.some((k) => k.kind === 'everyone')) return { coverage: 'none', text: 'no principal' };
  const except = `every principal except ${list(spec.entries)}`;
  const deleted = kinds.some((k) => k.kind === 'deleted')
    ? ' (an id such as AROA… or AIDA… is what AWS leaves in a policy after that user or role was deleted)'
    : '';
  const excludedIdentity = (account: string): boolean => kinds.some((k) => k.kind === 'identity' && k.account === account);
  const excludedAccount = (account: string): boolean => kinds.some((k) => k.kind === 'account' && k.account === account);
  if (owner) {
    if (!excludedIdentity(owner)) {
      return { coverage: 'all', text: `${except}: none of those is a user or role of the owner account ${formatAccountId(owner)}${deleted}` };
    }
    if (excludedAccount(owner)) return { coverage: 'none', text: except };
    return {
      coverage: 'maybe',
      text: `${except}: the owner's users or roles are listed without the account ARN arn:${ctx.partition}:iam::${owner}:root, and AWS documents that this may deny the whole account`,
    };
  }
  if (kinds.some((k) => k.kind === 'identity')) {
    return { coverage: 'maybe', text: `${except} (whether any of those belongs to the ${ctx.noun}'s owner is not known)${deleted}` };
  }
  return { coverage: 'all', text: `${except}: none of those is an IAM user or role${deleted}` };
}
