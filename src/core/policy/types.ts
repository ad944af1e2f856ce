/** The bucket or queue a policy is attached to, and what the caller knows about its owner. */
export type PolicyResource =
  | {
      kind: 's3';
      /** `arn:aws:s3:::bucket` */
      arn: string;
      /** The bucket owner's account. Bucket ARNs do not carry it; without it some verdicts are "suspected". */
      accountId?: string;
      /** The owner's organization id (`o-…`), used for `aws:PrincipalOrgID` conditions. */
      organizationId?: string;
    }
  | {
      kind: 'sqs';
      /** `arn:aws:sqs:region:account:queue` (its account is the owner). */
      arn: string;
      accountId?: string;
      organizationId?: string;
    };

export type PolicyVerdict = 'locked' | 'suspected' | 'fine' | 'invalid';

export interface OffendingStatement {
  /** Position in the policy's Statement list (0 when Statement is a single object). */
  index: number;
  sid?: string;
  /** The statement exactly as it appears in the policy. */
  statement: unknown;
  /** One or two sentences for a tooltip: what it denies, to whom, and why it locks. */
  why: string;
  /** `locked`: certain for every IAM user and role; `suspected`: only under conditions we cannot see. */
  verdict: 'locked' | 'suspected';
  /** It denies reading or changing the policy itself (only the root user can then fix it). */
  blocksPolicyManagement: boolean;
}

export type PolicyFix =
  | { kind: 'put'; policy: object; text: string }
  | { kind: 'delete' };

export interface PolicyAnalysis {
  verdict: PolicyVerdict;
  /** Human-readable summary lines. */
  reasons: string[];
  offending: OffendingStatement[];
  /** Some statement certainly denies every IAM principal policy management. */
  locksPolicyManagement: boolean;
  /** The policy minus the offending statements; `delete` when none would remain. Only for locked/suspected. */
  fix: PolicyFix | undefined;
  /** Why the document is `invalid` (empty otherwise). */
  problems: string[];
}
