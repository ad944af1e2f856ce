// Authentication: who signed this request? Verifies the SigV4 signature against the key's secret,
// the session token of temporary keys, the request time, the payload hash and the expiry, and
// returns the caller (IAM user, root, role session or root session).
import type { Caller, Runtime } from './context';
import { ApiError, errorOf } from './errors';
import type { RequestPrincipal } from './policyEval';
import { EMPTY_SHA256, expectedSignature, parseAmzDate, sha256Hex, signaturesEqual, UNSIGNED_PAYLOAD, type RawRequest, type SigV4Auth } from './sigv4';
import type { CredentialRec, SandboxState } from './state';
import type { ServiceName } from './types';

const MAX_SKEW_MS = 15 * 60 * 1000;

function header(raw: RawRequest, name: string): string | undefined {
  const v = raw.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function skewError(service: ServiceName, amzDate: string, now: Date): ApiError {
  if (service === 's3') {
    return new ApiError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
  }
  const stamp = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  return errorOf(service, 'badSignature', `Signature expired: ${amzDate} is now earlier than ${stamp} (${stamp} - 15 min.)`);
}

/** Checks x-amz-content-sha256 against the body (S3 sends it; the JS SDK sends it everywhere). */
function checkPayloadHash(service: ServiceName, raw: RawRequest): void {
  const declared = header(raw, 'x-amz-content-sha256');
  if (!declared || declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-')) return;
  const actual = raw.body.length ? sha256Hex(raw.body) : EMPTY_SHA256;
  if (declared === actual) return;
  if (service === 's3') {
    throw new ApiError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
  }
  throw errorOf(service, 'badSignature');
}

function principalOf(state: SandboxState, cred: CredentialRec): Omit<Caller, 'accessKeyId' | 'credential'> {
  const o = cred.owner;
  const account = state.account(o.accountId);
  const rootArn = `arn:aws:iam::${o.accountId}:root`;
  switch (o.type) {
    case 'iam-user': {
      const user = account?.users.get(o.userName);
      const principal: RequestPrincipal = { type: 'iam-user', arn: user?.arn ?? '', accountId: o.accountId };
      return { principal, userId: user?.userId ?? '', user };
    }
    case 'root':
      return { principal: { type: 'root', arn: rootArn, accountId: o.accountId }, userId: o.accountId, user: account?.root };
    case 'root-session':
      return { principal: { type: 'root-session', arn: rootArn, accountId: o.accountId }, userId: o.accountId, taskPolicyArn: o.taskPolicyArn };
    case 'role-session': {
      const role = account?.roles.get(o.roleName);
      const arn = `arn:aws:sts::${o.accountId}:assumed-role/${o.roleName}/${o.sessionName}`;
      const principal: RequestPrincipal = { type: 'role-session', arn, accountId: o.accountId, roleArn: role?.arn };
      return { principal, userId: `${role?.roleId ?? ''}:${o.sessionName}`, role };
    }
  }
}

export async function authenticate(
  state: SandboxState,
  runtime: Runtime,
  service: ServiceName,
  raw: RawRequest,
  auth: SigV4Auth,
): Promise<Caller> {
  const cred = state.credentials.get(auth.accessKeyId);
  if (!cred) throw errorOf(service, 'unknownKey');
  const token = header(raw, 'x-amz-security-token');
  if (cred.sessionToken === undefined && token !== undefined) throw errorOf(service, 'unknownKey');
  if (cred.sessionToken !== undefined && token !== cred.sessionToken) throw errorOf(service, 'expiredToken');

  const amzDate = header(raw, 'x-amz-date');
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || !amzDate!.startsWith(auth.date)) {
    throw errorOf(service, 'badSignature', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');
  }
  const wallClock = new Date();
  if (Math.abs(wallClock.getTime() - signingDate.getTime()) > MAX_SKEW_MS) throw skewError(service, amzDate!, wallClock);

  const expected = await expectedSignature(raw, auth, cred.secret, signingDate);
  if (!signaturesEqual(expected, auth.signature)) throw errorOf(service, 'badSignature');
  checkPayloadHash(service, raw);

  const now = runtime.now();
  if (cred.expiration && cred.expiration.getTime() <= now.getTime()) throw errorOf(service, 'expiredToken');
  const caller = principalOf(state, cred);
  if (cred.owner.type === 'iam-user' || cred.owner.type === 'root') {
    const key = caller.user?.accessKeys.find((k) => k.id === auth.accessKeyId);
    if (!key || key.status !== 'Active') throw errorOf(service, 'unknownKey');
    key.lastUsed = { date: now, service, region: auth.region };
  }
  return { ...caller, accessKeyId: auth.accessKeyId, credential: cred };
}
