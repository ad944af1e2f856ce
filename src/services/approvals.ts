import { join } from 'node:path';
import { SIGNATURE_NAMESPACE, sshVerifier, usedRequestsIn, type SignatureVerifier } from '../core/approval';
import type { ApprovalEnv } from '../core/approvalGate';
import type { AwsAccess } from './awsAccess';
import { readApprovalSettings } from './rootTaskSettings';

/** Without an allowed-signers file no signature can count: every one is refused with the reason. */
const NO_SIGNERS: SignatureVerifier = {
  verify: async () => ({ ok: false, reason: 'unknownSigner', message: 'cannot be checked: rootTasks.approvals.allowedSignersFile is not set' }),
};

/**
 * The runner's approval environment from the settings, read at the start of each task. Used
 * requests are remembered in the extension's global storage (one marker per request hash).
 */
export function approvalEnv(aws: AwsAccess, storageDir: string): ApprovalEnv | undefined {
  const s = readApprovalSettings();
  if (s.required === 0 && !s.allowedSignersFile) return undefined;
  return {
    settings: { required: s.required, maxAgeSeconds: s.maxAgeSeconds },
    verifier: s.allowedSignersFile ? sshVerifier({ namespace: SIGNATURE_NAMESPACE, allowedSigners: s.allowedSignersFile }) : NO_SIGNERS,
    used: usedRequestsIn(join(storageDir, 'approvals', 'used')),
    caller: async () => (await aws.context().callerIdentity()).arn,
  };
}
