import type { LimitKey } from './rateLimit';

/**
 * The request rates AWS enforces, as the client paces them (per key of src/core/rateLimit.ts).
 * Where AWS publishes a quota it is used; elsewhere a conservative guess, which the limiter lowers
 * further on a throttling answer and never raises past. The sandbox enforces the same figures
 * (test/sandbox/quotas.ts, which cites the pages).
 * - Organizations: throttled per organization (its management account) and per API; AWS does
 *   not publish the rates — guess: 10 per second per API.
 * - STS: 600 requests per second per calling account and Region (published).
 * - S3: 3,500 writes / 5,500 reads per second per partitioned prefix (published); paced per
 *   account at the lower figure.
 * - SQS control-plane calls: not published — guess: 100 per second per account.
 * - IAM: not published — guess: 20 per second per account.
 */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  organizations: 10,
  sts: 600,
  s3: 3500,
  sqs: 100,
  iam: 20,
};

/** The limiter's name for the management account (one context, one caller): its quotas are the organization's and its STS calls'. */
export const MANAGEMENT = 'management';

/** The limiter key of a call: Organizations per API (it throttles that way), the rest per service and account. */
export function limitKey(service: string, account: string, api?: string): LimitKey {
  return service === 'organizations' ? { service, account, api } : { service, account };
}

export function quotaOf(key: LimitKey): number | undefined {
  return DEFAULT_QUOTAS[key.service];
}

const SERVICE_OF_OPERATION: Array<[RegExp, string]> = [
  [/^(ListBuckets|GetBucketPolicy|PutBucketPolicy|DeleteBucketPolicy)$/, 's3'],
  [/^(ListQueues|GetQueueUrl|GetQueueAttributes|SetQueueAttributes)$/, 'sqs'],
  [/^(AssumeRoot|AssumeRole|GetCallerIdentity)$/, 'sts'],
  [/LoginProfile|AccessKey|SigningCertificate|MFADevice|AccountSummary|^GetUser$|OrganizationsFeatures|OrganizationsRoot/, 'iam'],
];

/** The service an operation name of the gate belongs to (the gate names operations, not services). */
export function serviceOf(operation: string): string {
  for (const [pattern, service] of SERVICE_OF_OPERATION) if (pattern.test(operation)) return service;
  return 'organizations';
}
