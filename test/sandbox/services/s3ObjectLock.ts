// S3 objects with Object Lock (REST-XML, path-style), what the audit trail's S3 destination
// needs: CreateBucket (x-amz-bucket-object-lock-enabled: true turns on versioning and Object
// Lock), GetObjectLockConfiguration (ObjectLockConfigurationNotFoundError when absent),
// PutObject (a new version each time; with x-amz-object-lock-mode / -retain-until-date it needs an
// Object Lock bucket, both headers, a future date and Content-MD5 or an x-amz-checksum-*),
// GetObject, HeadObject (with the lock headers), GetObjectRetention (NoSuchObjectLockConfiguration when none), ListObjectsV2 (first
// 1,000 keys, no paging) and DeleteObject: without versionId a delete marker, with a versionId
// refused inside COMPLIANCE retention, and inside GOVERNANCE unless x-amz-bypass-governance-retention.
import { createHash, randomBytes } from 'node:crypto';
import type { CallContext } from '../context';
import { ApiError, errorOf } from '../errors';
import { checkPayloadChecksums, S3_XMLNS } from '../protocols/s3rest';
import type { BucketRec, S3ObjectVersion } from '../state';
import { tag, wrap, XML_DECLARATION } from '../xml';
import type { S3Request, S3Response } from './s3';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The bucket, owned by the caller's account, in the request's region (no bucket policy for objects here). */
function ownBucket(ctx: CallContext, req: S3Request): BucketRec {
  const name = req.bucket!;
  ctx.target = `arn:aws:s3:::${name}`;
  const bucket = ctx.state.buckets.get(name);
  if (!bucket) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, { fields: { BucketName: name } });
  if (ctx.caller.principal.type === 'root-session' || ctx.caller.principal.accountId !== bucket.accountId) throw errorOf('s3', 'accessDenied');
  if (ctx.region !== bucket.region) {
    throw new ApiError('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${ctx.region}' is wrong; expecting '${bucket.region}'`, 400, { fields: { Region: bucket.region } });
  }
  bucket.objects ??= new Map();
  return bucket;
}

export function createBucket(ctx: CallContext, req: S3Request): S3Response {
  const name = req.bucket!;
  ctx.target = `arn:aws:s3:::${name}`;
  if (ctx.caller.principal.type === 'root-session') throw errorOf('s3', 'accessDenied');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw new ApiError('InvalidBucketName', 'The specified bucket is not valid.', 400, { fields: { BucketName: name } });
  const existing = ctx.state.buckets.get(name);
  if (existing) {
    if (existing.accountId === ctx.caller.principal.accountId) throw new ApiError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { fields: { BucketName: name } });
    throw new ApiError('BucketAlreadyExists', 'The requested bucket name is not available.', 409, { fields: { BucketName: name } });
  }
  const lock = one(req.headers['x-amz-bucket-object-lock-enabled'])?.toLowerCase() === 'true';
  const bucket: BucketRec = { name, accountId: ctx.caller.principal.accountId, region: ctx.region, creationDate: ctx.now, objectLock: lock, objects: new Map() };
  ctx.state.buckets.set(name, bucket);
  ctx.state.account(bucket.accountId)?.buckets.push(name);
  return { status: 200, headers: { location: `/${name}` } };
}

export function getObjectLockConfiguration(ctx: CallContext, req: S3Request): S3Response {
  const bucket = ownBucket(ctx, req);
  if (!bucket.objectLock) throw new ApiError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { fields: { BucketName: bucket.name } });
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: `${XML_DECLARATION}<ObjectLockConfiguration xmlns="${S3_XMLNS}">${tag('ObjectLockEnabled', 'Enabled')}</ObjectLockConfiguration>` };
}

export function putObject(ctx: CallContext, req: S3Request): S3Response {
  const bucket = ownBucket(ctx, req);
  const key = req.key!;
  const mode = one(req.headers['x-amz-object-lock-mode']);
  const until = one(req.headers['x-amz-object-lock-retain-until-date']);
  let retention: S3ObjectVersion['retention'];
  if (mode !== undefined || until !== undefined) {
    if (!bucket.objectLock) throw new ApiError('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
    if (mode === undefined || until === undefined) throw new ApiError('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 400);
    if (mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') throw new ApiError('InvalidArgument', 'Unknown wormMode directive.', 400);
    const date = new Date(until);
    if (Number.isNaN(date.getTime())) throw new ApiError('InvalidArgument', 'The retain until date must be provided in ISO 8601 format', 400);
    if (date <= ctx.now) throw new ApiError('InvalidArgument', 'The retain until date must be in the future!', 400);
    const md5 = one(req.headers['content-md5']);
    const sums = Object.keys(req.headers).concat(Object.keys(req.trailers)).filter((h) => h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type');
    if (md5 === undefined && !sums.length) throw new ApiError('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters', 400);
    retention = { mode, until: date };
  }
  const declared = Object.keys(req.headers).some((h) => h === 'content-md5' || (h.startsWith('x-amz-checksum-') && h !== 'x-amz-checksum-type')) || Object.keys(req.trailers).length > 0;
  if (declared) checkPayloadChecksums(req.headers, req.trailers, req.payload);
  const versionId = randomBytes(24).toString('base64url');
  const etag = `"${createHash('md5').update(req.payload).digest('hex')}"`;
  const versions = bucket.objects!.get(key) ?? [];
  versions.push({ versionId, body: req.payload, etag, lastModified: ctx.now, retention });
  bucket.objects!.set(key, versions);
  return { status: 200, headers: { etag, ...(bucket.objectLock ? { 'x-amz-version-id': versionId } : {}) } };
}

function version(bucket: BucketRec, req: S3Request): S3ObjectVersion {
  const versions = bucket.objects?.get(req.key!) ?? [];
  const id = one(req.query.versionId);
  const v = id ? versions.find((x) => x.versionId === id) : versions.at(-1);
  if (!v || v.deleteMarker) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: req.key! } });
  return v;
}

export function getObject(ctx: CallContext, req: S3Request): S3Response & { raw?: Buffer } {
  const v = version(ownBucket(ctx, req), req);
  return { status: 200, headers: { etag: v.etag, 'content-type': 'application/octet-stream', 'x-amz-version-id': v.versionId, 'last-modified': v.lastModified.toUTCString() }, body: v.body.toString('utf8') };
}

/** HeadObject: the object's headers, Object Lock mode and retain-until date included (no body). */
export function headObject(ctx: CallContext, req: S3Request): S3Response {
  const v = version(ownBucket(ctx, req), req);
  return {
    status: 200,
    headers: {
      etag: v.etag, 'content-length': String(v.body.length), 'x-amz-version-id': v.versionId, 'last-modified': v.lastModified.toUTCString(),
      ...(v.retention ? { 'x-amz-object-lock-mode': v.retention.mode, 'x-amz-object-lock-retain-until-date': v.retention.until.toISOString() } : {}),
    },
  };
}

export function getObjectRetention(ctx: CallContext, req: S3Request): S3Response {
  const bucket = ownBucket(ctx, req);
  if (!bucket.objectLock) throw new ApiError('InvalidRequest', 'Bucket is missing Object Lock Configuration', 400);
  const v = version(bucket, req);
  if (!v.retention) throw new ApiError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
  return {
    status: 200, headers: { 'content-type': 'application/xml' },
    body: `${XML_DECLARATION}<Retention xmlns="${S3_XMLNS}">${tag('Mode', v.retention.mode)}${tag('RetainUntilDate', v.retention.until.toISOString())}</Retention>`,
  };
}

export function deleteObject(ctx: CallContext, req: S3Request): S3Response {
  const bucket = ownBucket(ctx, req);
  const key = req.key!;
  const id = one(req.query.versionId);
  const versions = bucket.objects!.get(key) ?? [];
  if (!id) {
    // Versioned (Object Lock) buckets keep every version: the delete only adds a marker.
    if (!bucket.objectLock) {
      bucket.objects!.delete(key);
      return { status: 204 };
    }
    const versionId = randomBytes(24).toString('base64url');
    versions.push({ versionId, body: Buffer.alloc(0), etag: '', lastModified: ctx.now, deleteMarker: true });
    bucket.objects!.set(key, versions);
    return { status: 204, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId } };
  }
  const v = versions.find((x) => x.versionId === id);
  if (!v) return { status: 204 };
  const locked = v.retention && v.retention.until > ctx.now;
  const bypass = one(req.headers['x-amz-bypass-governance-retention'])?.toLowerCase() === 'true';
  if (locked && (v.retention!.mode === 'COMPLIANCE' || !bypass)) throw new ApiError('AccessDenied', 'Access Denied because object protected by object lock.', 403);
  bucket.objects!.set(key, versions.filter((x) => x !== v));
  return { status: 204, headers: { 'x-amz-version-id': id } };
}

export function listObjectsV2(ctx: CallContext, req: S3Request): S3Response {
  const bucket = ownBucket(ctx, req);
  const prefix = one(req.query.prefix) ?? '';
  const keys = [...(bucket.objects?.entries() ?? [])]
    .filter(([k, vs]) => k.startsWith(prefix) && !vs.at(-1)?.deleteMarker)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, 1000);
  const contents = keys.map(([k, vs]) => wrap('Contents', tag('Key', k) + tag('LastModified', vs.at(-1)!.lastModified.toISOString()) + tag('ETag', vs.at(-1)!.etag) + tag('Size', String(vs.at(-1)!.body.length)) + tag('StorageClass', 'STANDARD'))).join('');
  return {
    status: 200, headers: { 'content-type': 'application/xml' },
    body: `${XML_DECLARATION}<ListBucketResult xmlns="${S3_XMLNS}">${tag('Name', bucket.name)}${tag('Prefix', prefix)}${tag('KeyCount', String(keys.length))}${tag('MaxKeys', '1000')}${tag('IsTruncated', 'false')}${contents}</ListBucketResult>`,
  };
}
