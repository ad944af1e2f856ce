import { queueFromUrl, queueUrlProblem } from '../aws/queueUrl';
import type { PolicyRead, WriteResult } from '../aws/s3Policy';
import { UserError } from '../core/errors';
import { quote } from '../core/quote';
import type { Target } from '../core/targets';
import { formatAccountId, type RootTaskName } from '../core/tasks';
import type { ActiveRootTask } from './ports';

/** A bucket or queue whose policy is being unlocked. */
export interface PolicyTarget {
  accountId: string;
  name: string;
  arn: string;
  region: string;
  /** SQS queue URL. */
  url?: string;
}

/** What differs between the S3 and SQS unlocks; everything else is one flow (unlock.ts). */
export interface PolicyKind {
  kind: 's3' | 'sqs';
  task: RootTaskName;
  noun: 'bucket' | 'queue';
  operations: { list: string; read: string; write: string; remove: string };
  /** Every bucket / queue of the account (queues: in the home region), through the session's gate. */
  list(t: ActiveRootTask, accountId: string, region: string): Promise<PolicyTarget[]>;
  read(t: ActiveRootTask, target: PolicyTarget): Promise<PolicyRead>;
  put(t: ActiveRootTask, target: PolicyTarget, text: string): Promise<WriteResult>;
  remove(t: ActiveRootTask, target: PolicyTarget): Promise<WriteResult>;
}

/** Where the SDK is pointed: the home region and the custom endpoint (sandbox), if any. */
export interface Placement {
  region: string;
  endpoint?: string;
}

/**
 * S3: ListBuckets with MaxBuckets so BucketRegion comes back (the task policy has no
 * GetBucketLocation); Get/Put/DeleteBucketPolicy in the bucket's region.
 */
export const BUCKET_POLICY: PolicyKind = {
  kind: 's3',
  task: 'S3UnlockBucketPolicy',
  noun: 'bucket',
  operations: { list: 'ListBuckets', read: 'GetBucketPolicy', write: 'PutBucketPolicy', remove: 'DeleteBucketPolicy' },
  async list(t, accountId) {
    const listed = await t.read('ListBuckets', 'arn:aws:s3:::*', () => t.session.ops.listBuckets());
    return listed.buckets.map((b) => bucketTarget(accountId, b.name, b.region));
  },
  read: (t, b) => t.session.ops.getBucketPolicy(b.name, b.region),
  put: (t, b, text) => t.session.ops.putBucketPolicy(b.name, b.region, text),
  remove: (t, b) => t.session.ops.deleteBucketPolicy(b.name, b.region),
};

/**
 * SQS: GetQueueAttributes(Policy) to read, SetQueueAttributes(Policy) to write and Policy = "" to
 * remove (the task policy has no RemovePermission); ListQueues paged with MaxResults.
 */
export const QUEUE_POLICY: PolicyKind = {
  kind: 'sqs',
  task: 'SQSUnlockQueuePolicy',
  noun: 'queue',
  operations: { list: 'ListQueues', read: 'GetQueueAttributes', write: 'SetQueueAttributes', remove: 'SetQueueAttributes' },
  async list(t, accountId, region) {
    const listed = await t.read('ListQueues', `arn:aws:sqs:${region}:${accountId}:*`, () => t.session.ops.listQueues(region));
    return listed.queues.map((q) => ({ accountId, name: q.name, region: q.region, url: q.url, arn: q.arn }));
  },
  read: (t, q) => t.session.ops.getQueuePolicy(urlOf(q), q.region),
  put: (t, q, text) => t.session.ops.setQueuePolicy(urlOf(q), q.region, text),
  remove: (t, q) => t.session.ops.setQueuePolicy(urlOf(q), q.region, ''),
};

export function bucketTarget(accountId: string, name: string, region: string): PolicyTarget {
  return { accountId, name, region, arn: `arn:aws:s3:::${name}` };
}

// Every queue target is built with its URL; the check keeps the type honest.
function urlOf(q: PolicyTarget): string {
  if (!q.url) throw new UserError(`No queue URL is known for ${q.arn}.`);
  return q.url;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * The resource a command was given: a tree node (a bucket carries its region, a queue its URL) or
 * automation arguments ({ bucket, region? } / { queueUrl }). Undefined: the flow lists them.
 */
export function targetFromArgs(kind: PolicyKind, node: Target | undefined, arg: unknown, accountId: string, at: Placement): PolicyTarget | undefined {
  const a = (arg ?? {}) as { bucket?: unknown; region?: unknown; queueUrl?: unknown };
  // A region names the endpoint requests go to: only the shape of an AWS region is taken.
  for (const region of [a.region, node && 'region' in node ? node.region : undefined]) {
    if (typeof region === 'string' && region && !REGION.test(region)) throw new UserError(`${quote(region)} is not an AWS region.`);
  }
  if (kind.kind === 's3') {
    if (node?.kind === 'bucket') return bucketTarget(node.accountId, node.bucket, node.region || at.region);
    if (typeof a.bucket === 'string' && a.bucket) return bucketTarget(accountId, a.bucket, typeof a.region === 'string' && a.region ? a.region : at.region);
    return undefined;
  }
  if (node?.kind === 'queue') {
    // Scans record the URL; without one, the documented URL form (or the custom endpoint's) is used.
    const url = node.queueUrl || (at.endpoint
      ? `${at.endpoint.replace(/\/+$/, '')}/${node.accountId}/${node.queue}`
      : `https://sqs.${node.region}.amazonaws.com/${node.accountId}/${node.queue}`);
    // A node can arrive as a command argument too: its URL is held to the same rule.
    const problem = queueUrlProblem(url, at.endpoint);
    if (problem) throw new UserError(`${quote(url, 300)} is not a queue URL this extension will use: ${problem}.`);
    return { accountId: node.accountId, name: node.queue, url, region: node.region, arn: `arn:aws:sqs:${node.region}:${node.accountId}:${node.queue}` };
  }
  if (typeof a.queueUrl !== 'string' || !a.queueUrl) return undefined;
  // Root-signed requests go only to AWS (or the configured endpoint): a URL from an argument is checked.
  const problem = queueUrlProblem(a.queueUrl, at.endpoint);
  if (problem) throw new UserError(`${quote(a.queueUrl, 300)} is not a queue URL this extension will use: ${problem}.`);
  const q = queueFromUrl(a.queueUrl, at.region);
  if (q.accountId !== accountId || !q.name) {
    throw new UserError(`The queue URL ${quote(a.queueUrl, 300)} does not belong to account ${formatAccountId(accountId)}.`);
  }
  return { accountId, name: q.name, region: q.region, url: q.url, arn: q.arn };
}
