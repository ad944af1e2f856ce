import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  paginateListBuckets,
} from '@aws-sdk/client-s3';
import type { ServiceClients } from './clients';
import { isAwsError } from './errors';

/**
 * Bucket-policy operations under an S3UnlockBucketPolicy root session. The task policy allows
 * only ListAllMyBuckets and Get/Put/DeleteBucketPolicy, so a bucket's region comes from
 * ListBuckets (BucketRegion is returned only when a parameter such as MaxBuckets is sent).
 * Every result carries the request id for the audit trail.
 */
export interface BucketRef {
  name: string;
  region: string;
  arn: string;
}

export interface PolicyRead {
  /** The policy document as stored; undefined when the resource has no policy. */
  text: string | undefined;
  requestId?: string;
}

export interface WriteResult {
  requestId?: string;
}

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** All buckets of the account with their regions (paged to the end). */
export async function listBucketsWithRegion(clients: ServiceClients, fallbackRegion: string, pageSize = 1000): Promise<{ buckets: BucketRef[]; requestId?: string }> {
  const buckets: BucketRef[] = [];
  let requestId: string | undefined;
  for await (const page of paginateListBuckets({ client: clients.s3, pageSize }, { MaxBuckets: pageSize })) {
    requestId ??= page.$metadata.requestId;
    for (const b of page.Buckets ?? []) {
      if (b.Name) buckets.push({ name: b.Name, region: b.BucketRegion || fallbackRegion, arn: bucketArn(b.Name) });
    }
  }
  return { buckets, requestId };
}

export async function getBucketPolicy(clients: ServiceClients, bucket: string): Promise<PolicyRead> {
  try {
    const r = await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    return { text: r.Policy || undefined, requestId: r.$metadata.requestId };
  } catch (err) {
    if (isAwsError(err, 'NoSuchBucketPolicy')) {
      return { text: undefined, requestId: (err as { $metadata?: { requestId?: string } }).$metadata?.requestId };
    }
    throw err;
  }
}

export async function putBucketPolicy(clients: ServiceClients, bucket: string, policy: string): Promise<WriteResult> {
  const r = await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
  return { requestId: r.$metadata.requestId };
}

export async function deleteBucketPolicy(clients: ServiceClients, bucket: string): Promise<WriteResult> {
  const r = await clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  return { requestId: r.$metadata.requestId };
}
