import {
  CreateLoginProfileCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { RootCredentialListing } from '../core/rootReport';
import type { CallGate } from '../core/gate';
import { errorSummary, isAwsError } from './errors';

export type { CallGate } from '../core/gate';

/**
 * IAM operations on a member account's root user, made with AssumeRoot credentials. Root-user
 * calls omit UserName (the session's principal is the root user). Every call goes through the
 * flow's audited gate (src/core/gate.ts), which also paces it.
 */
const rootArn = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** Walks an IAM Marker/IsTruncated listing to the end; a repeated marker is an error, not a loop. */
async function pageAll<T>(
  fetch: (marker: string | undefined) => Promise<{ items: T[] | undefined; truncated?: boolean; marker?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const page = await fetch(marker);
    items.push(...(page.items ?? []));
    if (!page.truncated) return items;
    if (!page.marker || seen.has(page.marker)) throw new Error('IAM returned a truncated page without a new Marker');
    seen.add(page.marker);
    marker = page.marker;
  }
}

/** NoSuchEntity from GetLoginProfile means "no password", not a failure. */
async function readPassword(iam: IAMClient, gate: CallGate, resource: string): Promise<RootCredentialListing['password']> {
  try {
    const r = await gate.read('GetLoginProfile', resource, () => iam.send(new GetLoginProfileCommand({})));
    return {
      present: true,
      createdAt: r.LoginProfile?.CreateDate?.toISOString(),
      passwordResetRequired: r.LoginProfile?.PasswordResetRequired,
    };
  } catch (err) {
    if (isAwsError(err, 'NoSuchEntity')) return { present: false };
    throw err;
  }
}

export interface ListOptions {
  /** GetAccountSummary (default true) is allowed under the audit task only, not the delete task. */
  summary?: boolean;
  /** GetAccessKeyLastUsed for each key (default true; allowed under audit and delete). */
  lastUsed?: boolean;
  /** MaxItems per page; IAM's default (100) when unset. */
  pageSize?: number;
}

/** Everything the root user has: password, access keys, signing certificates, MFA devices. */
export async function listRootCredentials(
  iam: IAMClient,
  gate: CallGate,
  accountId: string,
  options: ListOptions = {},
): Promise<RootCredentialListing> {
  const { summary = true, lastUsed = true, pageSize } = options;
  const resource = rootArn(accountId);
  const password = await readPassword(iam, gate, resource);
  const keys = await pageAll(async (Marker) => {
    const r = await gate.read('ListAccessKeys', resource, () => iam.send(new ListAccessKeysCommand({ Marker, MaxItems: pageSize })));
    return { items: r.AccessKeyMetadata, truncated: r.IsTruncated, marker: r.Marker };
  });
  const accessKeys = [];
  for (const k of keys) {
    if (!k.AccessKeyId) continue;
    const key: RootCredentialListing['accessKeys'][number] = {
      id: k.AccessKeyId,
      status: k.Status ?? 'Unknown',
      createdAt: k.CreateDate?.toISOString(),
    };
    if (lastUsed) {
      const id = k.AccessKeyId;
      const used = await gate.read('GetAccessKeyLastUsed', `${resource}/access-key/${id}`, () =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })),
      );
      const u = used.AccessKeyLastUsed;
      key.lastUsed = { date: u?.LastUsedDate?.toISOString(), service: u?.ServiceName, region: u?.Region };
    }
    accessKeys.push(key);
  }
  const certificates = await pageAll(async (Marker) => {
    const r = await gate.read('ListSigningCertificates', resource, () => iam.send(new ListSigningCertificatesCommand({ Marker, MaxItems: pageSize })));
    return { items: r.Certificates, truncated: r.IsTruncated, marker: r.Marker };
  });
  const mfa = await pageAll(async (Marker) => {
    const r = await gate.read('ListMFADevices', resource, () => iam.send(new ListMFADevicesCommand({ Marker, MaxItems: pageSize })));
    return { items: r.MFADevices, truncated: r.IsTruncated, marker: r.Marker };
  });
  const listing: RootCredentialListing = {
    password,
    accessKeys,
    signingCertificates: certificates.flatMap((c) =>
      c.CertificateId ? [{ id: c.CertificateId, status: c.Status ?? 'Unknown', uploadedAt: c.UploadDate?.toISOString() }] : [],
    ),
    mfaDevices: mfa.flatMap((d) =>
      d.SerialNumber ? [{ serialNumber: d.SerialNumber, enabledAt: d.EnableDate?.toISOString(), virtual: isVirtualMfa(d.SerialNumber) }] : [],
    ),
  };
  if (summary) {
    const s = await gate.read('GetAccountSummary', resource, () => iam.send(new GetAccountSummaryCommand({})));
    const m = s.SummaryMap ?? {};
    listing.summary = {
      AccountMFAEnabled: m.AccountMFAEnabled,
      AccountAccessKeysPresent: m.AccountAccessKeysPresent,
      AccountSigningCertificatesPresent: m.AccountSigningCertificatesPresent,
      AccountPasswordPresent: m.AccountPasswordPresent,
    };
  }
  return listing;
}

/** Virtual MFA serials are ARNs with an `:mfa/` resource; hardware and FIDO devices are not deleted, only deactivated. */
function isVirtualMfa(serialNumber: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:mfa\//.test(serialNumber);
}

export interface DeletionStep {
  kind: 'password' | 'accessKey' | 'signingCertificate' | 'mfaDevice';
  id: string;
  outcome: 'deleted' | 'already-gone' | 'failed';
  error?: string;
}

export interface DeletionResult {
  steps: DeletionStep[];
  /** The re-listing after the deletes (no summary: the delete task does not allow it). */
  after: RootCredentialListing;
  /** True when the re-listing shows no password, key, certificate or MFA device. */
  verified: boolean;
}

/**
 * Deletes exactly what `plan` (the listing the user confirmed) shows, item by item — a failure on
 * one item is recorded and the rest still run — then re-lists to verify nothing remains.
 */
export async function deleteRootCredentials(
  iam: IAMClient,
  gate: CallGate,
  accountId: string,
  plan: RootCredentialListing,
): Promise<DeletionResult> {
  const resource = rootArn(accountId);
  const steps: DeletionStep[] = [];
  const attempt = async (kind: DeletionStep['kind'], id: string, run: () => Promise<unknown>) => {
    try {
      await run();
      steps.push({ kind, id, outcome: 'deleted' });
    } catch (err) {
      if (isAwsError(err, 'NoSuchEntity')) steps.push({ kind, id, outcome: 'already-gone' });
      else steps.push({ kind, id, outcome: 'failed', error: errorSummary(err) });
    }
  };
  if (plan.password.present) {
    await attempt('password', 'login profile', () =>
      gate.write('DeleteLoginProfile', resource, () => iam.send(new DeleteLoginProfileCommand({}))),
    );
  }
  for (const k of plan.accessKeys) {
    await attempt('accessKey', k.id, () =>
      gate.write('DeleteAccessKey', `${resource}/access-key/${k.id}`, () => iam.send(new DeleteAccessKeyCommand({ AccessKeyId: k.id }))),
    );
  }
  for (const c of plan.signingCertificates) {
    await attempt('signingCertificate', c.id, () =>
      gate.write('DeleteSigningCertificate', `${resource}/signing-certificate/${c.id}`, () =>
        iam.send(new DeleteSigningCertificateCommand({ CertificateId: c.id })),
      ),
    );
  }
  for (const d of plan.mfaDevices) {
    await attempt('mfaDevice', d.serialNumber, async () => {
      await gate.write('DeactivateMFADevice', d.serialNumber, () =>
        iam.send(new DeactivateMFADeviceCommand({ SerialNumber: d.serialNumber })),
      );
      // A deactivated virtual device still exists (and could be re-enabled) until it is deleted.
      if (d.virtual) {
        await gate.write('DeleteVirtualMFADevice', d.serialNumber, () =>
          iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: d.serialNumber })),
        );
      }
    });
  }
  const after = await listRootCredentials(iam, gate, accountId, { summary: false, lastUsed: false });
  const verified = !after.password.present && !after.accessKeys.length && !after.signingCertificates.length && !after.mfaDevices.length;
  return { steps, after, verified };
}

export type RecoveryResult =
  | { outcome: 'enabled'; createdAt?: string }
  | { outcome: 'has-password' };

/**
 * Allows root password recovery: CreateLoginProfile without a password (AssumeRoot requires it be
 * omitted), only when GetLoginProfile shows none, then GetLoginProfile again to verify.
 * `beforeCreate` runs once the account is known to have no password (the flow's confirmation).
 */
export async function allowRootPasswordRecovery(
  iam: IAMClient,
  gate: CallGate,
  accountId: string,
  beforeCreate?: () => Promise<void>,
): Promise<RecoveryResult> {
  const resource = rootArn(accountId);
  const before = await readPassword(iam, gate, resource);
  if (before.present) return { outcome: 'has-password' };
  await beforeCreate?.();
  await gate.write('CreateLoginProfile', resource, () => iam.send(new CreateLoginProfileCommand({})));
  const after = await readPassword(iam, gate, resource);
  if (!after.present) throw new Error('CreateLoginProfile succeeded but GetLoginProfile still shows no login profile');
  return { outcome: 'enabled', createdAt: after.createdAt };
}
