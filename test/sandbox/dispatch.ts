// From a received request to a service operation and back: which service (the SigV4 credential
// scope), which operation (query Action, JSON X-Amz-Target, S3 method and path), and how results
// and errors are written in that service's protocol.
import type { CallContext } from './context';
import { ApiError, errorOf } from './errors';
import { jsonErrorBody, parseJsonInput, queryErrorHeader, type JsonHandler } from './protocols/json';
import { parseForm, QueryParams, queryError, queryResponse, type QueryHandler } from './protocols/query';
import { s3ErrorXml, s3Operation, s3Payload, s3Route } from './protocols/s3rest';
import { s3HostId } from './ids';
import { iamOperations, IAM_VERSION, IAM_XMLNS } from './services/iam';
import { ORGANIZATIONS_TARGET, organizationsOperations } from './services/organizations';
import { CLOUDTRAIL_TARGET, cloudTrailOperations } from './services/cloudtrail';
import { LOGS_TARGET, logsOperations } from './services/logs';
import { handleS3 } from './services/s3';
import { SQS_TARGET, sqsOperations } from './services/sqs';
import { stsOperations, STS_VERSION, STS_XMLNS } from './services/sts';
import type { RawRequest, SigV4Auth } from './sigv4';
import { SERVICE_NAMES, type ServiceName } from './types';

export interface Outgoing {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const QUERY: Partial<Record<ServiceName, { xmlns: string; version: string; ops: Record<string, QueryHandler> }>> = {
  sts: { xmlns: STS_XMLNS, version: STS_VERSION, ops: stsOperations },
  iam: { xmlns: IAM_XMLNS, version: IAM_VERSION, ops: iamOperations },
};

const JSON_RPC: Partial<Record<ServiceName, { target: string; altTarget?: string; version: string; messageKey: 'message' | 'Message'; ops: Record<string, JsonHandler> }>> = {
  organizations: { target: ORGANIZATIONS_TARGET, version: '1.1', messageKey: 'Message', ops: organizationsOperations },
  sqs: { target: SQS_TARGET, version: '1.0', messageKey: 'message', ops: sqsOperations },
  // CloudTrail answers both the model's target prefix (botocore, the CLI) and the Smithy shape name the JS SDK v3 sends.
  logs: { target: LOGS_TARGET, version: '1.1', messageKey: 'message', ops: logsOperations },
  cloudtrail: { target: CLOUDTRAIL_TARGET, altTarget: 'CloudTrail_20131101', version: '1.1', messageKey: 'message', ops: cloudTrailOperations },
};

export interface Identified {
  service: ServiceName;
  operation: string;
  queryParams?: QueryParams;
}

function header(raw: RawRequest, name: string): string {
  const v = raw.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** The service a request is for: its credential scope, or (unsigned) what the request looks like. */
export function identify(raw: RawRequest, auth: SigV4Auth | 'missing' | 'malformed'): Identified | undefined {
  let service: string;
  if (typeof auth === 'object') service = auth.service;
  else {
    const target = header(raw, 'x-amz-target');
    const form = header(raw, 'content-type').startsWith('application/x-www-form-urlencoded') ? raw.body.toString('utf8') : '';
    if (target.startsWith(`${SQS_TARGET}.`)) service = 'sqs';
    else if (target.startsWith(`${ORGANIZATIONS_TARGET}.`)) service = 'organizations';
    else if (target.startsWith(`${LOGS_TARGET}.`)) service = 'logs';
    else if (target.startsWith(`${CLOUDTRAIL_TARGET}.`) || target.startsWith('CloudTrail_20131101.')) service = 'cloudtrail';
    else if (/(^|&)Version=2011-06-15(&|$)/.test(form)) service = 'sts';
    else if (/(^|&)Version=2010-05-08(&|$)/.test(form)) service = 'iam';
    else service = 's3';
  }
  if (!(SERVICE_NAMES as readonly string[]).includes(service)) return undefined;
  const s = service as ServiceName;
  const q = QUERY[s];
  if (q) {
    const params = parseForm(raw.body.toString('utf8'));
    for (const [k, v] of Object.entries(raw.query)) if (!params.has(k)) params.set(k, Array.isArray(v) ? v[0]! : v);
    return { service: s, operation: params.get('Action') ?? 'Unknown', queryParams: new QueryParams(params) };
  }
  const j = JSON_RPC[s];
  if (j) {
    const target = header(raw, 'x-amz-target');
    const prefix = [j.target, j.altTarget].find((t) => t && target.startsWith(`${t}.`));
    return { service: s, operation: prefix ? target.slice(prefix.length + 1) : 'Unknown' };
  }
  return { service: s, operation: s3Operation(raw.method, s3Route(raw.path), raw.query) };
}

export function renderError(service: ServiceName, err: ApiError, requestId: string, method = 'POST'): Outgoing {
  const headers: Record<string, string> = { ...err.extra.headers };
  const q = QUERY[service];
  if (q) {
    return { status: err.status, headers: { ...headers, 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: queryError(q.xmlns, err, requestId) };
  }
  const j = JSON_RPC[service];
  if (j) {
    const compat = queryErrorHeader(err);
    if (compat && service === 'sqs') headers['x-amzn-query-error'] = compat;
    return {
      status: err.status,
      headers: { ...headers, 'content-type': `application/x-amz-json-${j.version}`, 'x-amzn-requestid': requestId },
      body: jsonErrorBody(err, j.messageKey),
    };
  }
  const hostId = s3HostId();
  const body = method === 'HEAD' ? '' : s3ErrorXml(err, requestId, hostId);
  return { status: err.status, headers: { ...headers, 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId }, body };
}

/** Runs the operation for an authenticated request and writes its result. */
export function invoke(ctx: CallContext, id: Identified, raw: RawRequest, auth: SigV4Auth): Outgoing {
  const q = QUERY[id.service];
  if (q) {
    const version = id.queryParams!.get('Version');
    const handler = Object.hasOwn(q.ops, id.operation) ? q.ops[id.operation] : undefined;
    if (!handler || version !== q.version) {
      throw errorOf(id.service, 'unknownOperation', `Could not find operation ${id.operation} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
    }
    const result = handler(ctx, id.queryParams!);
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId }, body: queryResponse(id.operation, q.xmlns, result, ctx.requestId) };
  }
  const j = JSON_RPC[id.service];
  if (j) {
    const handler = Object.hasOwn(j.ops, id.operation) ? j.ops[id.operation] : undefined;
    if (!handler) throw errorOf(id.service, 'unknownOperation', `Operation ${id.operation} is not supported by this sandbox.`);
    const result = handler(ctx, parseJsonInput(raw.body)) ?? {};
    return { status: 200, headers: { 'content-type': `application/x-amz-json-${j.version}`, 'x-amzn-requestid': ctx.requestId }, body: JSON.stringify(result) };
  }
  const route = s3Route(raw.path);
  const { payload, trailers } = s3Payload(raw.headers, raw.body, {
    seedSignature: auth.signature,
    amzDate: header(raw, 'x-amz-date'),
    scope: `${auth.date}/${auth.region}/${auth.service}/aws4_request`,
    secret: ctx.caller.credential.secret,
  });
  const r = handleS3(ctx, { operation: id.operation, bucket: route.bucket, key: route.key, query: raw.query, headers: raw.headers, payload, trailers });
  const hostId = s3HostId();
  return {
    status: r.status,
    headers: { ...r.headers, 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId },
    body: raw.method === 'HEAD' ? '' : r.body ?? '',
  };
}
