/** What the analyzer knows about the resource a policy guards and about its owner. */
import type { PolicyResource } from './types';

export interface ResourceContext {
  kind: 's3' | 'sqs';
  arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: principal ARNs of the owner use the same partition. */
  partition: string;
  /** The owning account, when known (always for SQS: the queue ARN carries it). */
  owner?: string;
  org?: string;
  /** SQS only: the region from the queue ARN. */
  region?: string;
  noun: 'bucket' | 'queue';
  /** The management actions: reading or changing the policy (what the root unlock tasks allow). */
  managementActions: string[];
}

const S3_ARN = /^arn:([a-z][a-z0-9-]*):s3:::([^/:*?\s]+)$/;
const SQS_ARN = /^arn:([a-z][a-z0-9-]*):sqs:([a-z0-9-]+):(\d{12}):([^/:*?\s]+)$/;
const ACCOUNT = /^\d{12}$/;

/** The resource as context, or a sentence saying what is wrong with it. Never throws. */
export function readResource(resource: PolicyResource | unknown): ResourceContext | string {
  if (typeof resource !== 'object' || resource === null) return 'No resource was given to analyze the policy against.';
  const r = resource as Record<string, unknown>;
  const arn = typeof r.arn === 'string' ? r.arn : '';
  const accountId = r.accountId;
  if (accountId !== undefined && !(typeof accountId === 'string' && ACCOUNT.test(accountId))) {
    return `The resource's account id must be 12 digits, not ${JSON.stringify(accountId) ?? String(accountId)}.`;
  }
  const org = typeof r.organizationId === 'string' && r.organizationId ? r.organizationId : undefined;
  if (r.kind === 's3') {
    const m = S3_ARN.exec(arn);
    if (!m) return `${JSON.stringify(arn)} is not an S3 bucket ARN (arn:aws:s3:::bucket-name).`;
    return {
      kind: 's3', arn, partition: m[1], owner: accountId as string | undefined, org, noun: 'bucket',
      managementActions: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
    };
  }
  if (r.kind === 'sqs') {
    const m = SQS_ARN.exec(arn);
    if (!m) return `${JSON.stringify(arn)} is not an SQS queue ARN (arn:aws:sqs:region:account:queue-name).`;
    // The queue ARN names its owner; a different accountId from the caller would be a caller mistake.
    return {
      kind: 'sqs', arn, partition: m[1], owner: m[3], org, region: m[2], noun: 'queue',
      managementActions: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
    };
  }
  return `Unknown resource kind ${JSON.stringify(r.kind) ?? String(r.kind)} (expected "s3" or "sqs").`;
}
