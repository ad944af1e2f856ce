/**
 * The organization's authorization policies as read once from Organizations (SCPs and RCPs, their
 * content and where each is attached). Names, ids and policy text only — no secrets — so the
 * snapshot is cached beside the organization index and refreshed with it.
 */
import type { RootTaskName } from '../tasks';

export type OrgPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
export type TargetType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

export interface PolicyTarget {
  id: string;
  name: string;
  type: TargetType;
}

export interface OrgPolicy {
  id: string;
  name: string;
  type: OrgPolicyType;
  awsManaged: boolean;
  /** The policy document as Organizations returned it (DescribePolicy's Content). */
  content: string;
  targets: PolicyTarget[];
  /**
   * The AWS-managed full-access policies (FullAWSAccess, RCPFullAWSAccess) are attached to every
   * target when their type is enabled; listing their thousands of targets would grow with the
   * accounts, so they are recorded as "everywhere except" these target ids instead (`targets` empty).
   */
  everywhereExcept?: string[];
}

export interface OrgPolicySnapshot {
  version: 1;
  organizationId: string;
  /** A policy type that is not enabled on the root applies nothing. */
  enabled: Record<OrgPolicyType, boolean>;
  policies: OrgPolicy[];
  readAt: string;
  /** AWS calls the read made (it must not grow with the number of accounts). */
  calls: number;
}

export type GuardVerdict = 'allowed' | 'blocked' | 'mayBeBlocked';

/** Why a task is (or may be) blocked: one policy statement, or a level with no Allow. */
export interface GuardFinding {
  /** Certain for the root session's requests (false: it depends on something we cannot see). */
  certain: boolean;
  policyType: OrgPolicyType;
  /** Absent when the finding is a level with no Allow at all (nothing attached allows it). */
  policy?: { id: string; name: string };
  /** Where the policy is attached (or the level that allows nothing). */
  attachedTo: PolicyTarget;
  /** `Statement[0] ("GRRESTRICTROOTUSER")` */
  statement?: string;
  /** The statement as written, for a tooltip. */
  statementText?: string;
  actions: string[];
  why: string;
  /** What to change so that root sessions pass. */
  fix: string;
}

export interface TaskGuard {
  task: RootTaskName;
  verdict: GuardVerdict;
  findings: GuardFinding[];
}

export const POLICY_TYPE_LABEL: Record<OrgPolicyType, string> = {
  SERVICE_CONTROL_POLICY: 'SCP',
  RESOURCE_CONTROL_POLICY: 'RCP',
};
