import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UserError } from '../core/errors';
import { createClients, sharedHttpHandler, type CallRecord, type Credentials, type ServiceClients } from './clients';
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

/** What the editor side lends the credential chain and the clients (all optional). */
export interface ContextHooks {
  /**
   * Asked for a code when the chain assumes a role whose profile has `mfa_serial`. Rejecting
   * means no credentials. Asked once per session: the chain keeps the credentials it got until
   * they expire, and a failed attempt (wrong code) is not kept, so the next call asks again.
   */
  mfaCode?: (request: { profile: string; serial: string }) => Promise<string>;
  /** Told when STS refused the code just given (the message names profile and device). */
  mfaRefused?: (message: string) => void;
  /** Told when the profile's IAM Identity Center (SSO) session is missing or expired. */
  ssoExpired?: (profile: string) => void;
  /** Told the `Date` header of every AWS response and the local time it arrived (clock skew). */
  onServerDate?: (serverMs: number, localMs: number) => void;
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

export function createAwsContext(settings: AwsSettings, credentials?: Credentials, onCall?: (call: CallRecord) => void, hooks: ContextHooks = {}): AwsContext {
  const provider = credentials ?? defaultChain(settings, hooks);
  const http = sharedHttpHandler();
  const options = { region: settings.region, endpoint: settings.endpoint, maxAttempts: settings.maxAttempts, onCall, onServerDate: hooks.onServerDate, http };
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
    dispose: () => {
      management.destroy();
      http.destroy();
    },
  };
  let ops: ManagementOps | undefined;
  return context;
}

const SSO_EXPIRED = /SSO session|aws sso login|Session token not found|UnauthorizedException/i;

/**
 * The standard chain (env, SSO, profiles, credential_process, IMDS) — no hand-written parsing.
 * The files are read afresh for each context (a context is built per settings change), so a
 * profile added to the config is seen without a reload. The role a profile assumes is asked of
 * the configured endpoint too (the sandbox, an emulator).
 */
function defaultChain(settings: AwsSettings, hooks: ContextHooks): AwsCredentialIdentityProvider {
  const profile = settings.profile || process.env.AWS_PROFILE || 'default';
  const { mfaCode } = hooks;
  let asked: { profile: string; serial: string } | undefined;
  const chain = fromNodeProviderChain({
    ...(settings.profile ? { profile: settings.profile } : {}),
    ignoreCache: true,
    ...(mfaCode ? { mfaCodeProvider: (serial: string) => mfaCode((asked = { profile, serial })) } : {}),
    ...(settings.endpoint ? { clientConfig: { endpoint: settings.endpoint, region: settings.region } } : {}),
  });
  // Callers waiting on the same attempt share its failure: one message, one notice.
  const told = new WeakMap<object, UserError>();
  return async (properties) => {
    try {
      return await chain(properties);
    } catch (err) {
      // STS's own words for a wrong code, with the profile and device it was for. The chain keeps
      // nothing from a failed attempt, so the next call asks again.
      const message = err instanceof Error ? err.message : '';
      if (!(err instanceof Error)) throw err;
      let refused = told.get(err);
      if (!refused && asked && /MultiFactorAuthentication/.test(message)) {
        refused = new UserError(`AWS refused the MFA code for profile "${asked.profile}" (device ${asked.serial}): ${message.trim()} No credentials were kept; the next AWS call asks for a new code.`);
        told.set(err, refused);
        hooks.mfaRefused?.(refused.message);
      } else if (!refused && SSO_EXPIRED.test(`${err.name} ${message}`)) {
        // The SDK's words for a missing/expired token, or the portal refusing it: sign in again.
        refused = new UserError(`No AWS credentials: the SSO session of profile "${profile}" has expired or is missing. Sign in with "aws sso login --profile ${profile}".`);
        told.set(err, refused);
        hooks.ssoExpired?.(profile);
      }
      if (!refused) throw err;
      throw refused;
    }
  };
}
