// AWS query protocol (STS, IAM): form-encoded parameters in, XML `<XResponse><XResult>` out,
// errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import { escapeXml, tag } from '../xml';

export type QueryHandler = (ctx: CallContext, p: QueryParams) => string | undefined;

/** Form-decodes a body (`+` is a space, as in application/x-www-form-urlencoded). */
export function parseForm(body: string, into = new Map<string, string>()): Map<string, string> {
  for (const part of body.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    into.set(decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1)));
  }
  return into;
}

function validation(message: string): ApiError {
  return new ApiError('ValidationError', `1 validation error detected: ${message}`, 400);
}

/** Typed access to query parameters with AWS's validation errors. */
export class QueryParams {
  constructor(private readonly map: Map<string, string>) {}

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  required(name: string): string {
    const v = this.map.get(name);
    if (v === undefined || v === '') {
      throw validation(`Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
    }
    return v;
  }

  /** A string whose length and pattern the model constrains. */
  checked(name: string, value: string | undefined, min: number, max: number, pattern?: RegExp): string | undefined {
    if (value === undefined) return undefined;
    const field = `${name[0]!.toLowerCase()}${name.slice(1)}`;
    if (value.length < min) throw validation(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    if (value.length > max) throw validation(`Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    if (pattern && !pattern.test(value)) throw validation(`Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
    return value;
  }

  int(name: string, min: number, max: number): number | undefined {
    const raw = this.map.get(name);
    if (raw === undefined) return undefined;
    const field = `${name[0]!.toLowerCase()}${name.slice(1)}`;
    if (!/^-?\d+$/.test(raw)) throw validation(`Value '${raw}' at '${field}' failed to satisfy constraint: Member must be a number`);
    const n = Number(raw);
    if (n < min) throw validation(`Value '${raw}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    if (n > max) throw validation(`Value '${raw}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    return n;
  }
}

export function queryResponse(action: string, xmlns: string, result: string | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return `<${action}Response xmlns="${xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function queryError(xmlns: string, err: ApiError, requestId: string): string {
  const type = err.extra.fault ?? (err.status >= 500 ? 'Receiver' : 'Sender');
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>${tag('Code', err.code)}` +
    `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
