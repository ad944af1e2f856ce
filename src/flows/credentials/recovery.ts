import type { RecoveryResult } from '../../aws/iamRoot';
import { Cancelled } from '../../core/errors';
import type { OrgAccount } from '../../core/orgIndex';
import { formatAccountId } from '../../core/tasks';
import type { Person } from '../ports';
import type { CredentialEnv } from './audit';

export interface RecoveryPerson extends Person {
  /** Asks before the login profile is created; undefined = no question (automation). */
  confirmRecovery?(account: OrgAccount): Promise<boolean>;
}

/**
 * Allow root password recovery: for an account whose root user has no password, a root session
 * with IAMCreateRootUserPassword creates the login profile without a password (so "Forgot
 * password" works for the root email), then reads it back to verify. An account that already has
 * a password is left untouched.
 */
export async function allowRootPasswordRecovery(
  env: CredentialEnv, person: RecoveryPerson, account: OrgAccount, options: { breakGlass?: string } = {},
): Promise<RecoveryResult & { accountId: string }> {
  const why = await person.justify(`allow root password recovery for ${account.name} (${formatAccountId(account.id)})`);
  const resource = `arn:aws:iam::${account.id}:root`;
  // With approvals required: break-glass only (a recovery has no request form: nothing to review).
  const approval = options.breakGlass === undefined ? undefined : { kind: 'breakGlass' as const, reason: options.breakGlass };
  const result = await env.run({ task: 'IAMCreateRootUserPassword', accountId: account.id, ...why, approval }, async (t) => {
    const outcome = await t.session.ops.allowRootPasswordRecovery(t, account.id, async () => {
      await t.record({ kind: 'preview.shown', resource, detail: { action: 'CreateLoginProfile without password' } });
      const go = person.confirmRecovery ? await person.confirmRecovery(account) : true;
      await t.record({ kind: 'decision', decision: go ? 'allow' : 'cancel', outcome: go ? 'ok' : 'cancelled' });
      if (!go) throw new Cancelled();
    });
    await t.record({ kind: 'verify', resource, outcome: outcome.outcome === 'enabled' ? 'ok' : 'error', detail: { outcome: outcome.outcome } });
    return outcome;
  });
  if (result.outcome === 'enabled') {
    const prev = env.findings.get(account.id)?.root;
    // A login profile without a password: "password recovery enabled", never "Password: yes".
    const enabledAt = result.createdAt ?? new Date().toISOString();
    env.findings.setRootStatus({
      accountId: account.id,
      password: true,
      passwordRecovery: enabledAt,
      accessKeys: prev?.accessKeys ?? 0,
      signingCertificates: prev?.signingCertificates ?? 0,
      mfaDevices: prev?.mfaDevices ?? 0,
      auditedAt: prev?.auditedAt ?? new Date().toISOString(),
    });
    const audited = env.results.get(account.id);
    if (audited?.listing) {
      env.results.merge([{ ...audited, listing: { ...audited.listing, password: { present: true, createdAt: enabledAt, recoveryOnly: true } } }]);
    }
  }
  return { ...result, accountId: account.id };
}
