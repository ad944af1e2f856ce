// AWS JSON 1.0/1.1 protocols (SQS, Organizations): `X-Amz-Target: Prefix.Operation`, a JSON
// object in and out; errors carry `__type` (and for SQS, which is query-compatible, the query code
// in `x-amzn-query-error: Code;Sender`).
import type { CallContext } from '../context';
import { ApiError } from '../errors';

export type JsonInput = Record<string, unknown>;
export type JsonHandler = (ctx: CallContext, input: JsonInput) => Record<string, unknown> | undefined;

export function parseJsonInput(body: Buffer): JsonInput {
  if (!body.length) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as JsonInput;
  } catch {
    // fall through to the protocol's answer for a body it cannot read
  }
  throw new ApiError('SerializationException', 'Start of structure or map found where not expected.', 400, {
    queryCode: 'SerializationException',
  });
}

/** `__type` plus the message under the member name the service uses ("message" or "Message"). */
export function jsonErrorBody(err: ApiError, messageKey: 'message' | 'Message'): string {
  return JSON.stringify({ __type: err.code, [messageKey]: err.message, ...err.extra.fields });
}

export function queryErrorHeader(err: ApiError): string | undefined {
  if (!err.extra.queryCode) return undefined;
  return `${err.extra.queryCode};${err.status >= 500 ? 'Receiver' : 'Sender'}`;
}
