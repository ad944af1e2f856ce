// S3 (REST-XML, path-style): ListBuckets with MaxBuckets/ContinuationToken paging (BucketRegion
// when any parameter is given) and the bucket policy operations. Bucket policy calls are for the
// owner account only (another account gets 405 when allowed, else 403); the owner's root may
// always read, replace or delete a bucket policy, however it denies.
import { authorize } from '../authz';
import type { CallContext } from '../context';
import { ApiError, errorOf } from '../errors';
import { canonicalUserId } from '../ids';
import { PolicyError } from '../policyDocument';
import { checkPayloadChecksums, S3_XMLNS } from '../protocols/s3rest';
import { parseBucketPolicy } from '../resourcePolicies';
import type { BucketRec } from '../state';
import { tag, wrap, XML_DECLARATION } from '../xml';
import { createBucket, deleteObject, getObject, headObject, getObjectLockConfiguration, getObjectRetention, listObjectsV2, putObject } from './s3ObjectLock';

export interface S3Request {
  operation: string;
  bucket?: string;
  key?: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  payload: Buffer;
  trailers: Record<string, string>;
}

export interface S3Response {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function listBuckets(ctx: CallContext, req: S3Request): S3Response {
  const accountId = ctx.caller.principal.accountId;
  ctx.target = `arn:aws:s3:::*`;
  const r = authorize(ctx, { action: 's3:ListAllMyBuckets', resource: '*', resourceAccount: accountId });
  if (!r.allowed) throw errorOf('s3', 'accessDenied', r.message);
  const q = req.query;
  const withParams = ['max-buckets', 'continuation-token', 'prefix', 'bucket-region'].some((k) => k in q);
  const maxText = single(q['max-buckets']);
  const max = maxText === undefined ? 10000 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10000) throw new ApiError('InvalidArgument', 'max-buckets must be an integer between 1 and 10000.', 400);
  const prefix = single(q.prefix) ?? '';
  const region = single(q['bucket-region']);
  const names = (ctx.state.account(accountId)?.buckets ?? []).filter((n) => {
    const b = ctx.state.buckets.get(n)!;
    return n.startsWith(prefix) && (!region || b.region === region);
  });
  const scope = `ListBuckets:${accountId}:${prefix}:${region ?? ''}`;
  const token = single(q['continuation-token']);
  let offset = 0;
  if (token !== undefined) {
    const o = ctx.runtime.readPageToken(scope, token);
    if (o === undefined) throw new ApiError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    offset = o;
  }
  const page = names.slice(offset, offset + max).map((n) => ctx.state.buckets.get(n)!);
  const next = offset + max < names.length ? ctx.runtime.pageToken(scope, offset + max) : undefined;
  const rows = page.map((b) => wrap('Bucket', tag('Name', b.name) + tag('CreationDate', b.creationDate) + (withParams ? tag('BucketRegion', b.region) : '')));
  const body =
    `${XML_DECLARATION}<ListAllMyBucketsResult xmlns="${S3_XMLNS}">` +
    wrap('Owner', tag('ID', canonicalUserId(accountId))) +
    wrap('Buckets', rows.join('')) +
    tag('ContinuationToken', next) +
    (prefix ? tag('Prefix', prefix) : '') +
    '</ListAllMyBucketsResult>';
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

/** Existence, expected owner, region, then authorization, as S3 orders them. */
function bucketFor(ctx: CallContext, req: S3Request, action: string): BucketRec {
  const name = req.bucket!;
  ctx.target = `arn:aws:s3:::${name}`;
  const bucket = ctx.state.buckets.get(name);
  if (!bucket) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
  const expectedOwner = single(req.headers['x-amz-expected-bucket-owner']);
  if (expectedOwner !== undefined && expectedOwner !== bucket.accountId) throw errorOf('s3', 'accessDenied');
  if (ctx.region !== bucket.region) {
    throw new ApiError('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${ctx.region}' is wrong; expecting '${bucket.region}'`, 400, {
      fields: { Region: bucket.region },
      headers: { 'x-amz-bucket-region': bucket.region },
    });
  }
  const r = authorize(ctx, {
    action,
    resource: `arn:aws:s3:::${name}`,
    resourceAccount: bucket.accountId,
    resourcePolicy: bucket.policy?.parsed,
    rootBypass: true,
  });
  if (ctx.caller.principal.accountId !== bucket.accountId) {
    if (r.allowed) throw new ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { fields: { Method: action, ResourceType: 'BUCKETPOLICY' } });
    throw errorOf('s3', 'accessDenied', r.message);
  }
  if (!r.allowed) throw errorOf('s3', 'accessDenied', r.message);
  return bucket;
}

function regionHeader(b: BucketRec): Record<string, string> {
  return { 'x-amz-bucket-region': b.region };
}

function getBucketPolicy(ctx: CallContext, req: S3Request): S3Response {
  const bucket = bucketFor(ctx, req, 's3:GetBucketPolicy');
  if (!bucket.policy) throw new ApiError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket.name } });
  return { status: 200, headers: { ...regionHeader(bucket), 'content-type': 'application/json' }, body: bucket.policy.text };
}

function putBucketPolicy(ctx: CallContext, req: S3Request): S3Response {
  const bucket = bucketFor(ctx, req, 's3:PutBucketPolicy');
  checkPayloadChecksums(req.headers, req.trailers, req.payload);
  try {
    bucket.policy = parseBucketPolicy(req.payload.toString('utf8'), bucket.name);
  } catch (e) {
    if (e instanceof PolicyError) throw new ApiError('MalformedPolicy', e.message, 400);
    throw e;
  }
  return { status: 204, headers: regionHeader(bucket) };
}

function deleteBucketPolicy(ctx: CallContext, req: S3Request): S3Response {
  const bucket = bucketFor(ctx, req, 's3:DeleteBucketPolicy');
  delete bucket.policy;
  return { status: 204, headers: regionHeader(bucket) };
}

const OPERATIONS: Record<string, (ctx: CallContext, req: S3Request) => S3Response> = {
  ListBuckets: listBuckets,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  CreateBucket: createBucket,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  GetObjectRetention: getObjectRetention,
  DeleteObject: deleteObject,
  ListObjectsV2: listObjectsV2,
};

export function handleS3(ctx: CallContext, req: S3Request): S3Response {
  const op = OPERATIONS[req.operation];
  if (!op) {
    if (req.bucket && !ctx.state.buckets.has(req.bucket)) {
      throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: req.bucket } });
    }
    throw errorOf('s3', 'unknownOperation');
  }
  return op(ctx, req);
}
