import { CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { AuditEvent } from '../core/audit/types';
import type { BatchDestination, DestinationResult } from '../core/audit/delivery';
import type { AwsContext } from './context';

/**
 * PutLogEvents' documented limits (CloudWatch Logs API reference): at most 10,000 events and
 * 1,048,576 bytes per call, counting each event as its UTF-8 message plus 26 bytes, in
 * chronological order, spanning at most 24 hours.
 */
export const PUT_LOG_EVENTS_LIMITS = { events: 10_000, bytes: 1_048_576, overheadBytes: 26, spanMs: 24 * 3_600_000 };

export interface LogStreamTarget {
  logGroup: string;
  logStream: string;
}

/** Splits events (already in chronological order) into PutLogEvents calls within the limits. */
export function putLogEventsChunks(events: readonly InputLogEvent[], limits = PUT_LOG_EVENTS_LIMITS): InputLogEvent[][] {
  const chunks: InputLogEvent[][] = [];
  let current: InputLogEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message!, 'utf8') + limits.overheadBytes;
    const first = current[0];
    if (current.length && (current.length >= limits.events || bytes + size > limits.bytes || e.timestamp! - first!.timestamp! > limits.spanMs)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * The audit trail's CloudWatch Logs destination: each batch as log events of one stream in the
 * group the security team names, with the operator's own credentials (the management context's
 * chain, never a root session's). Events are sorted by time (CloudWatch requires chronological
 * order within a call; the batch is acknowledged as a whole) and split within the limits; a missing
 * stream is created. A failure fails the whole batch, which is sent again: a call that had stored
 * part of it leaves duplicates, told apart by each event's id (at least once).
 */
export function cloudWatchLogsDestination(aws: AwsContext, target: LogStreamTarget): BatchDestination {
  return {
    async send(batch, signal): Promise<DestinationResult> {
      const events = batch.events
        .map((e: AuditEvent, i) => ({ timestamp: Date.parse(e.time), message: batch.formatted[i]!, seq: e.seq }))
        .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
        .map(({ timestamp, message }) => ({ timestamp, message }));
      if (events.some((e) => Buffer.byteLength(e.message, 'utf8') + PUT_LOG_EVENTS_LIMITS.overheadBytes > PUT_LOG_EVENTS_LIMITS.bytes)) return { kind: 'tooLarge' };
      const notes: string[] = [];
      for (const chunk of putLogEventsChunks(events)) {
        const put = () => aws.limiter.run(() => aws.management.logs.send(new PutLogEventsCommand({ logGroupName: target.logGroup, logStreamName: target.logStream, logEvents: chunk }), { abortSignal: signal }));
        let result;
        try {
          result = await put();
        } catch (err) {
          if (!isMissingStream(err)) return failure(err, target);
          try {
            await aws.limiter.run(() => aws.management.logs.send(new CreateLogStreamCommand({ logGroupName: target.logGroup, logStreamName: target.logStream }), { abortSignal: signal }));
          } catch (created) {
            if (errorName(created) !== 'ResourceAlreadyExistsException') return failure(created, target);
          }
          try {
            result = await put();
          } catch (again) {
            return failure(again, target);
          }
        }
        const rejected = result.rejectedLogEventsInfo;
        if (rejected) notes.push(`CloudWatch Logs did not keep some events (${JSON.stringify(rejected)}): older than the group's retention or 14 days, or too far in the future`);
      }
      return { kind: 'acked', ...(notes.length ? { note: notes.join('; ') } : {}) };
    },
  };
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : '';
}

/** A missing stream is created; a missing group is the team's to create (reported, retried). */
function isMissingStream(err: unknown): boolean {
  return errorName(err) === 'ResourceNotFoundException' && /stream/i.test((err as Error).message);
}

function failure(err: unknown, target: LogStreamTarget): DestinationResult {
  const name = errorName(err) || 'Error';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'ResourceNotFoundException') return { kind: 'failed', reason: `CloudWatch Logs: the log group ${target.logGroup} does not exist (${message})` };
  // The SDK has already retried throttling and 5xx answers (adaptive retry); the worker backs off.
  return { kind: 'failed', reason: `CloudWatch Logs PutLogEvents to ${target.logGroup}/${target.logStream}: ${name}: ${message}` };
}
