// IAM's centralized-root-access organization features: list, enable and disable
// RootCredentialsManagement and RootSessions. Only the management account (enable) or it and the
// IAM delegated administrator (list, disable) may call them, with trusted access for IAM on.
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { QueryHandler } from '../protocols/query';
import { memberList, tag } from '../xml';

type Feature = 'RootCredentialsManagement' | 'RootSessions';

function precheck(ctx: CallContext, operation: string, managementOnly: boolean): void {
  const { state } = ctx;
  const accountId = ctx.caller.principal.accountId;
  ctx.target = state.org.arn;
  requireAllowed(ctx, { action: `iam:${operation}`, resource: '*', resourceAccount: accountId });
  const isManagement = accountId === state.org.managementAccountId;
  const isDelegated = state.isDelegatedAdmin(accountId, 'iam.amazonaws.com');
  if (!isManagement && !isDelegated) {
    throw new ApiError(
      'AccountNotManagementOrDelegatedAdministratorException',
      'The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.',
    );
  }
  if (managementOnly && !isManagement) {
    throw new ApiError('CallerIsNotManagementAccountException', 'The request was rejected because the account making the request is not the management account for the organization.');
  }
  if (state.org.featureSet !== 'ALL') {
    throw new ApiError('OrganizationNotInAllFeaturesModeException', 'The request was rejected because your organization does not have All features enabled.');
  }
  if (!state.org.trustedServices.has('iam.amazonaws.com')) {
    throw new ApiError('ServiceAccessNotEnabledException', 'The request was rejected because trusted access for IAM is not enabled for your organization.');
  }
}

function result(ctx: CallContext): string {
  const f = ctx.state.org.features;
  const enabled = (['RootCredentialsManagement', 'RootSessions'] as const).filter((k) => f[k]);
  return tag('OrganizationId', ctx.state.org.id) + memberList('EnabledFeatures', enabled, (x) => x);
}

function toggle(feature: Feature, on: boolean): QueryHandler {
  const operation = `${on ? 'Enable' : 'Disable'}Organizations${feature}`;
  return (ctx) => {
    precheck(ctx, operation, on);
    ctx.state.org.features[feature] = on;
    return result(ctx);
  };
}

export const iamFeatureOperations: Record<string, QueryHandler> = {
  ListOrganizationsFeatures: (ctx) => {
    precheck(ctx, 'ListOrganizationsFeatures', false);
    return result(ctx);
  },
  EnableOrganizationsRootCredentialsManagement: toggle('RootCredentialsManagement', true),
  DisableOrganizationsRootCredentialsManagement: toggle('RootCredentialsManagement', false),
  EnableOrganizationsRootSessions: toggle('RootSessions', true),
  DisableOrganizationsRootSessions: toggle('RootSessions', false),
};
