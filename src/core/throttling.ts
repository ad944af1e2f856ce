/**
 * AWS's throttling answers, by the name the SDK gives the error: Organizations
 * TooManyRequestsException, STS and IAM Throttling, S3 SlowDown, SQS RequestThrottled (JSON
 * protocol's ThrottlingException surfaced under its query code), and the generic ones other
 * services use. Matched by name (errors cross bundles), or HTTP 429.
 */
const THROTTLING = new Set([
  'TooManyRequestsException', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled',
  'RequestThrottledException', 'SlowDown', 'RequestLimitExceeded', 'TooManyRequests',
]);

export function isThrottling(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return (typeof e.name === 'string' && THROTTLING.has(e.name))
    || (typeof e.Code === 'string' && THROTTLING.has(e.Code))
    || e.$metadata?.httpStatusCode === 429;
}
