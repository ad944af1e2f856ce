// Queue URLs parsed without the SDK: flows and commands use this on arguments, outside the AWS bundle.

export interface QueueRef {
  name: string;
  url: string;
  region: string;
  accountId: string;
  arn: string;
}

/**
 * Name, account, region and ARN from a queue URL: `https://sqs.<region>.amazonaws.com/<account>/<name>`
 * (or an emulator's `http://host:port/<account>/<name>`, whose region is the client's).
 */
export function queueFromUrl(url: string, fallbackRegion: string): QueueRef {
  const u = new URL(url);
  const [accountId = '', name = ''] = u.pathname.split('/').filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(u.hostname)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\.amazonaws\.com$/.exec(u.hostname)?.[1] ?? fallbackRegion;
  return { name, url, region, accountId, arn: `arn:aws:sqs:${region}:${accountId}:${name}` };
}

/**
 * Why a queue URL given from outside (a command argument) may not be used, or undefined when it
 * may: with a custom endpoint (the sandbox) it must be on that endpoint's origin; otherwise it
 * must be AWS's own SQS host for its region over https. The SQS client never sends a request to
 * the queue URL's host (useQueueUrlAsEndpoint is off), but a URL that names another host is not
 * a queue of this account in AWS, and is refused before any root session is taken for it.
 */
export function queueUrlProblem(url: string, endpoint: string | undefined): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (u.username || u.password || u.search || u.hash) return 'a queue URL has no user, query or fragment';
  if (endpoint !== undefined) {
    const e = new URL(endpoint);
    return u.protocol === e.protocol && u.host === e.host ? undefined : `it is not on the configured endpoint ${e.origin}`;
  }
  if (u.protocol !== 'https:' || u.port) return 'AWS queue URLs are https on the default port';
  const aws = /^sqs\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com(?:\.cn)?$/.test(u.hostname)
    || /^[a-z]{2}(?:-[a-z]+)+-\d\.queue\.amazonaws\.com(?:\.cn)?$/.test(u.hostname)
    || u.hostname === 'queue.amazonaws.com';
  return aws ? undefined : `${u.hostname} is not an AWS SQS endpoint`;
}
