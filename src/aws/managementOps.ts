import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { OrgAccount, OrganizationInfo } from '../core/orgIndex';
import type { OrgPolicySnapshot } from '../core/orgPolicies/types';
import type { CallGate } from '../core/gate';
import type { RootTaskName } from '../core/tasks';
import type { ServiceClients } from './clients';
import { findAssumeRootEvent, type AssumeRootTrailEvent } from './cloudTrail';
import { cloudWatchLogsDestination, type LogStreamTarget } from './cloudWatchLogs';
import { objectLockDestination, type ObjectLockTarget } from './s3ObjectLock';
import type { BatchDestination } from '../core/audit/delivery';
import type { AwsContext, CallerIdentity } from './context';
import {
  describeOrganizationFacts, enableTrustedAccess, listOrganizationFeatures, readTrustedAccess, setOrganizationFeature,
  type OrganizationFacts, type OrgFeature, type OrgFeatures, type TrustedAccess,
} from './orgFeatures';
import { describeOrganization, listAccountsFlat, listParent, walkOrganization, type ParentPage, type ParentResult, type WalkProgress, type WalkSummary } from './orgListing';
import { readOrgPolicies } from './orgPolicies';
import { assumeRoot, type RootSession } from './rootSession';
import { bindSessionOps, type SessionOps } from './sessionOps';

/** A member-account session that is not root (the scan's role mode): its bound operations, ended after use. */
export interface RoleSession {
  readonly accountId: string;
  readonly ops: SessionOps;
  end(): void;
}

/**
 * The management credentials' AWS operations, bound to the current context (settings, clients,
 * limiter): what flows and services call, naming only the operation and its arguments.
 */
export interface ManagementOps {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly concurrency: number;
  callerIdentity(): Promise<CallerIdentity>;
  describeOrganization(): Promise<OrganizationInfo>;
  listParent(parentId: string, onPage?: (soFar: ParentPage) => void): Promise<ParentResult>;
  /** Every account, flat (ListAccounts), before the tree places them: Go to Account finds them at once. */
  listAccounts(onPage: (accounts: OrgAccount[]) => void, isCancelled?: () => boolean): Promise<{ accounts: number; calls: number }>;
  walkOrganization(
    rootId: string, onParent: (p: WalkProgress) => void, isCancelled?: () => boolean, onPage?: (parentId: string, soFar: ParentPage) => void,
  ): Promise<WalkSummary>;
  /** The organization's SCPs and RCPs and their targets, read once for the whole organization. */
  readOrgPolicies(organizationId: string): Promise<OrgPolicySnapshot>;
  describeOrganizationFacts(gate: CallGate): Promise<OrganizationFacts>;
  listOrganizationFeatures(gate: CallGate): Promise<OrgFeatures>;
  setOrganizationFeature(gate: CallGate, feature: OrgFeature, enable: boolean): Promise<OrgFeatures>;
  readTrustedAccess(gate: CallGate): Promise<TrustedAccess>;
  enableTrustedAccess(gate: CallGate): Promise<TrustedAccess>;
  /**
   * AssumeRoot. Only the session runner's environment may call this (src/flows/env.ts):
   * every root session goes through guardrails, the intent gate and the registry
   * (test/unit/flows/oneRootPath.test.ts keeps it the only caller).
   */
  assumeRoot(request: { accountId: string; task: RootTaskName; durationSeconds?: number }): Promise<RootSession>;
  /** The AssumeRoot event CloudTrail recorded for a root session's key id (undefined: not delivered yet). */
  findAssumeRootEvent(accessKeyId: string, since: Date): Promise<AssumeRootTrailEvent | undefined>;
  /** The audit trail's CloudWatch Logs destination, with these (the operator's) credentials. */
  cloudWatchLogsDestination(target: LogStreamTarget): BatchDestination;
  /** The audit trail's S3 destination with Object Lock, with these (the operator's) credentials. */
  objectLockDestination(target: ObjectLockTarget, format: 'native' | 'ocsf'): BatchDestination;
  /** A role session in a member account (scan role mode), through the gate (audited, paced). */
  assumeRole(gate: CallGate, accountId: string, roleName: string): Promise<RoleSession>;
}

export function bindManagementOps(aws: AwsContext): ManagementOps {
  return {
    region: aws.settings.region,
    endpoint: aws.settings.endpoint,
    concurrency: aws.settings.concurrency,
    callerIdentity: () => aws.callerIdentity(),
    describeOrganization: () => describeOrganization(aws),
    listParent: (parentId, onPage) => listParent(aws, parentId, onPage),
    listAccounts: (onPage, isCancelled) => listAccountsFlat(aws, onPage, isCancelled),
    walkOrganization: (rootId, onParent, isCancelled, onPage) => walkOrganization(aws, rootId, onParent, isCancelled, onPage),
    readOrgPolicies: (organizationId) => readOrgPolicies(aws, organizationId),
    describeOrganizationFacts: (gate) => describeOrganizationFacts(aws, gate),
    listOrganizationFeatures: (gate) => listOrganizationFeatures(aws, gate),
    setOrganizationFeature: (gate, feature, enable) => setOrganizationFeature(aws, gate, feature, enable),
    readTrustedAccess: (gate) => readTrustedAccess(aws, gate),
    enableTrustedAccess: (gate) => enableTrustedAccess(aws, gate),
    assumeRoot: (request) => assumeRoot(aws, request),
    assumeRole: (gate, accountId, roleName) => assumeRole(aws, gate, accountId, roleName),
    findAssumeRootEvent: (accessKeyId, since) => findAssumeRootEvent(aws, accessKeyId, since),
    cloudWatchLogsDestination: (target) => cloudWatchLogsDestination(aws, target),
    objectLockDestination: (target, format) => objectLockDestination(aws, target, format),
  };
}

async function assumeRole(aws: AwsContext, gate: CallGate, accountId: string, roleName: string): Promise<RoleSession> {
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  const r = await gate.read('AssumeRole', roleArn, () =>
    aws.management.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'root-tasks-scan', DurationSeconds: 900 })),
  );
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration?: Date } | undefined = {
    accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration,
  };
  const byRegion = new Map<string, ServiceClients>();
  const clients = (region = aws.settings.region) => {
    if (!credentials) throw new Error('The role session has ended');
    let made = byRegion.get(region);
    if (!made) byRegion.set(region, (made = aws.clientsFor(credentials, region)));
    return made;
  };
  return {
    accountId,
    ops: bindSessionOps(clients, aws.settings.region),
    end: () => {
      for (const made of byRegion.values()) made.destroy();
      byRegion.clear();
      credentials = undefined;
    },
  };
}
