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

