import { GetQueueAttributesCommand, SetQueueAttributesCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import type { ServiceClients } from './clients';
import type { PolicyRead, WriteResult } from './s3Policy';
import { queueFromUrl, type QueueRef } from './queueUrl';

export { queueFromUrl, type QueueRef } from './queueUrl';

/**
 * Queue-policy operations under an SQSUnlockQueuePolicy root session. The task policy has no
 * RemovePermission: a policy is removed by SetQueueAttributes with Policy = "".
 */
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
