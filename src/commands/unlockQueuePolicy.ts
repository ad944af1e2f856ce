import { UserError } from '../core/errors';
import { targetOf } from '../core/targets';
import { formatAccountId } from '../core/tasks';
import type { PolicyKind, PolicyTarget } from './rootTask/unlockFlow';
import type { AwsAccess } from '../views/awsAccess';

/**
 * rootTasks.unlockQueuePolicy: the SQS side of the unlock flow. GetQueueAttributes(Policy) to
 * read, SetQueueAttributes(Policy) to write and Policy = "" to remove (the task policy has no
 * RemovePermission). From the tree (a queue node carries its URL) or the palette (ListQueues in
 * the configured region, paged with MaxResults).
 * Arguments for automation: { accountId, queueUrl, decision, proposedText?, justification, ticket }.
 */
export function queuePolicyKind(aws: AwsAccess): PolicyKind {
  const defaultRegion = () => aws.context().settings.region;
  const fromUrl = (url: string, accountId: string): PolicyTarget => {
    let q;
    try {
      q = aws.module().queueFromUrl(url, defaultRegion());
    } catch {
      throw new UserError(`"${url}" is not a queue URL.`);
    }
    if (q.accountId !== accountId || !q.name) {
      throw new UserError(`The queue URL ${url} does not belong to account ${formatAccountId(accountId)}.`);
    }
    return { accountId, name: q.name, region: q.region, url: q.url, arn: q.arn };
  };
  // Every queue target is built with its URL; the check keeps the type honest.
  const urlOf = (q: PolicyTarget) => {
    if (!q.url) throw new UserError(`No queue URL is known for ${q.arn}.`);
    return q.url;
  };
  return {
    kind: 'sqs',
    task: 'SQSUnlockQueuePolicy',
    noun: 'queue',
    operations: { list: 'ListQueues', read: 'GetQueueAttributes', write: 'SetQueueAttributes', remove: 'SetQueueAttributes' },
    async targetFrom(arg, accountId) {
      const node = targetOf(arg);
      if (node?.kind === 'queue') {
        // Scans record the URL; without one, the documented URL form (or the custom endpoint's) is used.
        const endpoint = aws.context().settings.endpoint;
        const url = node.queueUrl || (endpoint ? `${endpoint.replace(/\/+$/, '')}/${node.accountId}/${node.queue}` : `https://sqs.${node.region}.amazonaws.com/${node.accountId}/${node.queue}`);
        return { accountId: node.accountId, name: node.queue, url, region: node.region, arn: `arn:aws:sqs:${node.region}:${node.accountId}:${node.queue}` };
      }
      const url = (arg as { queueUrl?: unknown } | undefined)?.queueUrl;
      return typeof url === 'string' && url ? fromUrl(url, accountId) : undefined;
    },
    async list(t, accountId) {
      const region = defaultRegion();
      const listed = await t.read('ListQueues', `arn:aws:sqs:${region}:${accountId}:*`, () => aws.module().listQueues(t.session.clients(region), region));
      return listed.queues.map((q) => ({ accountId, name: q.name, region: q.region, url: q.url, arn: q.arn }));
    },
    read: (t, q) => aws.module().getQueuePolicy(t.session.clients(q.region), urlOf(q)),
    put: (t, q, text) => aws.module().setQueuePolicy(t.session.clients(q.region), urlOf(q), text),
    remove: (t, q) => aws.module().setQueuePolicy(t.session.clients(q.region), urlOf(q), ''),
  };
}
