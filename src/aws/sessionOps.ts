import type { RootCredentialListing } from '../core/rootReport';
import type { CallGate } from '../core/gate';
import type { ServiceClients } from './clients';
import { allowRootPasswordRecovery, deleteRootCredentials, listRootCredentials, type DeletionResult, type ListOptions, type RecoveryResult } from './iamRoot';
import { deleteBucketPolicy, getBucketPolicy, listBucketsWithRegion, putBucketPolicy, type BucketRef, type PolicyRead, type WriteResult } from './s3Policy';
import { getQueuePolicy, listQueues, setQueuePolicy, type QueueRef } from './sqsPolicy';

/**
 * The AWS operations of a member-account session (root or role), bound to its credentials: call
 * sites name the operation and its arguments only. Each takes the region it runs in where the
 * service is regional; the session builds (and destroys) its clients per region.
 */
export interface SessionOps {
  listBuckets(): Promise<{ buckets: BucketRef[]; requestId?: string }>;
  getBucketPolicy(bucket: string, region: string): Promise<PolicyRead>;
  putBucketPolicy(bucket: string, region: string, policy: string): Promise<WriteResult>;
  deleteBucketPolicy(bucket: string, region: string): Promise<WriteResult>;
  listQueues(region: string): Promise<{ queues: QueueRef[]; requestId?: string }>;
  getQueuePolicy(queueUrl: string, region: string): Promise<PolicyRead>;
  /** "" removes the policy (the unlock task policy has no RemovePermission). */
  setQueuePolicy(queueUrl: string, region: string, policy: string): Promise<WriteResult>;
  listRootCredentials(gate: CallGate, accountId: string, options?: ListOptions): Promise<RootCredentialListing>;
  deleteRootCredentials(gate: CallGate, accountId: string, plan: RootCredentialListing): Promise<DeletionResult>;
  allowRootPasswordRecovery(gate: CallGate, accountId: string, beforeCreate?: () => Promise<void>): Promise<RecoveryResult>;
}

export function bindSessionOps(clients: (region?: string) => ServiceClients, defaultRegion: string): SessionOps {
  return {
    listBuckets: () => listBucketsWithRegion(clients(defaultRegion), defaultRegion),
    getBucketPolicy: (bucket, region) => getBucketPolicy(clients(region), bucket),
    putBucketPolicy: (bucket, region, policy) => putBucketPolicy(clients(region), bucket, policy),
    deleteBucketPolicy: (bucket, region) => deleteBucketPolicy(clients(region), bucket),
    listQueues: (region) => listQueues(clients(region), region),
    getQueuePolicy: (url, region) => getQueuePolicy(clients(region), url),
    setQueuePolicy: (url, region, policy) => setQueuePolicy(clients(region), url, policy),
    // IAM is global: its calls go through the session's home-region clients.
    listRootCredentials: (gate, accountId, options) => listRootCredentials(clients().iam, gate, accountId, options),
    deleteRootCredentials: (gate, accountId, plan) => deleteRootCredentials(clients().iam, gate, accountId, plan),
    allowRootPasswordRecovery: (gate, accountId, beforeCreate) => allowRootPasswordRecovery(clients().iam, gate, accountId, beforeCreate),
  };
}
