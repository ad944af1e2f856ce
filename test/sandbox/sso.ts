// The IAM Identity Center portal's GetRoleCredentials (GET /federation/credentials?role_name=&
// account_id= with the x-amz-sso_bearer_token header; no SigV4), as the SDK's SSO credential
// provider calls it. Access tokens are registered through the control API (POST
// /_sandbox/sso/tokens), standing in for `aws sso login`: an unknown or expired token answers
// UnauthorizedException, a role the account does not have ForbiddenException.
import type { IncomingMessage } from 'node:http';
import type { Outgoing } from './dispatch';
import type { Sandbox } from './sandbox';

const json = (status: number, body: unknown, errorType?: string): Outgoing => ({
  status,
  headers: { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) },
  body: JSON.stringify(body),
});

export function getRoleCredentials(sandbox: Sandbox, req: IncomingMessage, query: URLSearchParams): Outgoing {
  const header = req.headers['x-amz-sso_bearer_token'];
  const token = Array.isArray(header) ? header[0] : header;
  const known = token ? sandbox.ssoTokens.get(token) : undefined;
  if (!known || known.expiresAt.getTime() <= sandbox.now().getTime()) {
    return json(401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
  }
  const roleName = query.get('role_name') ?? '';
  const accountId = query.get('account_id') ?? '';
  const account = sandbox.state.account(accountId);
  if (!account || account.state !== 'ACTIVE' || !account.roles.has(roleName)) {
    return json(403, { message: 'No access' }, 'ForbiddenException');
  }
  // The session of a permission set's role; at most an hour, and never beyond the sign-in.
  const expiration = new Date(Math.min(sandbox.now().getTime() + 3600_000, known.expiresAt.getTime()));
  const cred = sandbox.issue({ type: 'role-session', accountId, roleName, sessionName: known.user, sourceArn: `sso:${known.user}` }, expiration);
  return json(200, {
    roleCredentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secret, sessionToken: cred.sessionToken, expiration: expiration.getTime() },
  });
}
