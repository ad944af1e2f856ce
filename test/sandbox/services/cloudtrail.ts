// AWS CloudTrail (JSON 1.1, target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101):
// LookupEvents over the sandbox's event history (cloudTrail.ts) with CloudTrail's request checks,
// paging and shapes (EventTime in epoch seconds, ReadOnly as a string, CloudTrailEvent as a JSON
// string). Only delivered events are answered (the delivery delay of faults.cloudTrailDelayMs).
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { JsonHandler, JsonInput } from '../protocols/json';
import type { TrailEvent } from '../cloudTrail';

export const CLOUDTRAIL_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101';

const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

function matches(e: TrailEvent, key: AttributeKey, value: string): boolean {
  switch (key) {
    case 'EventId': return e.eventId === value;
    case 'EventName': return e.eventName === value;
    case 'ReadOnly': return String(e.readOnly) === value;
    case 'Username': return e.username === value;
    case 'ResourceType': return e.resources.some((r) => r.ResourceType === value);
    case 'ResourceName': return e.resources.some((r) => r.ResourceName === value);
    case 'EventSource': return e.eventSource === value;
    case 'AccessKeyId': return e.accessKeyId === value;
  }
}

/** Epoch seconds (what the SDK sends for a timestamp in JSON protocols) or an ISO string. */
function time(input: JsonInput, name: string): Date | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const d = typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new ApiError('SerializationException', `Invalid timestamp for ${name}`);
  return d;
}

const lookupEvents: JsonHandler = (ctx: CallContext, input) => {
  const attrs = input.LookupAttributes;
  if (attrs !== undefined && (!Array.isArray(attrs) || attrs.length > 1)) {
    throw new ApiError('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
  }
  const attr = (attrs as { AttributeKey?: unknown; AttributeValue?: unknown }[] | undefined)?.[0];
  if (attr && (!ATTRIBUTE_KEYS.includes(attr.AttributeKey as AttributeKey) || typeof attr.AttributeValue !== 'string' || !attr.AttributeValue)) {
    throw new ApiError('InvalidLookupAttributesException', `Invalid lookup attribute: ${String(attr.AttributeKey)}.`);
  }
  const start = time(input, 'StartTime');
  const end = time(input, 'EndTime');
  if (start && end && start > end) throw new ApiError('InvalidTimeRangeException', 'Start time must be before end time.');
  const max = input.MaxResults === undefined ? 50 : input.MaxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw new ApiError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  }
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') {
    throw new ApiError('InvalidEventCategoryException', 'EventCategory must be insight.');
  }
  const scope = `LookupEvents|${ctx.caller.principal.accountId}|${JSON.stringify(attr ?? null)}|${start?.getTime()}|${end?.getTime()}`;
  let offset = 0;
  if (input.NextToken !== undefined) {
    const read = typeof input.NextToken === 'string' ? ctx.runtime.readPageToken(scope, input.NextToken) : undefined;
    if (read === undefined) throw new ApiError('InvalidNextTokenException', 'Invalid NextToken.');
    offset = read;
  }
  // Insight events are never recorded here: that category always answers an empty list.
  const all = input.EventCategory === 'insight' ? [] : ctx.runtime.trail.delivered(ctx.caller.principal.accountId, ctx.now, ctx.runtime.cloudTrailDelayMs());
  const found = all.filter((e) => (!attr || matches(e, attr.AttributeKey as AttributeKey, attr.AttributeValue as string))
    && (!start || e.eventTime >= start) && (!end || e.eventTime <= end));
  const page = found.slice(offset, offset + max);
  return {
    Events: page.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      AccessKeyId: e.accessKeyId,
      EventTime: e.eventTime.getTime() / 1000,
      EventSource: e.eventSource,
      ...(e.username ? { Username: e.username } : {}),
      Resources: e.resources,
      CloudTrailEvent: JSON.stringify(e.record),
    })),
    ...(offset + max < found.length ? { NextToken: ctx.runtime.pageToken(scope, offset + max) } : {}),
  };
};

export const cloudTrailOperations: Record<string, JsonHandler> = { LookupEvents: lookupEvents };
