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
  /** A login profile exists (GetLoginProfile answered). */
  password: boolean;
  /**
   * When "Allow Root Password Recovery" created that login profile without a password (ISO time):
   * recovery by email is possible, no password is set. AWS's answers cannot tell the two apart,
   * so this is what the extension itself did, kept while the login profile is the same one.
   */
  passwordRecovery?: string;
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
  /** Not scanned on purpose (not ACTIVE, refused by a guardrail): not an error. */
  skipped?: SkipNote;
  root?: RootCredentialStatus;
}

/** Why an account was not scanned: a word for the tree ("suspended") and the full reason. */
export interface SkipNote {
  short: string;
  reason: string;
}

/** Locked and suspected resources (one account's, or everything below an OU). */
export interface ProblemCounts {
  locked: number;
  suspected: number;
}

/** A finding the person should look at: locked, suspected, or a policy that could not be analyzed. */
export function isProblem(f: ResourceFinding): boolean {
  return f.verdict !== 'fine';
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
  /** Callers of saved() waiting for the next save, and the save under way. */
  private waiting: Array<{ resolve(): void; reject(err: unknown): void }> = [];
  private writing: Promise<void> = Promise.resolve();
  /** Resources unlocked (and verified) in this window: kept in memory only, "fixed this session". */
  private readonly fixedArns = new Set<string>();

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

  /** Replaces one account's resource findings after a scan of it (or records why it was skipped). */
  setScan(accountId: string, resources: ResourceFinding[], scannedAt: string, scanError?: string, skipped?: SkipNote): void {
    const prev = this.byAccount.get(accountId);
    this.byAccount.set(accountId, { ...prev, resources, scannedAt, scanError, skipped });
    this.changed(accountId);
  }

  /** Locked and suspected resources of one account, as its last scan (and later unlocks) left them. */
  problems(accountId: string): ProblemCounts {
    const counts = { locked: 0, suspected: 0 };
    for (const r of this.byAccount.get(accountId)?.resources ?? []) {
      if (r.verdict === 'locked') counts.locked++;
      else if (isProblem(r)) counts.suspected++;
    }
    return counts;
  }

  /** An unlock wrote and verified this resource's policy in this window. */
  markFixed(arn: string): void {
    this.fixedArns.add(arn);
  }

  isFixed(arn: string): boolean {
    return this.fixedArns.has(arn);
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

  /** Forgets every finding: another identity (profile, endpoint) may see another organization. */
  clear(): void {
    const accounts = [...this.byAccount.keys()];
    this.byAccount.clear();
    this.fixedArns.clear();
    for (const id of accounts) this.changed(id);
    if (!accounts.length) void this.store?.update(KEY, {});
  }

  onDidChange(listener: (accountId: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Writes now (tests, shutdown); otherwise saves are batched. */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    const write = Promise.resolve(this.store?.update(KEY, Object.fromEntries(this.byAccount)));
    this.writing = write.then(() => undefined, () => undefined);
    try {
      await write;
      for (const w of waiting) w.resolve();
    } catch (err) {
      for (const w of waiting) w.reject(err);
      throw err;
    }
  }

  /**
   * Resolves once every change made so far is in the store (the next batched save), rejects when
   * that save fails. Bulk work marks an account done in its progress record only after this, so a
   * crash in between costs a rescan of the account, never its findings.
   */
  saved(): Promise<void> {
    if (!this.store) return Promise.resolve();
    if (!this.saveTimer) return this.writing;
    return new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private changed(accountId: string): void {
    for (const l of this.listeners) l(accountId);
    // A scan of thousands of accounts changes this thousands of times: save once per second.
    if (this.store && !this.saveTimer) {
      this.saveTimer = setTimeout(() => this.flush().catch(() => undefined), 1000);
    }
  }
}

/** A login profile without a password (recovery enabled) is no credential: nobody can sign in with it. */
export function hasRootCredentials(s: RootCredentialStatus): boolean {
  return (s.password && !s.passwordRecovery) || s.accessKeys > 0 || s.signingCertificates > 0 || s.mfaDevices > 0;
}
