import { AssumeRootCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { MAX_ROOT_SESSION_SECONDS, ROOT_TASKS, isAccountId, type RootTaskName } from '../core/tasks';
import { MANAGEMENT, limitKey } from '../core/awsQuotas';
import type { ServiceClients } from './clients';
import type { AwsContext } from './context';
import { bindSessionOps, type SessionOps } from './sessionOps';

/**
 * Short-lived root credentials for one task on one member account. The credentials live only in
 * this object (closure), are never serialised, and `end()` drops them and destroys the clients.
 */
export interface RootSession {
  readonly accountId: string;
  readonly task: RootTaskName;
  readonly expiresAt: Date;
  /**
   * The session's access key id (ASIA…): an identifier, not a secret. CloudTrail records it on the
   * AssumeRoot event and on every call the session makes, which is how they are correlated.
   */
  readonly accessKeyId: string;
  /** When AssumeRoot answered (the CloudTrail lookup starts a little before). */
  readonly issuedAt: Date;
  /** AssumeRoot's request id, for the audit trail and CloudTrail correlation. */
  readonly requestId?: string;
  /** Clients signed with the root credentials (optionally in another region); throws once the session has ended. */
  clients(region?: string): ServiceClients;
  /** The session's AWS operations, bound to its credentials (each throws once the session has ended). */
  readonly ops: SessionOps;
  secondsLeft(now?: Date): number;
  readonly ended: boolean;
  end(): void;
  /** Never print the credentials, even by accident (util.inspect, JSON.stringify, String()). */
  toJSON(): object;
}

export async function assumeRoot(
  aws: AwsContext,
  request: { accountId: string; task: RootTaskName; durationSeconds?: number },
): Promise<RootSession> {
  if (!isAccountId(request.accountId)) throw new Error(`"${request.accountId}" is not a 12-digit account id`);
  const duration = Math.min(MAX_ROOT_SESSION_SECONDS, Math.max(0, Math.floor(request.durationSeconds ?? MAX_ROOT_SESSION_SECONDS)));
  const result = await aws.limiter.run(() =>
    aws.management.sts.send(new AssumeRootCommand({
      TargetPrincipal: request.accountId,
      TaskPolicyArn: { arn: ROOT_TASKS[request.task].arn },
      DurationSeconds: duration,
    })),
    // STS throttles per calling account: AssumeRoot counts against the management account.
    limitKey('sts', MANAGEMENT),
  );
  const c = result.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error('AssumeRoot returned no credentials');
  }
  let credentials: AwsCredentialIdentity | undefined = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
  const expiresAt = c.Expiration;
  const issuedAt = new Date();
  const clients = new Map<string, ServiceClients>();
  const describe = { accountId: request.accountId, task: request.task, expiresAt: expiresAt.toISOString() };
  const session = {
    accountId: request.accountId,
    task: request.task,
    expiresAt,
    accessKeyId: c.AccessKeyId,
    issuedAt,
    requestId: result.$metadata.requestId,
    get ended() {
      return credentials === undefined;
    },
    clients(region = aws.settings.region) {
      if (!credentials) throw new Error('The root session has ended');
      let c = clients.get(region);
      if (!c) clients.set(region, (c = aws.clientsFor(credentials, region)));
      return c;
    },
    ops: bindSessionOps((region) => session.clients(region), aws.settings.region),
    secondsLeft: (now = new Date()) => Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
    end() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
      credentials = undefined;
    },
    toJSON: () => describe,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `RootSession ${JSON.stringify(describe)}`,
  } as RootSession;
  return session;
}
