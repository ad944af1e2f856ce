// Entry of the lazily loaded AWS bundle (dist/aws.js). Everything that touches the AWS SDK is
// reached through here, so activation never loads the SDK. Flows get the operations bound to a
// context (ManagementOps) or a session (SessionOps), never the SDK itself.
export type { CallRecord, ClientOptions, Credentials, ServiceClients } from './clients';
export { createAwsContext } from './context';
export { listProfiles, type ProfileSummary } from './profiles';
export { ssoTokenFile } from './ssoToken';
export type { AwsContext, AwsSettings, CallerIdentity } from './context';
export type { ManagementOps, RoleSession } from './managementOps';
export type { SessionOps } from './sessionOps';
export type { RootSession } from './rootSession';
export type { ParentPage, ParentResult, WalkProgress, WalkSummary } from './orgListing';
export type { BucketRef, PolicyRead, WriteResult } from './s3Policy';
export type { QueueRef } from './sqsPolicy';
export type { CallGate, DeletionResult, DeletionStep, ListOptions, RecoveryResult } from './iamRoot';
export type { OrganizationFacts, OrgFeature, OrgFeatures, TrustedAccess } from './orgFeatures';
