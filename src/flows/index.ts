// Entry of the lazily loaded flows bundle (dist/flows.js): the steps of every flow, editor-free.
// The lockout analyzer comes in with the flows that use it, so the activation bundle carries
// neither; commands load this bundle on first use (src/services/lazyBundles.ts).
export { unlockPolicy } from './unlock';
export { BUCKET_POLICY, QUEUE_POLICY, targetFromArgs } from './policyKinds';
export { resumeScan, scanForLockedPolicies } from './scan';
export { confirmSuspected } from './confirmSuspected';
export { auditRootCredentials, recordResults } from './credentials/audit';
export { deleteRootCredentials, describePlan } from './credentials/delete';
export { allowRootPasswordRecovery } from './credentials/recovery';
export { enableRootAccessFeatures, readFeatures, FEATURE_LABELS } from './orgSetup/features';
export { gatherSetup } from './orgSetup/checkSetup';
export { accountGuards } from './orgGuards';
export { runRootTask } from '../core/sessionRunner';
export { createManagementEnv, createRootFlowEnv, createScanEnv } from './env';
export { runApprovedUnlock } from './approvedUnlock';
export { requestCredentialDeletion, runApprovedCredentialDeletion } from './credentials/requests';
