// Building an account's principals from a seed: the root user and IAM users with their long-term
// credentials (password, access keys, signing certificates, MFA devices) and the account's roles.
import { createHash } from 'node:crypto';
import { stableChars, stableUniqueId } from './ids';
import { parsePolicy, PolicyError, policyText } from './policyDocument';
import { userKey, type AccountRec, type CredentialRec, type RoleRec, type StoredPolicy, type UserRec, type VirtualMfaRec } from './state';
import type { PolicyInput, SeedCredentials, SeedRole, SeedUser } from './types';

export class SeedError extends Error {}

export const SCAN_ROLE = 'OrganizationAccountAccessRole';
const ADMIN_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

export function storedPolicy(input: PolicyInput | undefined, fallback: string, kind: 'identity' | 'trust', where: string): StoredPolicy {
  const text = input === undefined ? fallback : policyText(input);
  try {
    return { text, parsed: parsePolicy(text, kind) };
  } catch (e) {
    throw new SeedError(`${where}: ${e instanceof PolicyError ? e.message : String(e)}`);
  }
}

function date(value: string | undefined, fallback: Date, where: string): Date {
  if (value === undefined) return fallback;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new SeedError(`${where}: invalid date ${value}`);
  return d;
}

/** A PEM-shaped body: the sandbox never parses certificates, it only lists them. */
function certificateBody(id: string): string {
  const bytes = Buffer.concat(Array.from({ length: 6 }, (_, i) => createHash('sha256').update(`${id}/${i}`).digest()));
  const b64 = bytes.toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
}

/** Adds a seed's credentials to a user; keys with secrets go to `signing` so they can sign. */
function applyCredentials(user: UserRec, c: SeedCredentials, account: AccountRec, signing: CredentialRec[], where: string): void {
  const since = user.createDate;
  if (c.password) {
    const p = c.password === true ? {} : c.password;
    user.loginProfile = { createDate: date(p.createDate, since, where), passwordResetRequired: p.passwordResetRequired ?? false, passwordSet: true };
  }
  if ((c.accessKeys?.length ?? 0) > 2) throw new SeedError(`${where}: at most 2 access keys`);
  for (const k of c.accessKeys ?? []) {
    if (!/^AKIA[A-Z0-9]{16}$/.test(k.accessKeyId)) throw new SeedError(`${where}: access key id ${k.accessKeyId} is not AKIA + 16 characters`);
    if (k.secretAccessKey !== undefined && k.secretAccessKey.length !== 40) throw new SeedError(`${where}: secret access keys have 40 characters`);
    const lastUsed = k.lastUsed && { date: date(k.lastUsed.date, since, where), service: k.lastUsed.service, region: k.lastUsed.region };
    user.accessKeys.push({ id: k.accessKeyId, secret: k.secretAccessKey, status: k.status ?? 'Active', createDate: date(k.createDate, since, where), lastUsed });
    if (k.secretAccessKey) {
      const owner = user.kind === 'root'
        ? { type: 'root' as const, accountId: account.id }
        : { type: 'iam-user' as const, accountId: account.id, userName: user.name };
      signing.push({ accessKeyId: k.accessKeyId, secret: k.secretAccessKey, owner });
    }
  }
  for (const cert of c.signingCertificates ?? []) {
    if (!/^\w{24,128}$/.test(cert.certificateId)) throw new SeedError(`${where}: certificate id ${cert.certificateId} must be 24+ word characters`);
    user.certificates.push({
      id: cert.certificateId,
      body: cert.body ?? certificateBody(cert.certificateId),
      status: cert.status ?? 'Active',
      uploadDate: date(cert.uploadDate, since, where),
    });
  }
  for (const m of c.mfaDevices ?? []) {
    const kind = m.type ?? (m.serialNumber.startsWith('arn:') ? 'virtual' : 'hardware');
    if (!/^[\w+=/:,.@-]{9,256}$/.test(m.serialNumber)) throw new SeedError(`${where}: invalid MFA serial ${m.serialNumber}`);
    if (m.totpSeed !== undefined && !/^[A-Z2-7]+=*$/.test(m.totpSeed)) throw new SeedError(`${where}: totpSeed must be base32`);
    const enableDate = date(m.enableDate, since, where);
    user.mfa.push({ serial: m.serialNumber, kind, enableDate });
    if (kind === 'virtual') {
      const device: VirtualMfaRec = { serial: m.serialNumber, totpSeed: m.totpSeed, assignedTo: userKey(user), enableDate };
      account.virtualMfa.set(m.serialNumber, device);
    }
  }
}

export function newUser(kind: 'root' | 'user', name: string, accountId: string, createDate: Date): UserRec {
  return {
    kind,
    name,
    arn: kind === 'root' ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:user/${name}`,
    userId: kind === 'root' ? accountId : stableUniqueId('AIDA', `${accountId}/${name}`),
    path: '/',
    createDate,
    accessKeys: [],
    certificates: [],
    mfa: [],
  };
}

export function addRoot(account: AccountRec, c: SeedCredentials | undefined, signing: CredentialRec[]): void {
  if (c) applyCredentials(account.root, c, account, signing, `account ${account.id} root`);
}

export function addUser(account: AccountRec, seed: SeedUser, signing: CredentialRec[]): UserRec {
  const where = `account ${account.id} user ${seed.userName}`;
  if (!/^[\w+=,.@-]{1,64}$/.test(seed.userName)) throw new SeedError(`${where}: invalid user name`);
  if (account.users.has(seed.userName)) throw new SeedError(`${where}: duplicate user`);
  const user = newUser('user', seed.userName, account.id, date(seed.createDate, account.joinedTimestamp, where));
  user.policy = storedPolicy(seed.policy, ADMIN_POLICY, 'identity', where);
  applyCredentials(user, seed, account, signing, where);
  account.users.set(user.name, user);
  return user;
}

export function addRole(account: AccountRec, seed: SeedRole, managementAccountId: string): RoleRec {
  const where = `account ${account.id} role ${seed.name}`;
  if (!/^[\w+=,.@-]{1,64}$/.test(seed.name)) throw new SeedError(`${where}: invalid role name`);
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
  });
  const max = seed.maxSessionDuration ?? 3600;
  if (max < 3600 || max > 43200) throw new SeedError(`${where}: maxSessionDuration must be 3600–43200`);
  const role: RoleRec = {
    name: seed.name,
    arn: `arn:aws:iam::${account.id}:role/${seed.name}`,
    roleId: stableUniqueId('AROA', `${account.id}/${seed.name}`),
    trust: storedPolicy(seed.trustPolicy, trust, 'trust', where),
    policy: storedPolicy(seed.policy, ADMIN_POLICY, 'identity', where),
    maxSessionDuration: max,
  };
  account.roles.set(role.name, role);
  return role;
}

/** Deterministic default e-mail address for an account. */
export function defaultEmail(accountId: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'account';
  return `aws+${slug}-${stableChars(accountId, 4, 'lower')}@example.com`;
}
