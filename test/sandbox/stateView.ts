// JSON views of the state for the control API. The state view never contains a secret (secret
// keys, session tokens, TOTP seeds); `secretsOf` lists exactly those, for leak checks.
import type { Sandbox } from './sandbox';
import type { AccountRec, UserRec } from './state';

function credentialsView(u: UserRec) {
  return {
    password: u.loginProfile
      ? { createDate: u.loginProfile.createDate.toISOString(), passwordResetRequired: u.loginProfile.passwordResetRequired, passwordSet: u.loginProfile.passwordSet }
      : null,
    accessKeys: u.accessKeys.map((k) => ({
      accessKeyId: k.id,
      status: k.status,
      createDate: k.createDate.toISOString(),
      lastUsed: k.lastUsed ? { date: k.lastUsed.date.toISOString(), service: k.lastUsed.service, region: k.lastUsed.region } : null,
    })),
    signingCertificates: u.certificates.map((c) => ({ certificateId: c.id, status: c.status, uploadDate: c.uploadDate.toISOString() })),
    mfaDevices: u.mfa.map((m) => ({ serialNumber: m.serial, type: m.kind, enableDate: m.enableDate.toISOString() })),
  };
}

function accountView(sandbox: Sandbox, a: AccountRec) {
  const state = sandbox.state;
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    arn: a.arn,
    state: a.state,
    parentId: a.parentId,
    path: state.path(a.id),
    isManagement: a.id === state.org.managementAccountId,
    root: credentialsView(a.root),
    users: [...a.users.values()].map((u) => ({ userName: u.name, arn: u.arn, userId: u.userId, ...credentialsView(u) })),
    virtualMfaDevices: [...a.virtualMfa.values()].map((d) => ({ serialNumber: d.serial, assignedTo: d.assignedTo ?? null, hasTotpSeed: !!d.totpSeed })),
    roles: [...a.roles.values()].map((r) => ({ name: r.name, arn: r.arn, roleId: r.roleId })),
    buckets: a.buckets.map((n) => {
      const b = state.buckets.get(n)!;
      return { name: b.name, arn: `arn:aws:s3:::${b.name}`, region: b.region, policy: b.policy?.text ?? null };
    }),
    queues: [...a.queues.values()].map((q) => ({
      name: q.name,
      region: q.region,
      arn: q.arn,
      url: `${sandbox.endpoint()}/${q.accountId}/${q.name}`,
      policy: q.policy?.text ?? null,
      attributes: q.attributes,
    })),
  };
}

export function stateView(sandbox: Sandbox, accountId?: string) {
  const { state } = sandbox;
  const org = state.org;
  const now = sandbox.now().getTime();
  const accounts = accountId ? [state.account(accountId)].filter((a): a is AccountRec => !!a) : [...state.accounts.values()];
  return {
    organization: {
      id: org.id,
      arn: org.arn,
      featureSet: org.featureSet,
      rootId: org.rootId,
      managementAccountId: org.managementAccountId,
      trustedServices: [...org.trustedServices.keys()],
      features: { ...org.features },
      delegatedAdministrators: [...org.delegatedAdmins].map(([id, d]) => ({ accountId: id, services: [...d.services] })),
    },
    management: { userName: state.management.userName, accessKeyId: state.management.accessKeyId, arn: state.management.arn },
    ous: [...state.ous.values()].map((o) => ({ id: o.id, name: o.name, arn: o.arn, parentId: o.parentId, path: state.path(o.id) })),
    accounts: accounts.map((a) => accountView(sandbox, a)),
    sessions: [...state.credentials.values()]
      .filter((c) => c.sessionToken !== undefined)
      .map((c) => ({
        accessKeyId: c.accessKeyId,
        type: c.owner.type,
        accountId: c.owner.accountId,
        taskPolicyArn: c.owner.type === 'root-session' ? c.owner.taskPolicyArn : undefined,
        roleName: c.owner.type === 'role-session' ? c.owner.roleName : undefined,
        sourceArn: c.owner.type === 'root-session' || c.owner.type === 'role-session' ? c.owner.sourceArn : undefined,
        expiration: c.expiration?.toISOString(),
        expired: !!c.expiration && c.expiration.getTime() <= now,
      })),
  };
}

/** Every secret the sandbox knows: issued secrets and tokens, seeded secret keys, TOTP seeds. */
export function secretsOf(sandbox: Sandbox): string[] {
  const out = new Set<string>();
  for (const c of sandbox.issued) {
    out.add(c.secretAccessKey);
    out.add(c.sessionToken);
  }
  for (const c of sandbox.state.credentials.values()) out.add(c.secret);
  for (const a of sandbox.state.accounts.values()) {
    for (const d of a.virtualMfa.values()) if (d.totpSeed) out.add(d.totpSeed);
  }
  return [...out];
}
