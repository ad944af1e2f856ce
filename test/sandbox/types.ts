// The sandbox's public data shapes: the JSON seed format, fault settings and service names.
// Seeds are plain JSON (test/sandbox/seeds/*.json) so they can be written by hand or generated.

/** The region the sandbox reports and defaults buckets and queues to. */
export const DEFAULT_REGION = 'us-east-1';

export type ServiceName = 'sts' | 'iam' | 'organizations' | 's3' | 'sqs' | 'cloudtrail' | 'logs';
export const SERVICE_NAMES: readonly ServiceName[] = ['sts', 'iam', 'organizations', 's3', 'sqs', 'cloudtrail', 'logs'];

export type AccountStateName = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

/** A policy document as JSON text (kept verbatim) or as an object (stored compact). */
export type PolicyInput = string | Record<string, unknown>;

export interface SeedAccessKey {
  accessKeyId: string; // AKIA + 16 upper-case letters/digits
  /** Only keys with a secret can sign requests; root keys usually have none in a seed. */
  secretAccessKey?: string;
  status?: 'Active' | 'Inactive';
  createDate?: string;
  lastUsed?: { date: string; service: string; region: string };
}

export interface SeedSigningCertificate {
  certificateId: string;
  status?: 'Active' | 'Inactive';
  uploadDate?: string;
  body?: string;
}

export interface SeedMfaDevice {
  serialNumber: string; // virtual: arn:aws:iam::<account>:mfa/<name>; hardware: a serial such as GAHT12345678
  type?: 'virtual' | 'hardware';
  enableDate?: string;
  /** Base32 TOTP secret of a virtual device (the demo's authenticator). Never shown in state. */
  totpSeed?: string;
}

/** The long-term credentials of a root user or an IAM user. */
export interface SeedCredentials {
  password?: boolean | { createDate?: string; passwordResetRequired?: boolean };
  accessKeys?: SeedAccessKey[];
  signingCertificates?: SeedSigningCertificate[];
  mfaDevices?: SeedMfaDevice[];
}

export interface SeedUser extends SeedCredentials {
  userName: string;
  createDate?: string;
  /** Identity policy; default: allow everything (AdministratorAccess). */
  policy?: PolicyInput;
}

export interface SeedRole {
  name: string;
  /** Default: trusts the management account (`arn:aws:iam::<management>:root`). */
  trustPolicy?: PolicyInput;
  /** Identity policy; default: allow everything (AdministratorAccess). */
  policy?: PolicyInput;
  maxSessionDuration?: number;
}

export interface SeedBucket {
  name: string;
  region?: string; // default: the sandbox region
  creationDate?: string;
  policy?: PolicyInput;
}

export interface SeedQueue {
  name: string;
  region?: string; // default: the sandbox region
  policy?: PolicyInput;
  /** Settable attributes (VisibilityTimeout, DelaySeconds, ...), as SQS strings. */
  attributes?: Record<string, string>;
  createdTimestamp?: string;
}

export interface SeedAccount {
  id: string; // 12 digits
  name: string;
  email?: string;
  state?: AccountStateName;
  joinedMethod?: 'INVITED' | 'CREATED';
  joinedTimestamp?: string;
  root?: SeedCredentials;
  users?: SeedUser[];
  /** Default for member accounts: [{ name: 'OrganizationAccountAccessRole' }]; for the management account: none. */
  roles?: SeedRole[];
  buckets?: SeedBucket[];
  queues?: SeedQueue[];
}

export interface SeedOu {
  name: string;
  id?: string; // default: derived deterministically from the OU's path
  ous?: SeedOu[];
  accounts?: SeedAccount[];
}

export interface SeedOrganization {
  id?: string; // o-[a-z0-9]{10,32}
  rootId?: string; // r-[0-9a-z]{4,32}
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  /** Trusted access for iam.amazonaws.com (default true). */
  trustedAccessForIam?: boolean;
  /** Further service principals with trusted access. */
  trustedServices?: string[];
  rootCredentialsManagement?: boolean; // default true
  rootSessions?: boolean; // default true
  /** Account id registered as delegated administrator for iam.amazonaws.com. */
  delegatedAdministrator?: string;
  /** Policy types enabled on the root (default none); enabling attaches the full-access policy everywhere. */
  policyTypes?: Array<'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'>;
}

/** An SCP or RCP, created and attached when the seed loads. */
export interface SeedPolicy {
  /** p- followed by 8 lower-case letters/digits; default derived from the name. */
  id?: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  description?: string;
  content: PolicyInput;
  /** "Root", an OU path ("Workloads/Prod") or an account id. */
  targets: string[];
}

/** The management IAM user whose keys the sandbox hands out (handle.management, CLI output). */
export interface SeedManagementUser {
  userName: string;
  accessKeyId: string; // AKIA…, 20 characters
  secretAccessKey: string; // 40 characters
  policy?: PolicyInput;
  /** A virtual device whose codes AssumeRole's SerialNumber/TokenCode are checked against (MFA profiles). */
  mfaDevices?: SeedMfaDevice[];
}

export interface SeedOrg {
  organization?: SeedOrganization;
  management: SeedAccount & { user: SeedManagementUser };
  ous?: SeedOu[];
  /** Member accounts directly under the root. */
  accounts?: SeedAccount[];
  /** SCPs and RCPs (their type must be in organization.policyTypes). */
  policies?: SeedPolicy[];
}

export interface GenerateOptions {
  accounts: number;
  ous?: number;
  bucketsPerAccount?: number;
  queuesPerAccount?: number;
  /** PRNG seed: the same options always give the same organization. */
  seed?: number;
}

import type { QuotaRates } from './quotas';

export type PerService<T> = Partial<Record<ServiceName, T>>;

export interface FaultConfig {
  /** Added to every AWS call: a fixed delay, a random range, or per service. */
  latencyMs?: number | { min: number; max: number } | PerService<number>;
  /** Requests per second per service; beyond it the service's throttling error. */
  throttle?: PerService<number>;
  /**
   * AWS's own request quotas, keyed as AWS keys them (quotas.ts): `true` for AWS's figures, or
   * some of them changed. Beyond a key's rate, the service's throttling error.
   */
  quotas?: boolean | Partial<QuotaRates>;
  /** Probability (0–1) of a 5xx answer, overall or per service. */
  errorRate?: number | PerService<number>;
  /** Probability (0–1) that the connection is destroyed instead of answered. */
  resetRate?: number | PerService<number>;
  /** Probability (0–1) that an Organizations list page comes back empty (with a NextToken). */
  emptyPageRate?: number;
  /** Seed for the fault dice, for reproducible runs. */
  seed?: number;
  /** Calls whose target (OU/parent id, account id, bucket ARN, ...) is listed always fail with a 5xx: a permanent outage of one part. */
  failTargets?: string[];
  /** How long CloudTrail takes to deliver an event to LookupEvents (ms; default 0). */
  cloudTrailDelayMs?: number;
}
