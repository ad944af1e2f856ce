/**
 * What scans and audits found, per account: locked/suspected resource policies and root-credential
 * status. The tree draws it, flows update it after they verify a change. Persisted through an
 * injected key-value store (globalState); it holds policy statements and counts, never credentials.
 */
export type Verdict = 'locked' | 'suspected' | 'fine' | 'invalid';

export interface ResourceFinding {
  kind: 's3' | 'sqs';
  accountId: string;
  /** Bucket name or queue name. */
  name: string;
  arn: string;
  region: string;
  /** SQS: the queue URL the SDK calls. */
  url?: string;
  verdict: Verdict;
  /** Why: the locking statements (JSON text) or the access-denied reason for "suspected". */
  reasons: string[];
  checkedAt: string;
}

export interface RootCredentialStatus {
  accountId: string;
  password: boolean;
  accessKeys: number;
  signingCertificates: number;
  mfaDevices: number;
  auditedAt: string;
  error?: string;
}

export interface AccountFindings {
  resources: ResourceFinding[];
  scannedAt?: string;
  scanError?: string;
  root?: RootCredentialStatus;
}

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const KEY = 'rootTasks.findings.v1';

export class FindingsStore {
  private readonly byAccount = new Map<string, AccountFindings>();
  private readonly listeners = new Set<(accountId: string) => void>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store?: KeyValueStore) {
    const saved = store?.get<Record<string, AccountFindings>>(KEY);
    for (const [id, f] of Object.entries(saved ?? {})) this.byAccount.set(id, f);
  }

  get(accountId: string): AccountFindings | undefined {
    return this.byAccount.get(accountId);
  }

  all(): ReadonlyMap<string, AccountFindings> {
    return this.byAccount;
  }

  /** Replaces one account's resource findings after a scan of it. */
  setScan(accountId: string, resources: ResourceFinding[], scannedAt: string, scanError?: string): void {
    const prev = this.byAccount.get(accountId);
    this.byAccount.set(accountId, { ...prev, resources, scannedAt, scanError });
    this.changed(accountId);
  }

  /** Updates one resource (after an unlock was verified). */
  setResource(finding: ResourceFinding): void {
    const prev = this.byAccount.get(finding.accountId) ?? { resources: [] };
    const resources = prev.resources.filter((r) => !(r.kind === finding.kind && r.arn === finding.arn));
    resources.push(finding);
    this.byAccount.set(finding.accountId, { ...prev, resources });
    this.changed(finding.accountId);
  }

  setRootStatus(status: RootCredentialStatus): void {
    const prev = this.byAccount.get(status.accountId) ?? { resources: [] };
    this.byAccount.set(status.accountId, { ...prev, root: status });
    this.changed(status.accountId);
  }

  onDidChange(listener: (accountId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Writes now (tests, shutdown); otherwise saves are batched. */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.store?.update(KEY, Object.fromEntries(this.byAccount));
  }

  private changed(accountId: string): void {
    for (const l of this.listeners) l(accountId);
    // A scan of thousands of accounts changes this thousands of times: save once per second.
    if (this.store && !this.saveTimer) {
      this.saveTimer = setTimeout(() => void this.flush(), 1000);
    }
  }
}

export function hasRootCredentials(s: RootCredentialStatus): boolean {
  return s.password || s.accessKeys > 0 || s.signingCertificates > 0 || s.mfaDevices > 0;
}
