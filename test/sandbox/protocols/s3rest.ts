// S3's REST-XML protocol, path-style: the operation from method, path and sub-resource; payload
// decoding (aws-chunked) and checksum checks; `<Error>` documents with request ids.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { ApiError } from '../errors';
import { escapeXml, tag, XML_DECLARATION } from '../xml';
import { decodeAwsChunked, type ChunkSigning } from './awsChunked';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Route {
  bucket?: string;
  key?: string;
}

export function s3Route(path: string): S3Route {
  const trimmed = path.replace(/^\/+/, '');
  if (!trimmed) return {};
  const slash = trimmed.indexOf('/');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (slash < 0) return { bucket: decode(trimmed) };
  const key = trimmed.slice(slash + 1);
  return key ? { bucket: decode(trimmed.slice(0, slash)), key: decode(key) } : { bucket: decode(trimmed.slice(0, slash)) };
}

/** The operation name for logging, throttling and dispatch. */
export function s3Operation(method: string, route: S3Route, query: Record<string, unknown>): string {
  if (!route.bucket) return method === 'GET' ? 'ListBuckets' : 'Unsupported';
  if (route.key === undefined && 'object-lock' in query && method === 'GET') return 'GetObjectLockConfiguration';
  if (route.key === undefined && method === 'PUT' && Object.keys(query).length === 0) return 'CreateBucket';
  if (route.key === undefined && method === 'GET' && query['list-type'] === '2') return 'ListObjectsV2';
  if (route.key !== undefined) {
    if (method === 'GET' && 'retention' in query) return 'GetObjectRetention';
    if (method === 'HEAD' && Object.keys(query).filter((k) => k !== 'versionId').length === 0) return 'HeadObject';
    if (method === 'PUT' && Object.keys(query).filter((k) => k !== 'x-id').length === 0) return 'PutObject';
    if (method === 'GET' && Object.keys(query).filter((k) => k !== 'x-id' && k !== 'versionId').length === 0) return 'GetObject';
    if (method === 'DELETE' && Object.keys(query).filter((k) => k !== 'x-id' && k !== 'versionId').length === 0) return 'DeleteObject';
  }
  if (route.key === undefined && 'policy' in query) {
    if (method === 'GET') return 'GetBucketPolicy';
    if (method === 'PUT') return 'PutBucketPolicy';
    if (method === 'DELETE') return 'DeleteBucketPolicy';
  }
  return 'Unsupported';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The request payload, decoded from aws-chunked when the client streamed it. */
export function s3Payload(headers: IncomingHttpHeaders, body: Buffer, signing: ChunkSigning): { payload: Buffer; trailers: Record<string, string> } {
  const mode = header(headers, 'x-amz-content-sha256') ?? '';
  if (!mode.startsWith('STREAMING-')) return { payload: body, trailers: {} };
  const signed = mode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  if (!signed && !mode.startsWith('STREAMING-UNSIGNED-PAYLOAD')) {
    throw new ApiError('NotImplemented', `x-amz-content-sha256 ${mode} is not supported by this sandbox.`, 501);
  }
  return decodeAwsChunked(body, signed ? signing : undefined);
}

const CHECKSUMS: Record<string, (b: Buffer) => string> = {
  'x-amz-checksum-crc32': (b) => Buffer.from(crc32(b).toString(16).padStart(8, '0'), 'hex').toString('base64'),
  'x-amz-checksum-sha1': (b) => createHash('sha1').update(b).digest('base64'),
  'x-amz-checksum-sha256': (b) => createHash('sha256').update(b).digest('base64'),
};

/**
 * S3's integrity checks for operations that require a checksum: Content-MD5 or an
 * x-amz-checksum-* header/trailer must be present, and those the sandbox can compute must match.
 */
export function checkPayloadChecksums(headers: IncomingHttpHeaders, trailers: Record<string, string>, payload: Buffer): void {
  const md5 = header(headers, 'content-md5');
  const declared = Object.keys(headers).concat(Object.keys(trailers)).filter((h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type');
  if (md5 === undefined && !declared.length) {
    throw new ApiError('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*', 400);
  }
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw new ApiError('InvalidDigest', 'The Content-MD5 you specified is not valid.', 400);
    if (createHash('md5').update(payload).digest('base64') !== md5) {
      throw new ApiError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
    }
  }
  for (const name of declared) {
    const compute = CHECKSUMS[name];
    const value = trailers[name] ?? header(headers, name);
    if (compute && value !== compute(payload)) {
      const algorithm = name.slice('x-amz-checksum-'.length).toUpperCase();
      throw new ApiError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
    }
  }
}

export function s3ErrorXml(err: ApiError, requestId: string, hostId: string): string {
  const fields = Object.entries(err.extra.fields ?? {}).map(([k, v]) => tag(k, v)).join('');
  return (
    `${XML_DECLARATION}<Error>${tag('Code', err.code)}<Message>${escapeXml(err.message)}</Message>${fields}` +
    `${tag('RequestId', requestId)}${tag('HostId', hostId)}</Error>`
  );
}
