// A typed client for the /_sandbox/ control API, for tests and benchmarks.
import type { RequestLogEntry } from './requestLog';
import type { IssuedCredential } from './sandbox';
import type { stateView } from './stateView';
import type { FaultConfig, GenerateOptions, SeedOrg } from './types';

export type SandboxState = ReturnType<typeof stateView>;
export type AccountState = SandboxState['accounts'][number];

export interface Counts {
  accounts: number;
  ous: number;
  buckets: number;
  queues: number;
  managementAccountId: string;
}

export interface OrganizationSettings {
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  trustedAccessForIam?: boolean;
  rootCredentialsManagement?: boolean;
  rootSessions?: boolean;
  delegatedAdministrator?: string | null;
}

export interface RequestFilter {
  service?: string;
  operation?: string;
  accountId?: string;
  principalType?: string;
  outcome?: string;
  accessKeyId?: string;
  since?: number;
}

export interface SandboxControl {
  reset(): Promise<Counts>;
  seed(seed: SeedOrg | { generate: GenerateOptions }): Promise<Counts>;
  state(accountId?: string): Promise<SandboxState>;
  account(accountId: string): Promise<AccountState>;
  requests(filter?: RequestFilter): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  /** Replaces the fault settings ({} clears them). */
  faults(config: FaultConfig): Promise<FaultConfig>;
  currentFaults(): Promise<FaultConfig>;
  setBucketPolicy(accountId: string, bucket: string, policy: string | object | null): Promise<void>;
  setQueuePolicy(accountId: string, queue: string, policy: string | object | null): Promise<void>;
  issuedCredentials(): Promise<{ credentials: IssuedCredential[]; secrets: string[] }>;
  organization(settings: OrganizationSettings): Promise<unknown>;
  clock(offsetSeconds: number): Promise<void>;
  /** Offsets the Date header of AWS responses (a skewed server clock as clients see it); 0 = real time. */
  dateHeader(offsetSeconds: number): Promise<void>;
  /** Registers an IAM Identity Center access token (what `aws sso login` caches) for GetRoleCredentials. */
  ssoToken(accessToken: string, expiresInSeconds?: number, user?: string): Promise<void>;
  expireSessions(accessKeyId?: string): Promise<number>;
  /** Every CloudTrail event recorded, delivered to LookupEvents yet or not (oldest first). */
  cloudTrail(): Promise<CloudTrailView[]>;
}

export interface CloudTrailView {
  eventId: string;
  eventName: string;
  eventTime: string;
  recipientAccountId: string;
  accessKeyId: string;
  /** For AssumeRoot: the access key id it issued. */
  issuedAccessKeyId?: string;
}

export function sandboxControl(endpoint: string): SandboxControl {
  async function call<T>(method: string, path: string, body?: unknown, raw = false): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) init.body = raw ? String(body) : JSON.stringify(body);
    const res = await fetch(`${endpoint}/_sandbox/${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  const policyBody = (p: string | object) => (typeof p === 'string' ? p : JSON.stringify(p));
  return {
    reset: () => call('POST', 'reset'),
    seed: (seed) => call('POST', 'seed', seed),
    state: (accountId) => call('GET', accountId ? `state?account=${accountId}` : 'state'),
    account: async (accountId) => {
      const s = await call<SandboxState>('GET', `state?account=${accountId}`);
      if (!s.accounts[0]) throw new Error(`sandbox has no account ${accountId}`);
      return s.accounts[0];
    },
    requests: async (filter = {}) => {
      const q = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)]));
      return (await call<{ entries: RequestLogEntry[] }>('GET', `requests?${q}`)).entries;
    },
    clearRequests: async () => {
      await call('DELETE', 'requests');
    },
    faults: (config) => call('POST', 'faults', config),
    currentFaults: () => call('GET', 'faults'),
    setBucketPolicy: async (accountId, bucket, policy) => {
      const path = `buckets/${accountId}/${encodeURIComponent(bucket)}/policy`;
      await (policy === null ? call('DELETE', path) : call('PUT', path, policyBody(policy), true));
    },
    setQueuePolicy: async (accountId, queue, policy) => {
      const path = `queues/${accountId}/${encodeURIComponent(queue)}/policy`;
      await (policy === null ? call('DELETE', path) : call('PUT', path, policyBody(policy), true));
    },
    issuedCredentials: () => call('GET', 'issued-credentials'),
    cloudTrail: async () => ((await call('GET', 'cloudtrail')) as { events: CloudTrailView[] }).events,
    organization: (settings) => call('POST', 'organization', settings),
    clock: async (offsetSeconds) => {
      await call('POST', 'clock', { offsetSeconds });
    },
    dateHeader: async (offsetSeconds) => {
      await call('POST', 'date-header', { offsetSeconds });
    },
    ssoToken: async (accessToken, expiresInSeconds, user) => {
      await call('POST', 'sso/tokens', { accessToken, expiresInSeconds, user });
    },
    expireSessions: async (accessKeyId) => (await call<{ expired: number }>('POST', 'sessions/expire', accessKeyId ? { accessKeyId } : {})).expired,
  };
}
