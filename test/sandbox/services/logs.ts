// Amazon CloudWatch Logs (JSON 1.1, target Logs_20140328): log groups and streams per account and
// region, and PutLogEvents with CloudWatch's documented limits and answers: at most 10,000 events
// and 1,048,576 bytes per call (each event's UTF-8 message + 26 bytes), in chronological order,
// spanning at most 24 hours (InvalidParameterException otherwise); events more than 14 days old
// or 2 hours in the future are not stored and reported in rejectedLogEventsInfo; a missing group
// or stream is ResourceNotFoundException. GetLogEvents reads a stream back (oldest first).
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { JsonHandler, JsonInput } from '../protocols/json';
import type { LogGroupRec } from '../state';

export const LOGS_TARGET = 'Logs_20140328';

export const PUT_LOG_EVENTS_LIMITS = { events: 10_000, bytes: 1_048_576, overheadBytes: 26, spanMs: 24 * 3_600_000, maxAgeMs: 14 * 24 * 3_600_000, maxFutureMs: 2 * 3_600_000, eventBytes: 1_048_576 };

const NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const STREAM = /^[^:*]{1,512}$/;

function invalid(message: string): ApiError {
  return new ApiError('InvalidParameterException', message);
}

function str(input: JsonInput, name: string, pattern: RegExp): string {
  const v = input[name];
  if (typeof v !== 'string' || !pattern.test(v)) throw invalid(`1 validation error detected: Value '${String(v)}' at '${name.replace(/^./, (c) => c.toLowerCase())}' failed to satisfy constraint`);
  return v;
}

function groupOf(ctx: CallContext, input: JsonInput): LogGroupRec {
  const name = str(input, 'logGroupName', NAME);
  const group = ctx.state.logGroups.get(`${ctx.caller.principal.accountId}|${ctx.region}|${name}`);
  ctx.target = `arn:aws:logs:${ctx.region}:${ctx.caller.principal.accountId}:log-group:${name}`;
  if (!group) throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

/** Root sessions have no business with log groups (no task policy allows logs:*). */
function callerMayWrite(ctx: CallContext): void {
  if (ctx.caller.principal.type === 'root-session') {
    throw new ApiError('AccessDeniedException', `User: ${ctx.caller.principal.arn} is not authorized to perform: logs:${ctx.operation}`);
  }
}

const createLogGroup: JsonHandler = (ctx, input) => {
  callerMayWrite(ctx);
  const name = str(input, 'logGroupName', NAME);
  const key = `${ctx.caller.principal.accountId}|${ctx.region}|${name}`;
  ctx.target = `arn:aws:logs:${ctx.region}:${ctx.caller.principal.accountId}:log-group:${name}`;
  if (ctx.state.logGroups.has(key)) throw new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists');
  ctx.state.logGroups.set(key, { name, arn: `${ctx.target}:*`, createdAt: ctx.now, streams: new Map() });
  return {};
};

const createLogStream: JsonHandler = (ctx, input) => {
  callerMayWrite(ctx);
  const group = groupOf(ctx, input);
  const name = str(input, 'logStreamName', STREAM);
  if (group.streams.has(name)) throw new ApiError('ResourceAlreadyExistsException', 'The specified log stream already exists');
  group.streams.set(name, { name, createdAt: ctx.now, events: [] });
  return {};
};

const putLogEvents: JsonHandler = (ctx, input) => {
  callerMayWrite(ctx);
  const group = groupOf(ctx, input);
  const streamName = str(input, 'logStreamName', STREAM);
  const events = input.logEvents;
  if (!Array.isArray(events) || events.length === 0) throw invalid('1 validation error detected: Value null at \'logEvents\' failed to satisfy constraint: Member must not be null');
  const L = PUT_LOG_EVENTS_LIMITS;
  if (events.length > L.events) throw invalid(`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${L.events}`);
  let bytes = 0;
  const parsed = events.map((e: unknown) => {
    const { timestamp, message } = (e ?? {}) as { timestamp?: unknown; message?: unknown };
    if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || typeof message !== 'string' || !message) throw invalid('Log event must have a timestamp and a non-empty message.');
    const size = Buffer.byteLength(message, 'utf8') + L.overheadBytes;
    if (size > L.eventBytes) throw invalid('Log event too large.');
    bytes += size;
    return { timestamp, message };
  });
  if (bytes > L.bytes) throw invalid(`Upload too large: ${bytes} bytes exceeds limit of ${L.bytes}`);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i]!.timestamp < parsed[i - 1]!.timestamp) throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
  }
  if (parsed.at(-1)!.timestamp - parsed[0]!.timestamp > L.spanMs) throw invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  const stream = group.streams.get(streamName);
  if (!stream) throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const now = ctx.now.getTime();
  let tooOldEnd = -1;
  let tooNewStart = -1;
  parsed.forEach((e, i) => {
    if (e.timestamp < now - L.maxAgeMs) tooOldEnd = i + 1;
    else if (e.timestamp > now + L.maxFutureMs) {
      if (tooNewStart < 0) tooNewStart = i;
    } else stream.events.push({ ...e, ingestionTime: now });
  });
  const rejected = {
    ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    ...(tooNewStart >= 0 ? { tooNewLogEventStartIndex: tooNewStart } : {}),
  };
  return { nextSequenceToken: String(stream.events.length).padStart(56, '0'), ...(Object.keys(rejected).length ? { rejectedLogEventsInfo: rejected } : {}) };
};

const getLogEvents: JsonHandler = (ctx, input) => {
  const group = groupOf(ctx, input);
  const stream = group.streams.get(str(input, 'logStreamName', STREAM));
  if (!stream) throw new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const limit = input.limit === undefined ? 10_000 : input.limit;
  if (typeof limit !== 'number' || limit < 1 || limit > 10_000) throw invalid('limit must be between 1 and 10000');
  const scope = `GetLogEvents|${group.arn}|${stream.name}`;
  let offset = 0;
  if (input.nextToken !== undefined) {
    const read = typeof input.nextToken === 'string' ? ctx.runtime.readPageToken(scope, input.nextToken.replace(/^f\//, '')) : undefined;
    if (read === undefined) throw invalid('The specified nextToken is invalid.');
    offset = read;
  }
  // Always read forward (startFromHead): the audit tests read streams oldest first.
  const page = stream.events.slice(offset, offset + limit);
  const next = `f/${ctx.runtime.pageToken(scope, offset + page.length)}`;
  return { events: page, nextForwardToken: next, nextBackwardToken: `b/${ctx.runtime.pageToken(scope, offset)}` };
};

export const logsOperations: Record<string, JsonHandler> = {
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  PutLogEvents: putLogEvents,
  GetLogEvents: getLogEvents,
};
