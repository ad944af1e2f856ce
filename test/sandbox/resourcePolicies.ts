// Validation of bucket and queue policies as S3 and SQS apply it when a policy is set: a valid
// resource policy whose actions belong to the service and whose resources name this bucket/queue.
import { parsePolicy, PolicyError } from './policyDocument';
import type { StoredPolicy } from './state';
import { wildcardMatch } from './wildcard';

const MAX_POLICY_BYTES = 20 * 1024;

function checkActions(patterns: readonly string[], service: string): void {
  for (const a of patterns) {
    if (a !== '*' && !a.toLowerCase().startsWith(`${service}:`)) throw new PolicyError('Policy has invalid action');
  }
}

function couldMatch(pattern: string, targets: readonly string[]): boolean {
  return targets.some((t) => wildcardMatch(pattern, t));
}

/** A bucket policy resource must name the bucket or objects in it (wildcards allowed). */
function inBucket(pattern: string, bucketArn: string): boolean {
  const wild = pattern.search(/[*?]/);
  const fixed = wild < 0 ? pattern : pattern.slice(0, wild);
  return pattern === bucketArn || fixed.startsWith(`${bucketArn}/`) || `${bucketArn}/`.startsWith(fixed) || couldMatch(pattern, [bucketArn]);
}

/** S3 PutBucketPolicy's checks; throws PolicyError (S3 answers MalformedPolicy). */
export function parseBucketPolicy(text: string, bucket: string): StoredPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw new PolicyError('Policy exceeds the maximum allowed document size.');
  const parsed = parsePolicy(text, 'resource');
  const arn = `arn:aws:s3:::${bucket}`;
  for (const s of parsed.statements) {
    checkActions(s.actionPatterns, 's3');
    const resources = s.resources ?? s.notResources;
    if (!resources) throw new PolicyError('Missing required field Resource');
    if (s.resources && !s.resources.every((r) => r.includes('${') || inBucket(r, arn))) {
      throw new PolicyError('Policy has invalid resource');
    }
  }
  return { text, parsed };
}

/** SQS SetQueueAttributes(Policy) checks; throws PolicyError (SQS answers InvalidAttributeValue). */
export function parseQueuePolicy(text: string, queueArn: string): StoredPolicy {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw new PolicyError('Policy exceeds the maximum allowed size.');
  const parsed = parsePolicy(text, 'resource');
  for (const s of parsed.statements) {
    checkActions(s.actionPatterns, 'sqs');
    if (s.resources && !s.resources.every((r) => r.includes('${') || couldMatch(r, [queueArn]))) {
      throw new PolicyError('Policy has invalid resource');
    }
  }
  return { text, parsed };
}
