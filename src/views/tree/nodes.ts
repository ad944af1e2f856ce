import type { OrgAccount, OrgUnit, OrganizationInfo } from '../../core/orgIndex';
import type { ResourceFinding, RootCredentialStatus, SkipNote } from '../../core/findings';
import type { Target } from '../../core/targets';

/**
 * Tree elements. Each carries a stable id (ARN-based, so expansion state survives refreshes) and,
 * where a command can act on it, a `target` that commands read without knowing tree types.
 */
export type Node =
  | { kind: 'organization'; id: string; org: OrganizationInfo; target: Target }
  | { kind: 'notice'; id: string; message: string; detail?: string; command?: string; args?: unknown[] }
  | { kind: 'root'; id: string; org: OrganizationInfo; parentId: string; target: Target }
  | { kind: 'ou'; id: string; ou: OrgUnit; target: Target }
  | { kind: 'account'; id: string; account: OrgAccount; management: boolean; target: Target }
  | { kind: 'rootStatus'; id: string; accountId: string; management: boolean; status?: RootCredentialStatus; tokens: string[] }
  | { kind: 'group'; id: string; accountId: string; service: 's3' | 'sqs'; findings: ResourceFinding[]; scannedAt?: string; scanError?: string; skipped?: SkipNote }
  | { kind: 'resource'; id: string; finding: ResourceFinding; target: Target }
  | { kind: 'error'; id: string; parentId: string; message: string }
  | { kind: 'loading'; id: string };

export function resourceTarget(f: ResourceFinding): Target {
  return f.kind === 's3'
    ? { kind: 'bucket', accountId: f.accountId, bucket: f.name, region: f.region }
    : { kind: 'queue', accountId: f.accountId, queue: f.name, queueUrl: f.url ?? '', region: f.region };
}
