// The sandbox's CloudTrail event history: what LookupEvents answers. Records management events the
// way CloudTrail does (the AssumeRoot call in the management account, every call a root session
// makes in its member account), each visible to LookupEvents only after a configurable delivery
// delay (`faults.cloudTrailDelayMs`; AWS documents about 5 minutes, typically) so that callers
// have to retry while CloudTrail has not delivered yet.
import { randomUUID } from 'node:crypto';

export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: Date;
  /** The account whose event history holds it (CloudTrail's recipientAccountId). */
  recipientAccountId: string;
  readOnly: boolean;
  /** The key that signed the request (LookupEvents' AccessKeyId attribute). */
  accessKeyId: string;
  username?: string;
  resources: { ResourceType: string; ResourceName: string }[];
  /** The full CloudTrail record, served as a JSON string in `CloudTrailEvent`. */
  record: Record<string, unknown>;
}

export type NewTrailEvent = Omit<TrailEvent, 'eventId' | 'record'> & { record: Omit<Record<string, unknown>, 'eventID'> };

export class TrailStore {
  private events: TrailEvent[] = [];

  constructor(private readonly limit = 50_000) {}

  add(event: NewTrailEvent): TrailEvent {
    const eventId = randomUUID();
    const stored: TrailEvent = { ...event, eventId, record: { ...event.record, eventID: eventId } };
    this.events.push(stored);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    return stored;
  }

  /** Events of one account delivered by `now`, newest first (LookupEvents' order). */
  delivered(accountId: string, now: Date, delayMs: number): TrailEvent[] {
    return this.events.filter((e) => e.recipientAccountId === accountId && e.eventTime.getTime() + delayMs <= now.getTime()).reverse();
  }

  /** Everything recorded, delivered or not (the control API's view). */
  all(): readonly TrailEvent[] {
    return this.events;
  }

  clear(): void {
    this.events = [];
  }
}

/** What CloudTrail would record for a call, or undefined when the sandbox's history leaves it out. */
export function trailEventFor(
  ctx: import('./context').CallContext,
  failure?: { code: string; message: string },
): NewTrailEvent | undefined {
  const p = ctx.caller.principal;
  const assumeRoot = ctx.service === 'sts' && ctx.operation === 'AssumeRoot';
  // The history holds what root access leaves behind: AssumeRoot in the management account and
  // every call a root session makes in its member account.
  if (!assumeRoot && p.type !== 'root-session') return undefined;
  const issued = assumeRoot && !failure ? ctx.logDetail?.issuedAccessKeyId : undefined;
  const cred = issued ? ctx.state.credentials.get(issued) : undefined;
  const userIdentity = p.type === 'root-session' || p.type === 'root'
    ? { type: 'Root', principalId: p.accountId, arn: `arn:aws:iam::${p.accountId}:root`, accountId: p.accountId, accessKeyId: ctx.caller.accessKeyId }
    : { type: p.type === 'iam-user' ? 'IAMUser' : 'AssumedRole', principalId: ctx.caller.userId, arn: p.arn, accountId: p.accountId, accessKeyId: ctx.caller.accessKeyId,
      ...(ctx.caller.user ? { userName: ctx.caller.user.name } : {}) };
  const eventSource = `${ctx.service}.amazonaws.com`;
  const readOnly = /^(Get|List|Describe|Lookup|Head)/.test(ctx.operation);
  const resources = [
    ...(issued ? [{ ResourceType: 'AWS::IAM::AccessKey', ResourceName: issued }] : []),
    ...(ctx.target ? [{ ResourceType: assumeRoot ? 'AWS::IAM::Root' : 'AWS::Resource', ResourceName: ctx.target }] : []),
  ];
  return {
    eventName: ctx.operation,
    eventSource,
    eventTime: ctx.now,
    recipientAccountId: p.accountId,
    readOnly,
    accessKeyId: ctx.caller.accessKeyId,
    username: ctx.caller.user?.name ?? (p.type === 'root-session' ? 'root' : undefined),
    resources,
    record: {
      eventVersion: '1.09',
      userIdentity,
      eventTime: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource,
      eventName: ctx.operation,
      awsRegion: ctx.region,
      sourceIPAddress: ctx.sourceIp,
      userAgent: 'sandbox',
      ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}),
      requestParameters: assumeRoot
        ? { targetPrincipal: ctx.target?.replace(/^arn:aws:iam::(\d{12}):root$/, '$1'), taskPolicyArn: { arn: ctx.logDetail?.taskPolicyArn } }
        : null,
      // The session token is left out of the sandbox's copy; the secret key never appears in CloudTrail.
      responseElements: issued ? { credentials: { accessKeyId: issued, expiration: cred?.expiration?.toUTCString() } } : null,
      requestID: ctx.requestId,
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: p.accountId,
      eventCategory: 'Management',
    },
  };
}
