// Turning a JSON seed into the sandbox state: the organization and its tree, accounts, principals,
// buckets and queues. Seeds are validated: a mistake names the account and field at fault.
import { readFileSync } from 'node:fs';
import { stableChars } from './ids';
import { enablePolicyType, parseOrgPolicy, policyArn, type PolicyTypeName } from './orgPolicies';
import { PolicyError, policyText } from './policyDocument';
import { parseBucketPolicy, parseQueuePolicy } from './resourcePolicies';
import { addRole, addRoot, addUser, defaultEmail, newUser, SCAN_ROLE, SeedError } from './seedPrincipals';
import { attributeProblem, DEFAULT_QUEUE_ATTRIBUTES } from './sqsAttributes';
import { SandboxState, type AccountRec, type CredentialRec, type OrgRec } from './state';
import type { SeedAccount, SeedOrg, SeedOu } from './types';

export { SeedError } from './seedPrincipals';

const DEFAULT_JOINED = Date.parse('2021-03-01T09:00:00Z');
const ACCOUNT_STATES = new Set(['PENDING_ACTIVATION', 'ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export function readSeedFile(path: string): SeedOrg {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SeedOrg;
  } catch (e) {
    throw new SeedError(`cannot read seed ${path}: ${(e as Error).message}`);
  }
}

function buildOrg(seed: SeedOrg): OrgRec {
  const mgmt = seed.management.id;
  const o = seed.organization ?? {};
  const id = o.id ?? `o-${stableChars(`org:${mgmt}`, 10, 'lower')}`;
  const rootId = o.rootId ?? `r-${stableChars(`root:${id}`, 4, 'lower')}`;
  if (!/^o-[a-z0-9]{10,32}$/.test(id)) throw new SeedError(`organization id ${id} must match o-[a-z0-9]{10,32}`);
  if (!/^r-[0-9a-z]{4,32}$/.test(rootId)) throw new SeedError(`root id ${rootId} must match r-[0-9a-z]{4,32}`);
  const since = new Date(DEFAULT_JOINED);
  const trusted = new Map<string, Date>();
  if (o.trustedAccessForIam !== false) trusted.set('iam.amazonaws.com', since);
  for (const s of o.trustedServices ?? []) trusted.set(s, since);
  const delegated = new Map<string, { services: Set<string>; since: Date }>();
  if (o.delegatedAdministrator) delegated.set(o.delegatedAdministrator, { services: new Set(['iam.amazonaws.com']), since });
  return {
    id,
    arn: `arn:aws:organizations::${mgmt}:organization/${id}`,
    featureSet: o.featureSet ?? 'ALL',
    rootId,
    rootArn: `arn:aws:organizations::${mgmt}:root/${id}/${rootId}`,
    managementAccountId: mgmt,
    trustedServices: trusted,
    features: { RootCredentialsManagement: o.rootCredentialsManagement ?? true, RootSessions: o.rootSessions ?? true },
    delegatedAdmins: delegated,
    policyTypes: { SERVICE_CONTROL_POLICY: false, RESOURCE_CONTROL_POLICY: false },
  };
}

class Loader {
  readonly signing: CredentialRec[] = [];
  private joinedIndex = 0;

  constructor(
    readonly state: SandboxState,
    readonly region: string,
  ) {}

  ou(seed: SeedOu, parentId: string, path: string): void {
    const org = this.state.org;
    const where = `OU ${path}/${seed.name}`;
    const id = seed.id ?? `ou-${org.rootId.slice(2)}-${stableChars(`ou:${org.id}:${path}/${seed.name}`, 8, 'lower')}`;
    if (!/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(id)) throw new SeedError(`${where}: id ${id} has not the OU format`);
    if (this.state.ous.has(id)) throw new SeedError(`${where}: duplicate OU id ${id}`);
    this.state.ous.set(id, { id, arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${id}`, name: seed.name, parentId });
    this.state.children.get(parentId)!.ous.push(id);
    this.state.children.set(id, { ous: [], accounts: [] });
    for (const child of seed.ous ?? []) this.ou(child, id, `${path}/${seed.name}`);
    for (const a of seed.accounts ?? []) this.account(a, id, false);
  }

  account(seed: SeedAccount, parentId: string, isManagement: boolean): AccountRec {
    const org = this.state.org;
    const where = `account ${seed.id}`;
    if (!/^\d{12}$/.test(seed.id)) throw new SeedError(`${where}: ids have 12 digits`);
    if (this.state.accounts.has(seed.id)) throw new SeedError(`${where}: duplicate account`);
    if (seed.state && !ACCOUNT_STATES.has(seed.state)) throw new SeedError(`${where}: unknown state ${seed.state}`);
    const joined = seed.joinedTimestamp ? new Date(seed.joinedTimestamp) : new Date(DEFAULT_JOINED + this.joinedIndex++ * 86_400_000);
    if (Number.isNaN(joined.getTime())) throw new SeedError(`${where}: invalid joinedTimestamp`);
    const account: AccountRec = {
      id: seed.id,
      name: seed.name,
      email: seed.email ?? defaultEmail(seed.id, seed.name),
      arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${seed.id}`,
      state: seed.state ?? 'ACTIVE',
      joinedMethod: seed.joinedMethod ?? (isManagement ? 'INVITED' : 'CREATED'),
      joinedTimestamp: joined,
      parentId,
      root: newUser('root', seed.id, seed.id, joined),
      users: new Map(),
      roles: new Map(),
      buckets: [],
      queues: new Map(),
      virtualMfa: new Map(),
    };
    this.state.accounts.set(account.id, account);
    this.state.children.get(parentId)!.accounts.push(account.id);
    addRoot(account, seed.root, this.signing);
    for (const u of seed.users ?? []) addUser(account, u, this.signing);
    for (const r of seed.roles ?? (isManagement ? [] : [{ name: SCAN_ROLE }])) addRole(account, r, org.managementAccountId);
    for (const b of seed.buckets ?? []) this.bucket(account, b);
    account.buckets.sort();
    for (const q of seed.queues ?? []) this.queue(account, q);
    return account;
  }

  private bucket(account: AccountRec, b: NonNullable<SeedAccount['buckets']>[number]): void {
    const where = `account ${account.id} bucket ${b.name}`;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b.name) || b.name.includes('..')) throw new SeedError(`${where}: invalid bucket name`);
    if (this.state.buckets.has(b.name)) throw new SeedError(`${where}: bucket names are global and this one is taken`);
    let policy;
    try {
      policy = b.policy === undefined ? undefined : parseBucketPolicy(policyText(b.policy), b.name);
    } catch (e) {
      throw new SeedError(`${where}: ${e instanceof PolicyError ? e.message : String(e)}`);
    }
    const creationDate = b.creationDate ? new Date(b.creationDate) : account.joinedTimestamp;
    this.state.buckets.set(b.name, { name: b.name, accountId: account.id, region: b.region ?? this.region, creationDate, policy });
    account.buckets.push(b.name);
  }

  private queue(account: AccountRec, q: NonNullable<SeedAccount['queues']>[number]): void {
    const where = `account ${account.id} queue ${q.name}`;
    if (!/^[\w-]{1,80}$/.test(q.name.replace(/\.fifo$/, ''))) throw new SeedError(`${where}: invalid queue name`);
    const region = q.region ?? this.region;
    if (account.queues.has(`${region}/${q.name}`)) throw new SeedError(`${where}: duplicate queue`);
    const arn = `arn:aws:sqs:${region}:${account.id}:${q.name}`;
    const attributes = { ...DEFAULT_QUEUE_ATTRIBUTES, ...q.attributes };
    for (const [name, value] of Object.entries(q.attributes ?? {})) {
      const problem = name === 'Policy' ? { message: 'set the policy with "policy"' } : attributeProblem(name, value, q.name.endsWith('.fifo'));
      if (problem) throw new SeedError(`${where}: ${problem.message}`);
    }
    let policy;
    try {
      policy = q.policy === undefined ? undefined : parseQueuePolicy(policyText(q.policy), arn);
    } catch (e) {
      throw new SeedError(`${where}: ${e instanceof PolicyError ? e.message : String(e)}`);
    }
    const created = q.createdTimestamp ? new Date(q.createdTimestamp) : account.joinedTimestamp;
    account.queues.set(`${region}/${q.name}`, { name: q.name, accountId: account.id, region, arn, attributes, policy, created, modified: created });
  }
}

/** Builds a fresh state from a seed. Throws SeedError when the seed is inconsistent. */
export function loadSeed(seed: SeedOrg, region: string): SandboxState {
  if (!seed || typeof seed !== 'object' || !seed.management) throw new SeedError('a seed needs a "management" account');
  const u = seed.management.user;
  if (!u || !/^AKIA[A-Z0-9]{16}$/.test(u.accessKeyId ?? '') || (u.secretAccessKey ?? '').length !== 40) {
    throw new SeedError('management.user needs userName, accessKeyId (AKIA + 16) and a 40-character secretAccessKey');
  }
  const org = buildOrg(seed);
  const state = new SandboxState(org, {
    userName: u.userName,
    accessKeyId: u.accessKeyId,
    secretAccessKey: u.secretAccessKey,
    arn: `arn:aws:iam::${org.managementAccountId}:user/${u.userName}`,
  });
  const loader = new Loader(state, region);
  const mgmt = loader.account(seed.management, org.rootId, true);
  const { accessKeyId, secretAccessKey, ...rest } = u;
  addUser(mgmt, { ...rest, accessKeys: [{ accessKeyId, secretAccessKey }] }, loader.signing);
  for (const ou of seed.ous ?? []) loader.ou(ou, org.rootId, '');
  for (const a of seed.accounts ?? []) loader.account(a, org.rootId, false);
  for (const admin of org.delegatedAdmins.keys()) {
    if (!state.accounts.has(admin) || admin === org.managementAccountId) throw new SeedError(`delegated administrator ${admin} must be a member account`);
  }
  loadPolicies(state, seed);
  for (const c of loader.signing) {
    if (state.credentials.has(c.accessKeyId)) throw new SeedError(`access key ${c.accessKeyId} is used twice`);
    state.credentials.set(c.accessKeyId, c);
  }
  return state;
}

/** "Root", an OU path such as "Workloads/Prod", or an account id → the target id. */
function targetId(state: SandboxState, name: string): string | undefined {
  if (name === 'Root' || name === state.org.rootId) return state.org.rootId;
  if (state.accounts.has(name)) return name;
  let parent = state.org.rootId;
  for (const part of name.split('/')) {
    const next = state.children.get(parent)?.ous.find((id) => state.ous.get(id)?.name === part);
    if (!next) return undefined;
    parent = next;
  }
  return parent;
}

function loadPolicies(state: SandboxState, seed: SeedOrg): void {
  for (const type of seed.organization?.policyTypes ?? []) {
    if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') throw new SeedError(`unknown policy type ${String(type)}`);
    enablePolicyType(state, type);
  }
  for (const p of seed.policies ?? []) {
    const where = `policy ${p.name}`;
    const type = p.type as PolicyTypeName;
    if (!state.org.policyTypes[type]) throw new SeedError(`${where}: policy type ${p.type} is not in organization.policyTypes`);
    const id = p.id ?? `p-${stableChars(`policy:${state.org.id}:${p.name}`, 8, 'lower')}`;
    if (!/^p-[0-9a-zA-Z_]{8,128}$/.test(id) || state.policies.has(id)) throw new SeedError(`${where}: invalid or duplicate id ${id}`);
    const content = policyText(p.content);
    let parsed;
    try {
      parsed = parseOrgPolicy(content, type);
    } catch (e) {
      throw new SeedError(`${where}: ${(e as Error).message}`);
    }
    const targets = p.targets.map((t) => {
      const resolved = targetId(state, t);
      if (!resolved) throw new SeedError(`${where}: no root, OU or account ${t}`);
      return resolved;
    });
    const rec = { id, name: p.name, description: p.description ?? '', type, awsManaged: false, content, parsed, targets, arn: '' };
    rec.arn = policyArn(state, rec);
    state.policies.set(id, rec);
  }
}
