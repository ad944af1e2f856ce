import { GetQueueAttributesCommand, SetQueueAttributesCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import type { ServiceClients } from './clients';
import type { PolicyRead, WriteResult } from './s3Policy';

/**
 * Queue-policy operations under an SQSUnlockQueuePolicy root session. The task policy has no
 * RemovePermission: a policy is removed by SetQueueAttributes with Policy = "".
 */
export interface QueueRef {
  name: string;
  url: string;
  region: string;
  accountId: string;
  arn: string;
}

/**
 * Name, account, region and ARN from a queue URL: `https://sqs.<region>.amazonaws.com/<account>/<name>`
 * (or an emulator's `http://host:port/<account>/<name>`, whose region is the client's).
 */
export function queueFromUrl(url: string, fallbackRegion: string): QueueRef {
  const u = new URL(url);
  const [accountId = '', name = ''] = u.pathname.split('/').filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(u.hostname)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\.amazonaws\.com$/.exec(u.hostname)?.[1] ?? fallbackRegion;
  return { name, url, region, accountId, arn: `arn:aws:sqs:${region}:${accountId}:${name}` };
}

/** Every queue of the account in the client's region (MaxResults so that NextToken paging works). */
export async function listQueues(clients: ServiceClients, region: string, pageSize = 1000): Promise<{ queues: QueueRef[]; requestId?: string }> {
  const queues: QueueRef[] = [];
  let requestId: string | undefined;
  for await (const page of paginateListQueues({ client: clients.sqs, pageSize }, { MaxResults: pageSize })) {
    requestId ??= page.$metadata.requestId;
    for (const url of page.QueueUrls ?? []) queues.push(queueFromUrl(url, region));
  }
  return { queues, requestId };
}

export async function getQueuePolicy(clients: ServiceClients, queueUrl: string): Promise<PolicyRead> {
  const r = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy'] }));
  return { text: r.Attributes?.Policy || undefined, requestId: r.$metadata.requestId };
}

/** Sets the queue policy; "" removes it. */
export async function setQueuePolicy(clients: ServiceClients, queueUrl: string, policy: string): Promise<WriteResult> {
  const r = await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } }));
  return { requestId: r.$metadata.requestId };
}
