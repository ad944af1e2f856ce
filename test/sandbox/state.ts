// The sandbox's in-memory world: one organization, its OUs and accounts, each account's root user,
// IAM users and roles, buckets and queues, and every credential that can sign a request.
import type { OrgPolicyRec, PolicyTypeName } from './orgPolicies';
import type { Policy } from './policyDocument';
import type { AccountStateName } from './types';

export interface StoredPolicy {
  text: string;
  parsed: Policy;
}

export interface AccessKeyRec {
  id: string;
  secret?: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsed?: { date: Date; service: string; region: string };
}

export interface CertificateRec {
  id: string;
  body: string;
  status: 'Active' | 'Inactive';
  uploadDate: Date;
}

export interface MfaRec {
  serial: string;
  kind: 'virtual' | 'hardware';
  enableDate: Date;
}

export interface VirtualMfaRec {
  serial: string;
  totpSeed?: string;
  /** Key of the user the device is assigned to (see userKey), if any. */
  assignedTo?: string;
  enableDate?: Date;
}

/** A root user or an IAM user: the holder of long-term credentials. */
export interface UserRec {
  kind: 'root' | 'user';
  /** IAM user name; for the root user, the account id. */
  name: string;
  arn: string;
  userId: string;
  path: string;
  createDate: Date;
  /** A console password; `passwordSet` is false after CreateLoginProfile without one (recovery only). */
  loginProfile?: { createDate: Date; passwordResetRequired: boolean; passwordSet: boolean };
  accessKeys: AccessKeyRec[];
  certificates: CertificateRec[];
  mfa: MfaRec[];
  /** Identity policy of an IAM user; the root user needs none. */
  policy?: StoredPolicy;
}

export interface RoleRec {
  name: string;
  arn: string;
  roleId: string;
  trust: StoredPolicy;
  policy: StoredPolicy;
  maxSessionDuration: number;
}

export interface BucketRec {
  name: string;
  accountId: string;
  region: string;
  creationDate: Date;
  policy?: StoredPolicy;
  /** Created with x-amz-bucket-object-lock-enabled (versioned, Object Lock on). */
  objectLock?: boolean;
  /** Object versions by key, oldest first (services/s3ObjectLock.ts). */
  objects?: Map<string, S3ObjectVersion[]>;
}

export interface S3ObjectVersion {
  versionId: string;
  body: Buffer;
  etag: string;
  lastModified: Date;
  retention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; until: Date };
  deleteMarker?: boolean;
}

export interface QueueRec {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  attributes: Record<string, string>;
  policy?: StoredPolicy;
  created: Date;
  modified: Date;
}

export interface AccountRec {
  id: string;
  name: string;
  email: string;
  arn: string;
  state: AccountStateName;
  joinedMethod: 'INVITED' | 'CREATED';
  joinedTimestamp: Date;
  parentId: string;
  root: UserRec;
  users: Map<string, UserRec>;
  roles: Map<string, RoleRec>;
  /** Bucket names, kept sorted (ListBuckets order). */
  buckets: string[];
  /** Keyed by `${region}/${name}`. */
  queues: Map<string, QueueRec>;
  virtualMfa: Map<string, VirtualMfaRec>;
}

export interface OuRec {
  id: string;
  arn: string;
  name: string;
  parentId: string;
}

export interface OrgRec {
  id: string;
  arn: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  rootId: string;
  rootArn: string;
  managementAccountId: string;
  /** Service principal → date trusted access was enabled. */
  trustedServices: Map<string, Date>;
  features: { RootCredentialsManagement: boolean; RootSessions: boolean };
  /** Account id → service principals it is delegated administrator for, and since when. */
  delegatedAdmins: Map<string, { services: Set<string>; since: Date }>;
  /** Policy types enabled on the root (orgPolicies.ts). */
  policyTypes: Record<PolicyTypeName, boolean>;
}

export type CredentialOwner =
  | { type: 'iam-user'; accountId: string; userName: string }
  | { type: 'root'; accountId: string }
  | { type: 'role-session'; accountId: string; roleName: string; sessionName: string; sourceArn: string }
  | { type: 'root-session'; accountId: string; taskPolicyArn: string; sourceArn: string };

export interface CredentialRec {
  accessKeyId: string;
  secret: string;
  sessionToken?: string;
  expiration?: Date;
  owner: CredentialOwner;
}

export interface ManagementUser {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

/** A CloudWatch Logs log group (services/logs.ts), keyed by account, region and name. */
export interface LogGroupRec {
  name: string;
  arn: string;
  createdAt: Date;
  streams: Map<string, { name: string; createdAt: Date; events: { timestamp: number; message: string; ingestionTime: number }[] }>;
}

export interface Children {
  ous: string[];
  accounts: string[];
}

export class SandboxState {
  readonly accounts = new Map<string, AccountRec>();
  readonly ous = new Map<string, OuRec>();
  readonly children = new Map<string, Children>();
  readonly buckets = new Map<string, BucketRec>();
  /** CloudWatch Logs groups by `<account>|<region>|<name>`. */
  readonly logGroups = new Map<string, LogGroupRec>();
  /** Every key that can sign a request: seeded keys with secrets and issued session keys. */
  readonly credentials = new Map<string, CredentialRec>();
  /** SCPs and RCPs by id, AWS-managed ones included once their type is enabled. */
  readonly policies = new Map<string, OrgPolicyRec>();

  constructor(
    readonly org: OrgRec,
    readonly management: ManagementUser,
  ) {
    this.children.set(org.rootId, { ous: [], accounts: [] });
  }

  account(id: string): AccountRec | undefined {
    return this.accounts.get(id);
  }

  /** The parent chain from the root down to (and including) `id`: the Organizations "path". */
  lineage(id: string): string[] {
    const chain: string[] = [id];
    let parent = this.accounts.get(id)?.parentId ?? this.ous.get(id)?.parentId;
    while (parent) {
      chain.unshift(parent);
      parent = this.ous.get(parent)?.parentId;
    }
    return chain;
  }

  /** Organizations path such as o-abc/r-ab12/ou-ab12-xxxxxxxx/111122223333/. */
  path(id: string): string {
    return `${this.org.id}/${this.lineage(id).join('/')}/`;
  }

  isDelegatedAdmin(accountId: string, service: string): boolean {
    return !!this.org.delegatedAdmins.get(accountId)?.services.has(service);
  }

  queue(accountId: string, region: string, name: string): QueueRec | undefined {
    return this.accounts.get(accountId)?.queues.get(`${region}/${name}`);
  }

  /** Finds the user (root or IAM) in an account holding an access key. */
  keyHolder(accountId: string, accessKeyId: string): UserRec | undefined {
    const account = this.accounts.get(accountId);
    if (!account) return undefined;
    for (const u of [account.root, ...account.users.values()]) {
      if (u.accessKeys.some((k) => k.id === accessKeyId)) return u;
    }
    return undefined;
  }
}

/** Stable key of a user within an account, used for MFA assignment. */
export function userKey(user: UserRec): string {
  return user.kind === 'root' ? 'root' : `user/${user.name}`;
}
