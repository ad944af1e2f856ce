import { LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { AwsContext } from './context';

/** The AssumeRoot event CloudTrail recorded for a root session. */
export interface AssumeRootTrailEvent {
  eventId: string;
  eventTime?: Date;
}

/**
 * LookupEvents is limited to 2 requests per second per account and region (CloudTrail quotas):
 * each lookup of a context reserves a slot 500 ms after the previous one, however many sessions
 * (a scan's) are being correlated at once.
 */
const nextSlot = new WeakMap<AwsContext, number>();
async function paced<T>(aws: AwsContext, call: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const at = Math.max(now, nextSlot.get(aws) ?? 0);
  nextSlot.set(aws, at + 500);
  if (at > now) await new Promise((r) => setTimeout(r, at - now));
  return call();
}

/**
 * Finds the AssumeRoot event that issued `accessKeyId` in the management account's event history
 * (LookupEvents, with the operator's own management credentials). Asked first by the
 * AccessKeyId attribute, then by ResourceName (CloudTrail lists the issued key as an
 * AWS::IAM::AccessKey resource of the event; which of the two finds it is not documented for
 * AssumeRoot, so both are asked). An event counts only when its record's
 * responseElements.credentials.accessKeyId is that key: the AccessKeyId attribute also matches
 * calls signed with the key. Undefined while CloudTrail has not delivered it (minutes, in AWS).
 */
export async function findAssumeRootEvent(aws: AwsContext, accessKeyId: string, since: Date): Promise<AssumeRootTrailEvent | undefined> {
  for (const key of ['AccessKeyId', 'ResourceName'] as LookupAttributeKey[]) {
    let token: string | undefined;
    // Two pages at most: the attribute narrows the history to a handful of events.
    for (let page = 0; page < 2; page++) {
      const r = await paced(aws, () => aws.limiter.run(() => aws.management.cloudtrail.send(new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: key, AttributeValue: accessKeyId }],
        StartTime: since,
        MaxResults: 50,
        NextToken: token,
      }))));
      for (const e of r.Events ?? []) {
        if (e.EventName === 'AssumeRoot' && e.EventId && issuedKeyOf(e.CloudTrailEvent) === accessKeyId) return { eventId: e.EventId, eventTime: e.EventTime };
      }
      token = r.NextToken;
      if (!token) break;
    }
  }
  return undefined;
}

/** responseElements.credentials.accessKeyId of a CloudTrail record; nothing else of it is kept. */
function issuedKeyOf(record: string | undefined): string | undefined {
  if (!record) return undefined;
  try {
    const parsed = JSON.parse(record) as { responseElements?: { credentials?: { accessKeyId?: unknown } } | null };
    const id = parsed.responseElements?.credentials?.accessKeyId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
