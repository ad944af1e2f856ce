import {
  DisableOrganizationsRootCredentialsManagementCommand,
  DisableOrganizationsRootSessionsCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  ListOrganizationsFeaturesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
} from '@aws-sdk/client-organizations';
import type { AwsContext } from './context';
import type { CallGate } from './iamRoot';
import { errorName, errorSummary, isAccessDenied, isAwsError } from './errors';
import { adviceForError } from '../core/setupCheck';

/**
 * The organization-level switches centralized root access needs, read and changed with the
 * management (or delegated admin) credentials: IAM's two features, trusted access for IAM, and
 * the all-features mode. Every call goes through a gate so the flow audits and rate-limits it.
 */
export type OrgFeature = 'RootCredentialsManagement' | 'RootSessions';
const IAM_SERVICE_PRINCIPAL = 'iam.amazonaws.com';
const ORG_RESOURCE = 'organization';

export interface OrgFeatures {
  organizationId: string;
  enabled: Record<OrgFeature, boolean>;
}

function toFeatures(r: { OrganizationId?: string; EnabledFeatures?: string[] }): OrgFeatures {
  const on = new Set(r.EnabledFeatures ?? []);
  return {
    organizationId: r.OrganizationId ?? '',
    enabled: { RootCredentialsManagement: on.has('RootCredentialsManagement'), RootSessions: on.has('RootSessions') },
  };
}

export async function listOrganizationFeatures(aws: AwsContext, gate: CallGate): Promise<OrgFeatures> {
  const r = await gate.read('ListOrganizationsFeatures', ORG_RESOURCE, () =>
    aws.management.iam.send(new ListOrganizationsFeaturesCommand({})),
  );
  return toFeatures(r);
}

/** Turns one feature on or off, then reads the features again: the re-read is the verification. */
export async function setOrganizationFeature(
  aws: AwsContext,
  gate: CallGate,
  feature: OrgFeature,
  enable: boolean,
): Promise<OrgFeatures> {
  const iam = aws.management.iam;
  const call = (): Promise<unknown> =>
    feature === 'RootCredentialsManagement'
      ? enable ? iam.send(new EnableOrganizationsRootCredentialsManagementCommand({})) : iam.send(new DisableOrganizationsRootCredentialsManagementCommand({}))
      : enable ? iam.send(new EnableOrganizationsRootSessionsCommand({})) : iam.send(new DisableOrganizationsRootSessionsCommand({}));
  const operation = `${enable ? 'Enable' : 'Disable'}Organizations${feature}`;
  await gate.write(operation, ORG_RESOURCE, call);
  const after = await listOrganizationFeatures(aws, gate);
  if (after.enabled[feature] !== enable) {
    throw new Error(`${operation} succeeded but ListOrganizationsFeatures shows ${feature} ${enable ? 'off' : 'on'}`);
  }
  return after;
}

/** What to do about an error of IAM's feature calls (wire codes with or without "Exception"). */
export function featureErrorAdvice(err: unknown): string | undefined {
  return adviceForError(errorName(err));
}

export interface OrganizationFacts {
  id: string;
  managementAccountId: string;
  featureSet: string;
}

export async function describeOrganizationFacts(aws: AwsContext, gate: CallGate): Promise<OrganizationFacts> {
  const r = await gate.read('DescribeOrganization', ORG_RESOURCE, () =>
    aws.management.organizations.send(new DescribeOrganizationCommand({})),
  );
  const o = r.Organization;
  return { id: o?.Id ?? '', managementAccountId: o?.MasterAccountId ?? '', featureSet: o?.FeatureSet ?? '' };
}

/** 'unknown' with a reason: not implemented by this endpoint, or not allowed to these credentials. */
export interface TrustedAccess {
  status: 'enabled' | 'disabled' | 'unknown';
  reason?: string;
}

/**
 * Whether IAM has trusted access in Organizations. An endpoint that does not implement the call
 * (some emulators) or credentials that may not read it give "unknown", never a guess.
 */
export async function readTrustedAccess(aws: AwsContext, gate: CallGate, principal = IAM_SERVICE_PRINCIPAL): Promise<TrustedAccess> {
  try {
    let token: string | undefined;
    do {
      const page = await gate.read('ListAWSServiceAccessForOrganization', ORG_RESOURCE, () =>
        aws.management.organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: token, MaxResults: 20 })),
      );
      if (page.EnabledServicePrincipals?.some((p) => p.ServicePrincipal === principal)) return { status: 'enabled' };
      token = page.NextToken;
    } while (token);
    return { status: 'disabled' };
  } catch (err) {
    if (isNotImplemented(err)) return { status: 'unknown', reason: `this endpoint does not implement ListAWSServiceAccessForOrganization (${errorName(err) || 'unsupported'})` };
    if (isAccessDenied(err)) return { status: 'unknown', reason: `not allowed to read it: ${errorSummary(err)}` };
    throw err;
  }
}

/** Enables trusted access for IAM (management account only), then re-reads it to verify. */
export async function enableTrustedAccess(aws: AwsContext, gate: CallGate, principal = IAM_SERVICE_PRINCIPAL): Promise<TrustedAccess> {
  await gate.write('EnableAWSServiceAccess', `${ORG_RESOURCE}/${principal}`, () =>
    aws.management.organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal })),
  );
  return readTrustedAccess(aws, gate, principal);
}

function isNotImplemented(err: unknown): boolean {
  if (isAwsError(err, 'UnknownOperation', 'InvalidAction', 'NotImplemented', 'UnsupportedOperation', 'UnsupportedAPIEndpoint')) return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 501;
}
