/**
 * The cached index of the organization: what the tree draws, what "go to account" searches, and
 * what flows pick accounts from. It holds names and ids only (no secrets), so it may be persisted.
 * Each parent (root or OU) is listed on its own; a parent whose listing failed is remembered as
 * failed, so an incomplete index is always visible as such, never silently smaller.
 */
export type AccountState = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | string;

export interface OrgAccount {
  id: string;
  arn: string;
  name: string;
  email: string;
  state: AccountState;
  parentId: string;
}

export interface OrgUnit {
  id: string;
  arn: string;
  name: string;
  parentId: string;
}

export interface OrganizationInfo {
  id: string;
  arn: string;
  managementAccountId: string;
  featureSet: string;
  rootId: string;
  rootArn: string;
  /** IAM centralized root access features, when known. */
  features?: { rootCredentialsManagement: boolean; rootSessions: boolean; error?: string };
}

export interface ParentListing {
  /** 'partial': a first listing whose first pages are in and whose last is still to come. */
  status: 'loaded' | 'error' | 'partial';
  ous: string[];
  accounts: string[];
  error?: string;
  listedAt: string;
}

export interface SerializedIndex {
  version: 1;
  organization: OrganizationInfo;
  accounts: OrgAccount[];
  ous: OrgUnit[];
  parents: Record<string, ParentListing>;
  savedAt: string;
}

export class OrgIndex {
  readonly accounts = new Map<string, OrgAccount>();
  readonly ous = new Map<string, OrgUnit>();
  readonly parents = new Map<string, ParentListing>();

  constructor(public organization: OrganizationInfo) {}

  /**
   * A refresh's new index starts from what the previous one showed (same organization only), so
   * the tree keeps its content until the walk replaces it parent by parent. A listing still in
   * flight ('partial') belongs to the previous index and its walk: it is not taken, so that parent
   * is listed again here instead of showing "Loading" with nothing to finish it.
   */
  carryOver(previous: OrgIndex | undefined): this {
    if (!previous || previous.organization.id !== this.organization.id) return this;
    for (const [k, v] of previous.accounts) this.accounts.set(k, v);
    for (const [k, v] of previous.ous) this.ous.set(k, v);
    for (const [k, v] of previous.parents) if (v.status !== 'partial') this.parents.set(k, v);
    return this;
  }

  setListing(parentId: string, ous: OrgUnit[], accounts: OrgAccount[], now = new Date()): void {
    for (const ou of ous) this.ous.set(ou.id, ou);
    for (const a of accounts) this.accounts.set(a.id, a);
    this.parents.set(parentId, {
      status: 'loaded',
      ous: ous.map((o) => o.id),
      accounts: accounts.map((a) => a.id),
      listedAt: now.toISOString(),
    });
  }

  /**
   * What a first listing has found so far, shown while its last pages are still coming. A parent
   * listed before keeps its complete listing until the new one is complete (a refresh never
   * shows a branch shrinking and growing back). Returns whether anything was taken.
   */
  setPartial(parentId: string, ous: OrgUnit[], accounts: OrgAccount[], now = new Date()): boolean {
    const before = this.parents.get(parentId);
    if (before && before.status !== 'partial') return false;
    for (const ou of ous) this.ous.set(ou.id, ou);
    for (const a of accounts) this.accounts.set(a.id, a);
    this.parents.set(parentId, { status: 'partial', ous: ous.map((o) => o.id), accounts: accounts.map((a) => a.id), listedAt: now.toISOString() });
    return true;
  }

  /**
   * Accounts from the flat listing, not yet placed in an OU (parentId ''): findable by name or id
   * at once; the tree walk places them. An account already known keeps its place. Returns whether
   * any was new.
   */
  addUnplaced(accounts: OrgAccount[]): boolean {
    let added = false;
    for (const a of accounts) {
      if (this.accounts.has(a.id)) continue;
      this.accounts.set(a.id, a);
      added = true;
    }
    return added;
  }

  /** Keeps what was listed before (a failed refresh never blanks a branch) and marks the failure. */
  setError(parentId: string, error: string, now = new Date()): void {
    const before = this.parents.get(parentId);
    this.parents.set(parentId, {
      status: 'error',
      ous: before?.ous ?? [],
      accounts: before?.accounts ?? [],
      error,
      listedAt: now.toISOString(),
    });
  }

  listing(parentId: string): ParentListing | undefined {
    return this.parents.get(parentId);
  }

  failedParents(): string[] {
    return [...this.parents].filter(([, l]) => l.status === 'error').map(([id]) => id);
  }

  isComplete(): boolean {
    if (this.failedParents().length) return false;
    // Every OU reachable from the root must have been listed.
    const pending = [this.organization.rootId];
    while (pending.length) {
      const listing = this.parents.get(pending.pop()!);
      if (!listing || listing.status === 'partial') return false;
      pending.push(...listing.ous);
    }
    return true;
  }

  /**
   * Whether an account's whole path to the root is known: it was listed under its parent (not only
   * by the flat list) and every OU above it is known. Membership and the org-policy guardrails can
   * judge such an account while the rest of the tree is still being listed.
   */
  isPlaced(accountId: string): boolean {
    return this.ancestorsOf(accountId) !== undefined;
  }

  /** Whether a placed account lies under `parentId` (the root, or an OU on its path). */
  isUnder(accountId: string, parentId: string): boolean {
    return this.ancestorsOf(accountId)?.includes(parentId) ?? false;
  }

  private ancestorsOf(accountId: string): string[] | undefined {
    let id = this.accounts.get(accountId)?.parentId;
    const path: string[] = [];
    for (let guard = 0; id && guard < 20; guard++) {
      path.push(id);
      if (id === this.organization.rootId) return path;
      id = this.ous.get(id)?.parentId;
    }
    return undefined;
  }

  /** Root → … → parent names, for quick pick descriptions ("Workloads / Prod"). */
  pathOf(parentId: string): string {
    const names: string[] = [];
    let id: string | undefined = parentId;
    for (let guard = 0; id && id !== this.organization.rootId && guard < 10; guard++) {
      const ou = this.ous.get(id);
      if (!ou) break;
      names.unshift(ou.name);
      id = ou.parentId;
    }
    return names.join(' / ') || 'Root';
  }

  /** Accounts under a parent, recursively (for "scan this OU", "audit this OU"). */
  accountsUnder(parentId: string): OrgAccount[] {
    const out: OrgAccount[] = [];
    const pending = [parentId];
    while (pending.length) {
      const listing = this.parents.get(pending.pop()!);
      if (!listing) continue;
      for (const id of listing.accounts) {
        const a = this.accounts.get(id);
        if (a) out.push(a);
      }
      pending.push(...listing.ous);
    }
    return out;
  }

  memberAccounts(): OrgAccount[] {
    return [...this.accounts.values()].filter((a) => a.id !== this.organization.managementAccountId);
  }

  serialize(now = new Date()): SerializedIndex {
    return {
      version: 1,
      organization: this.organization,
      accounts: [...this.accounts.values()],
      ous: [...this.ous.values()],
      // A listing cut short is listed again next time rather than taken for complete.
      parents: Object.fromEntries([...this.parents].filter(([, l]) => l.status !== 'partial')),
      savedAt: now.toISOString(),
    };
  }

  static deserialize(data: unknown): OrgIndex | undefined {
    const d = data as SerializedIndex | undefined;
    if (!d || d.version !== 1 || !d.organization?.rootId) return undefined;
    const index = new OrgIndex(d.organization);
    for (const a of d.accounts ?? []) index.accounts.set(a.id, a);
    for (const o of d.ous ?? []) index.ous.set(o.id, o);
    for (const [id, l] of Object.entries(d.parents ?? {})) if (l.status !== 'partial') index.parents.set(id, l);
    return index;
  }
}
