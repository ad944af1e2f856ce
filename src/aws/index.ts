// Entry of the lazily loaded AWS bundle (dist/aws.js). Everything that touches the AWS SDK is
// reached through here, so activation never loads the SDK. The policy analyzer is here too: the
// scan needs it inside this bundle, and the unlock flows use it only next to an AWS session, so
// one copy serves both and the activation bundle carries none.
export { createClients } from './clients';
export type { CallRecord, ClientOptions, Credentials, ServiceClients } from './clients';
export { createAwsContext } from './context';
export type { AwsContext, AwsSettings, CallerIdentity } from './context';
export { assumeRoot } from './rootSession';
export type { RootSession } from './rootSession';
export { describeOrganization, listParent, walkOrganization } from './orgListing';
export type { ParentPage, ParentResult, WalkProgress, WalkSummary } from './orgListing';
export { errorSummary, errorName, isAwsError, isAccessDenied } from './errors';
export { bucketArn, deleteBucketPolicy, getBucketPolicy, listBucketsWithRegion, putBucketPolicy } from './s3Policy';
export type { BucketRef, PolicyRead, WriteResult } from './s3Policy';
export { getQueuePolicy, listQueues, queueFromUrl, setQueuePolicy } from './sqsPolicy';
export type { QueueRef } from './sqsPolicy';
export { allowRootPasswordRecovery, deleteRootCredentials, listRootCredentials } from './iamRoot';
export type { CallGate, DeletionResult, DeletionStep, ListOptions, RecoveryResult } from './iamRoot';
export {
  describeOrganizationFacts, enableTrustedAccess, featureErrorAdvice, listOrganizationFeatures, readTrustedAccess, setOrganizationFeature,
} from './orgFeatures';
export type { OrganizationFacts, OrgFeature, OrgFeatures, TrustedAccess } from './orgFeatures';
export { scanAccounts, scanAccount } from './scan';
export type { AccountScan, ScanAudit, ScanMode, ScanOptions } from './scan';
export { analyzePolicy, formatPolicy, validateProposedPolicy } from '../core/policy';
