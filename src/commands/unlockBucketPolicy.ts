import { targetOf } from '../core/targets';
import type { PolicyKind, PolicyTarget } from './rootTask/unlockFlow';
import type { AwsAccess } from '../views/awsAccess';

/**
 * rootTasks.unlockBucketPolicy: the S3 side of the unlock flow. From the tree (a bucket node
 * carries its region) or the palette (buckets listed with the root session: ListBuckets with
 * MaxBuckets so BucketRegion comes back; the task policy has no GetBucketLocation).
 * Arguments for automation: { accountId, bucket, region?, decision, proposedText?, justification, ticket }.
 */
export function bucketPolicyKind(aws: AwsAccess): PolicyKind {
  const defaultRegion = () => aws.context().settings.region;
  const target = (accountId: string, name: string, region: string): PolicyTarget => ({ accountId, name, region, arn: `arn:aws:s3:::${name}` });
  return {
    kind: 's3',
    task: 'S3UnlockBucketPolicy',
    noun: 'bucket',
    operations: { list: 'ListBuckets', read: 'GetBucketPolicy', write: 'PutBucketPolicy', remove: 'DeleteBucketPolicy' },
    async targetFrom(arg, accountId) {
      const node = targetOf(arg);
      if (node?.kind === 'bucket') return target(node.accountId, node.bucket, node.region || defaultRegion());
      const a = arg as { bucket?: unknown; region?: unknown } | undefined;
      if (typeof a?.bucket === 'string' && a.bucket) return target(accountId, a.bucket, typeof a.region === 'string' && a.region ? a.region : defaultRegion());
      return undefined;
    },
    async list(t, accountId) {
      const listed = await t.read('ListBuckets', `arn:aws:s3:::*`, () => aws.module().listBucketsWithRegion(t.session.clients(), defaultRegion()));
      return listed.buckets.map((b) => target(accountId, b.name, b.region));
    },
    read: (t, b) => aws.module().getBucketPolicy(t.session.clients(b.region), b.name),
    put: (t, b, text) => aws.module().putBucketPolicy(t.session.clients(b.region), b.name, text),
    remove: (t, b) => aws.module().deleteBucketPolicy(t.session.clients(b.region), b.name),
  };
}
