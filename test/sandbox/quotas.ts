// AWS's request-rate quotas, keyed the way AWS keys them: a token bucket per key (a second's worth
// of burst), the service's own throttling error beyond it. On with the `quotas` fault setting.
import type { ServiceName } from './types';

/**
 * Requests per second. Sources (cited in README.md, "Quotas"):
 * - STS: 600 per second per calling account and Region — IAM and AWS STS quotas
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * - S3: 5,500 GET/HEAD and 3,500 PUT/COPY/POST/DELETE per second per partitioned prefix — Best
 *   practices design patterns: optimizing Amazon S3 performance
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html).
 * GUESSES (AWS publishes no figure; conservative, marked so in the README):
 * - Organizations: 10 per second per API for the organization (its management account) —
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html lists no rate.
 * - S3 ListBuckets: 50 per second per account.
 * - SQS queue-attribute and listing calls: 100 per second per account.
 * - IAM: 20 per second per account (IAM throttles per account and API with unpublished buckets).
 */
export interface QuotaRates {
  organizationsPerApi: number;
  stsPerAccount: number;
  s3ReadsPerBucket: number;
  s3WritesPerBucket: number;
  s3ListBucketsPerAccount: number;
  sqsPerAccount: number;
  iamPerAccount: number;
}

export const AWS_QUOTAS: QuotaRates = {
  organizationsPerApi: 10,
  stsPerAccount: 600,
  s3ReadsPerBucket: 5500,
  s3WritesPerBucket: 3500,
  s3ListBucketsPerAccount: 50,
  sqsPerAccount: 100,
  iamPerAccount: 20,
};

export interface QuotaCall {
  service: ServiceName;
  operation: string;
  /** The caller's account (the management account for Organizations calls). */
  account: string;
  method: string;
  path: string;
}

/** The bucket key and rate of a call, as AWS keys it. */
export function quotaKey(rates: QuotaRates, call: QuotaCall): { key: string; rate: number } {
  switch (call.service) {
    case 'organizations':
      // Organizations throttles the organization's calls (made in the management account) per API.
      return { key: `organizations|${call.operation}`, rate: rates.organizationsPerApi };
    case 'sts':
      return { key: `sts|${call.account}`, rate: rates.stsPerAccount };
    case 's3': {
      const bucket = call.path.split('/')[1];
      if (!bucket) return { key: `s3|${call.account}|list`, rate: rates.s3ListBucketsPerAccount };
      const write = call.method !== 'GET' && call.method !== 'HEAD';
      // Bucket-policy calls all hit the bucket's root prefix.
      return write ? { key: `s3|${bucket}|write`, rate: rates.s3WritesPerBucket } : { key: `s3|${bucket}|read`, rate: rates.s3ReadsPerBucket };
    }
    case 'sqs':
      return { key: `sqs|${call.account}`, rate: rates.sqsPerAccount };
    case 'iam':
      return { key: `iam|${call.account}`, rate: rates.iamPerAccount };
    // Published: LookupEvents 2 requests per second per account and region; PutLogEvents 5,000 per
    // second per account and region (the audit destinations' own quotas); other Logs calls: 50, a
    // conservative guess.
    case 'cloudtrail':
      return { key: `cloudtrail|${call.account}|${call.operation}`, rate: 2 };
    case 'logs':
      return { key: `logs|${call.account}|${call.operation}`, rate: call.operation === 'PutLogEvents' ? 5000 : 50 };
  }
}

/** Token buckets by key: `rate` tokens per second, a burst of one second's worth. */
export class QuotaBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rates: QuotaRates) {}

  /** True when the call is over its key's quota (and so answered with the throttling error). */
  throttled(call: QuotaCall, nowMs: number): boolean {
    const { key, rate } = quotaKey(this.rates, call);
    const b = this.buckets.get(key) ?? { tokens: rate, at: nowMs };
    b.tokens = Math.min(rate, b.tokens + ((nowMs - b.at) / 1000) * rate);
    b.at = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  }
}
