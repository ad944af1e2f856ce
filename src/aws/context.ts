import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createClients, type CallRecord, type Credentials, type ServiceClients } from './clients';
import { quotaOf } from '../core/awsQuotas';
import { createLimiter, type Limiter } from '../core/rateLimit';
import { bindManagementOps, type ManagementOps } from './managementOps';

export interface AwsSettings {
  region: string;
  /** Custom endpoint (sandbox/emulator); undefined = AWS. Only ever from user/machine settings. */
  endpoint?: string;
  /** Named profile from the user's AWS config; undefined = the default chain. */
  profile?: string;
  /** Old global rate across every call (rootTasks.requestsPerSecond, deprecated); 0 = none: each (service, account) key is paced at AWS's quota. */
  requestsPerSecond: number;
  /** Calls in flight at once, over every key (sockets and CPU). */
  concurrency: number;
  /** Optional ceiling per account over all its services; 0 or undefined = AWS's quotas only. */
  requestsPerSecondPerAccount?: number;
  /** Per-key quotas by service instead of AWS's (src/core/awsQuotas.ts): for emulators, tests and benchmarks, not a user setting. */
  quotas?: Partial<Record<string, number>>;
  maxAttempts?: number;
}

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/** Management-account AWS access for one set of settings: clients, a shared limiter, identity. */
export interface AwsContext {
  readonly settings: AwsSettings;
  readonly management: ServiceClients;
  readonly limiter: Limiter;
  /** Clients for short-lived credentials (root or role sessions), optionally in another region. The caller destroys them. */
  clientsFor(credentials: AwsCredentialIdentity, region?: string): ServiceClients;
  /** GetCallerIdentity of the management credentials, asked once. */
  callerIdentity(): Promise<CallerIdentity>;
  /** The management operations bound to this context. */
  readonly ops: ManagementOps;
  dispose(): void;
}

export function createAwsContext(settings: AwsSettings, credentials?: Credentials, onCall?: (call: CallRecord) => void): AwsContext {
  // The standard chain (env, SSO, profiles, credential_process, IMDS) — no hand-written parsing.
  const provider = credentials ?? fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {});
  const options = { region: settings.region, endpoint: settings.endpoint, maxAttempts: settings.maxAttempts, onCall };
  const management = createClients(provider, options);
  const limiter = createLimiter({
    ratePerSecond: settings.requestsPerSecond,
    concurrency: settings.concurrency,
    perAccountPerSecond: settings.requestsPerSecondPerAccount,
    quotaOf: (key) => settings.quotas?.[key.service] ?? quotaOf(key),
  });
  let identity: Promise<CallerIdentity> | undefined;
  const context: AwsContext = {
    settings,
    management,
    limiter,
    clientsFor: (creds, region) => createClients(creds, { ...options, region: region ?? options.region }),
    callerIdentity() {
      identity ??= management.sts.send(new GetCallerIdentityCommand({})).then((r) => ({
        arn: r.Arn ?? '',
        account: r.Account ?? '',
        userId: r.UserId ?? '',
      }));
      // A failed lookup (no credentials yet) must not be cached forever.
      identity.catch(() => (identity = undefined));
      return identity;
    },
    get ops() {
      return (ops ??= bindManagementOps(context));
    },
    dispose: () => management.destroy(),
  };
  let ops: ManagementOps | undefined;
  return context;
}
