// AWS Organizations (JSON 1.1): the organization, its tree (roots, OUs, accounts, parents and
// children), account descriptions, and trusted access / delegated administrators.
import type { CallContext } from '../context';
import { ApiError } from '../errors';
import type { JsonHandler, JsonInput } from '../protocols/json';
import { rootShape, orgPolicyOperations } from './orgPolicyOps';
import { accountShape, ACCOUNT_ID, checkAccess, CHILD_ID, invalidInput, optionalString, ouShape, paginate, PARENT_ID, requiredString } from './orgCommon';

export const ORGANIZATIONS_TARGET = 'AWSOrganizationsV20161128';

function parentOrThrow(ctx: CallContext, input: JsonInput): string {
  const parentId = requiredString(input, 'ParentId', PARENT_ID);
  if (!ctx.state.children.has(parentId)) {
    throw new ApiError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
  }
  ctx.target = parentId;
  return parentId;
}

const describeOrganization: JsonHandler = (ctx) => {
  checkAccess(ctx, 'DescribeOrganization', 'member');
  const org = ctx.state.org;
  const management = ctx.state.account(org.managementAccountId)!;
  return {
    Organization: {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: org.featureSet,
      MasterAccountArn: management.arn,
      MasterAccountId: management.id,
      MasterAccountEmail: management.email,
      // Deprecated by AWS in favour of ListRoots' PolicyTypes; kept consistent with it.
      AvailablePolicyTypes: org.featureSet === 'ALL' ? rootShape(ctx).PolicyTypes : [],
    },
  };
};

const listRoots: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListRoots', 'read');
  const root = rootShape(ctx);
  const { page, NextToken } = paginate(ctx, input, 'ListRoots', [root]);
  return { Roots: page, NextToken };
};

const listOusForParent: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListOrganizationalUnitsForParent', 'read');
  const parentId = parentOrThrow(ctx, input);
  const ids = ctx.state.children.get(parentId)!.ous;
  const { page, NextToken } = paginate(ctx, input, `ListOUs:${parentId}`, ids);
  return { OrganizationalUnits: page.map((id) => ouShape(ctx, ctx.state.ous.get(id)!)), NextToken };
};

const listAccountsForParent: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListAccountsForParent', 'read');
  const parentId = parentOrThrow(ctx, input);
  const ids = ctx.state.children.get(parentId)!.accounts;
  const { page, NextToken } = paginate(ctx, input, `ListAccountsForParent:${parentId}`, ids);
  return { Accounts: page.map((id) => accountShape(ctx, ctx.state.account(id)!)), NextToken };
};

const listAccounts: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListAccounts', 'read');
  const { page, NextToken } = paginate(ctx, input, 'ListAccounts', [...ctx.state.accounts.values()]);
  return { Accounts: page.map((a) => accountShape(ctx, a)), NextToken };
};

const listChildren: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListChildren', 'read');
  const type = optionalString(input, 'ChildType');
  if (type === undefined) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ChildType.');
  if (type !== 'ACCOUNT' && type !== 'ORGANIZATIONAL_UNIT') throw invalidInput('INVALID_ENUM', 'You specified an invalid value for ChildType.');
  const parentId = parentOrThrow(ctx, input);
  const c = ctx.state.children.get(parentId)!;
  const ids = type === 'ACCOUNT' ? c.accounts : c.ous;
  const { page, NextToken } = paginate(ctx, input, `ListChildren:${type}:${parentId}`, ids);
  return { Children: page.map((Id) => ({ Id, Type: type })), NextToken };
};

const listParents: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListParents', 'read');
  const childId = requiredString(input, 'ChildId', CHILD_ID);
  const parentId = ctx.state.account(childId)?.parentId ?? ctx.state.ous.get(childId)?.parentId;
  if (!parentId) throw new ApiError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
  ctx.target = childId;
  const parent = { Id: parentId, Type: parentId.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
  const { page, NextToken } = paginate(ctx, input, `ListParents:${childId}`, [parent]);
  return { Parents: page, NextToken };
};

const describeAccount: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'DescribeAccount', 'read');
  const id = requiredString(input, 'AccountId', ACCOUNT_ID);
  const account = ctx.state.account(id);
  ctx.target = id;
  if (!account) throw new ApiError('AccountNotFoundException', "You specified an account that doesn't exist.");
  return { Account: accountShape(ctx, account) };
};

const SERVICE_PRINCIPAL = /^[\w+=,.@-]*\.amazonaws\.com(\.cn)?$/;

const listServiceAccess: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListAWSServiceAccessForOrganization', 'read');
  const all = [...ctx.state.org.trustedServices].map(([ServicePrincipal, d]) => ({ ServicePrincipal, DateEnabled: d.getTime() / 1000 }));
  const { page, NextToken } = paginate(ctx, input, 'ListAWSServiceAccess', all);
  return { EnabledServicePrincipals: page, NextToken };
};

function serviceAccess(enable: boolean): JsonHandler {
  return (ctx, input) => {
    checkAccess(ctx, `${enable ? 'Enable' : 'Disable'}AWSServiceAccess`, 'write');
    const principal = optionalString(input, 'ServicePrincipal');
    if (!principal) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ServicePrincipal.');
    if (!SERVICE_PRINCIPAL.test(principal)) throw invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', 'You specified an unrecognized service principal.');
    ctx.target = principal;
    const trusted = ctx.state.org.trustedServices;
    if (enable && !trusted.has(principal)) trusted.set(principal, ctx.now);
    if (!enable) trusted.delete(principal);
    return {};
  };
}

const listDelegatedAdministrators: JsonHandler = (ctx, input) => {
  checkAccess(ctx, 'ListDelegatedAdministrators', 'read');
  const service = optionalString(input, 'ServicePrincipal');
  const admins = [...ctx.state.org.delegatedAdmins]
    .filter(([, d]) => !service || d.services.has(service))
    .map(([id, d]) => ({ ...accountShape(ctx, ctx.state.account(id)!), Paths: undefined, DelegationEnabledDate: d.since.getTime() / 1000 }));
  const { page, NextToken } = paginate(ctx, input, `ListDelegatedAdministrators:${service ?? ''}`, admins);
  return { DelegatedAdministrators: page, NextToken };
};

export const organizationsOperations: Record<string, JsonHandler> = {
  DescribeOrganization: describeOrganization,
  ListRoots: listRoots,
  ListOrganizationalUnitsForParent: listOusForParent,
  ListAccountsForParent: listAccountsForParent,
  ListAccounts: listAccounts,
  ListChildren: listChildren,
  ListParents: listParents,
  DescribeAccount: describeAccount,
  ListAWSServiceAccessForOrganization: listServiceAccess,
  EnableAWSServiceAccess: serviceAccess(true),
  DisableAWSServiceAccess: serviceAccess(false),
  ListDelegatedAdministrators: listDelegatedAdministrators,
  ...orgPolicyOperations,
};
