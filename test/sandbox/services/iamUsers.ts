// IAM user-level reads and the console password: GetUser, GetAccountSummary and the login
// profile operations. Under a root session CreateLoginProfile takes no password: it only allows
// the root user to recover one (the sandbox records passwordSet = false).
import { requireAllowed } from '../authz';
import type { CallContext } from '../context';
import type { QueryHandler, QueryParams } from '../protocols/query';
import type { AccountRec, UserRec } from '../state';
import { tag, wrap } from '../xml';
import { callerAccount, iamError, targetUser } from './iamCommon';

function loginProfileXml(user: UserRec): string {
  const lp = user.loginProfile!;
  return wrap('LoginProfile', tag('UserName', user.name) + tag('CreateDate', lp.createDate) + tag('PasswordResetRequired', lp.passwordResetRequired));
}

const getUser: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:GetUser');
  // The root user has no user name or path: AWS answers with its id and ARN only.
  const body =
    user.kind === 'root'
      ? tag('UserId', user.userId) + tag('Arn', user.arn) + tag('CreateDate', user.createDate)
      : tag('Path', user.path) + tag('UserName', user.name) + tag('UserId', user.userId) + tag('Arn', user.arn) + tag('CreateDate', user.createDate);
  return wrap('User', body);
};

function summary(account: AccountRec): Record<string, number> {
  const root = account.root;
  const users = [...account.users.values()];
  const all = [root, ...users];
  return {
    Users: users.length,
    UsersQuota: 5000,
    Groups: 0,
    GroupsQuota: 300,
    Roles: account.roles.size,
    RolesQuota: 1000,
    Policies: 0,
    PoliciesQuota: 1500,
    AccessKeysPerUserQuota: 2,
    SigningCertificatesPerUserQuota: 2,
    MFADevices: account.virtualMfa.size + all.reduce((n, u) => n + u.mfa.filter((m) => m.kind === 'hardware').length, 0),
    MFADevicesInUse: all.reduce((n, u) => n + u.mfa.length, 0),
    AccountMFAEnabled: root.mfa.length ? 1 : 0,
    AccountAccessKeysPresent: root.accessKeys.length ? 1 : 0,
    AccountSigningCertificatesPresent: root.certificates.length ? 1 : 0,
    AccountPasswordPresent: root.loginProfile ? 1 : 0,
  };
}

const getAccountSummary: QueryHandler = (ctx) => {
  const account = callerAccount(ctx);
  ctx.target = account.root.arn;
  requireAllowed(ctx, { action: 'iam:GetAccountSummary', resource: '*', resourceAccount: account.id });
  const entries = Object.entries(summary(account)).map(([k, v]) => wrap('entry', tag('key', k) + tag('value', v)));
  return wrap('SummaryMap', entries.join(''));
};

const getLoginProfile: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:GetLoginProfile');
  if (!user.loginProfile) throw iamError('NoSuchEntity', `Login Profile for User ${user.name} cannot be found.`);
  return loginProfileXml(user);
};

function createLoginProfile(ctx: CallContext, p: QueryParams): string {
  const user = targetUser(ctx, p, 'iam:CreateLoginProfile');
  const password = p.checked('Password', p.get('Password'), 1, 128);
  const rootSession = ctx.caller.principal.type === 'root-session';
  if (rootSession && password !== undefined) {
    throw iamError('InvalidInput', 'A password cannot be set for the root user from a privileged root session; omit Password to allow password recovery.');
  }
  if (!rootSession && password === undefined) throw iamError('ValidationError', 'Password is required for CreateLoginProfile.');
  if (password !== undefined && password.length < 8) throw iamError('PasswordPolicyViolation', 'Password should have a minimum length of 8');
  if (user.loginProfile) throw iamError('EntityAlreadyExists', `Login Profile for user ${user.name} already exists.`);
  const resetRequired = p.get('PasswordResetRequired') === 'true';
  user.loginProfile = { createDate: ctx.now, passwordResetRequired: resetRequired, passwordSet: password !== undefined };
  return loginProfileXml(user);
}

const deleteLoginProfile: QueryHandler = (ctx, p) => {
  const user = targetUser(ctx, p, 'iam:DeleteLoginProfile');
  if (!user.loginProfile) throw iamError('NoSuchEntity', `Login Profile for User ${user.name} cannot be found.`);
  delete user.loginProfile;
  return undefined;
};

export const iamUserOperations: Record<string, QueryHandler> = {
  GetUser: getUser,
  GetAccountSummary: getAccountSummary,
  GetLoginProfile: getLoginProfile,
  CreateLoginProfile: createLoginProfile,
  DeleteLoginProfile: deleteLoginProfile,
};
