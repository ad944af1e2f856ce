import * as vscode from 'vscode';
import { errorSummary } from '../aws/errors';
import { createAccountListing, type AccountListing, type AccountListingFeed } from '../core/accountListing';
import { OrgIndex, type ParentListing } from '../core/orgIndex';
import type { OrgPolicySnapshot } from '../core/orgPolicies/types';
import type { AwsAccess } from './awsAccess';
import type { Log } from './log';
import { setContext } from './contextKeys';

/** Why the tree is empty, when it is: each state has its own welcome content. */
export type ExplorerState = 'idle' | 'loading' | 'ready' | 'noCredentials' | 'notManagement' | 'notInOrganization' | 'error';

const CACHE_KEY = 'rootTasks.orgIndex.v1';
const POLICIES_KEY = 'rootTasks.orgPolicies.v1';

/**
 * Owns the organization index: shows the cached one at once, lists parents lazily for the tree,
 * walks the whole organization in the background, and never replaces known data with nothing —
 * a failed listing marks its parent as failed and keeps what was shown before.
 */
export class OrgService implements vscode.Disposable {
  private current: OrgIndex | undefined;
  private stateValue: ExplorerState = 'idle';
  private stateMessage = '';
  private readonly inflight = new Map<string, Listing>();
  /** The walk in progress and the index it fills (a refresh builds a new index: it needs its own walk). */
  private walking: { index: OrgIndex; done: Promise<OrgIndex> } | undefined;
  /** Scans following the walk: each hears the accounts of every page as it is placed. */
  private readonly feeds = new Set<AccountListingFeed>();
  private describing: Promise<OrgIndex | undefined> | undefined;
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The organization's SCPs/RCPs: cached beside the index, read once, re-read with every refresh. */
  private policySnapshot: OrgPolicySnapshot | undefined;
  private policyRead: Promise<OrgPolicySnapshot | undefined> | undefined;
  /** Why the policies could not be read (the caller may not list them), for Check Setup. */
  policyError: string | undefined;

  constructor(
    private readonly aws: AwsAccess,
    private readonly memento: vscode.Memento,
    private readonly log: Log,
  ) {
    this.current = OrgIndex.deserialize(memento.get(CACHE_KEY));
    const cached = memento.get<OrgPolicySnapshot>(POLICIES_KEY);
    if (cached?.version === 1 && cached.organizationId === this.current?.organization.id) this.policySnapshot = cached;
    if (this.current) this.setState('ready');
    // New endpoint or profile: a different organization may answer; drop what we knew.
    this.subscriptions.push(aws.onDidChange(() => this.reset()));
  }

  get index(): OrgIndex | undefined {
    return this.current;
  }

  get state(): ExplorerState {
    return this.stateValue;
  }

  get message(): string {
    return this.stateMessage;
  }

  /** The organization and its root, described once (or again after refresh). */
  async organization(): Promise<OrgIndex | undefined> {
    if (this.current && this.stateValue === 'ready') return this.current;
    return this.describeOnce();
  }

  /**
   * One parent's listing, listed on demand for the tree. A first listing answers as soon as its
   * first page is in (status 'partial'); the rest arrives with change events.
   */
  async children(parentId: string): Promise<ParentListing | undefined> {
    const index = await this.organization();
    if (!index) return undefined;
    if (!index.listing(parentId)) await this.listParent(index, parentId).firstPage;
    return index.listing(parentId);
  }

  /** The full index (every parent listed); walks the organization if it is not complete. */
  async getIndex(): Promise<OrgIndex> {
    const index = await this.organization();
    if (!index) throw new Error(this.stateMessage || 'The organization could not be read');
    if (index.isComplete()) return index;
    return this.walk(index);
  }

  /**
   * While the index is incomplete (the first listing, or after a profile switch): the accounts as
   * the walk places them, for a scan that starts at once. Undefined when the index is complete or
   * the organization cannot be read. Each caller gets its own listing, ended with the walk.
   */
  async listing(): Promise<AccountListing | undefined> {
    const index = await this.organization();
    if (!index || index.isComplete()) return undefined;
    const feed = createAccountListing(index);
    this.feeds.add(feed);
    const walked = this.walk(index);
    void walked.then(() => feed.end(), (err: unknown) => feed.end(err ?? 'the organization could not be listed'))
      .finally(() => this.feeds.delete(feed));
    return feed;
  }

  /** Re-reads everything. Old data stays on screen until each part is replaced. */
  async refresh(): Promise<void> {
    const fresh = await this.describeOnce(this.current);
    if (fresh) await Promise.all([this.walk(fresh, true), this.readPolicies(fresh)]);
  }

  /**
   * The organization's SCPs and RCPs (one read for the whole organization, not per account);
   * undefined when they cannot be read — the runner then has nothing to refuse on, and AWS still
   * enforces them.
   */
  async policies(): Promise<OrgPolicySnapshot | undefined> {
    const index = await this.organization();
    if (!index) return undefined;
    if (this.policySnapshot?.organizationId === index.organization.id) return this.policySnapshot;
    return this.readPolicies(index);
  }

  private readPolicies(index: OrgIndex): Promise<OrgPolicySnapshot | undefined> {
    if (this.policyRead) return this.policyRead;
    const read = this.aws.ops().readOrgPolicies(index.organization.id)
      .then((snapshot) => {
        this.policySnapshot = snapshot;
        this.policyError = undefined;
        void this.memento.update(POLICIES_KEY, snapshot);
        this.log.info('org', `read ${snapshot.policies.length} organization policies with ${snapshot.calls} calls`);
        return snapshot;
      }, (err: unknown) => {
        this.policyError = errorSummary(err);
        this.log.warn('org', `cannot read the organization's SCPs and RCPs: ${this.policyError}`);
        return this.policySnapshot?.organizationId === index.organization.id ? this.policySnapshot : undefined;
      })
      .finally(() => {
        this.policyRead = undefined;
        this.changed.fire();
      });
    this.policyRead = read;
    return read;
  }

  /** The snapshot with the full index it is judged against (Check Setup); throws why it could not be read. */
  async policiesWithIndex(): Promise<{ snapshot: OrgPolicySnapshot; index: OrgIndex }> {
    const snapshot = await this.policies();
    if (!snapshot) throw new Error(this.policyError ?? 'the organization policies could not be read');
    return { snapshot, index: await this.getIndex() };
  }

  /** The snapshot in hand, without reading (the tree draws from it). */
  get cachedPolicies(): OrgPolicySnapshot | undefined {
    return this.policySnapshot;
  }

  /**
   * One DescribeOrganization at a time: two at once (the tree's first look and a refresh) would
   * each build an index, and the walk could fill the one that did not end up shown.
   */
  private describeOnce(previous?: OrgIndex): Promise<OrgIndex | undefined> {
    this.describing ??= this.describe(previous).finally(() => (this.describing = undefined));
    return this.describing;
  }

  /** Lists one parent again (the retry of an error node). */
  async retry(parentId: string): Promise<void> {
    const index = await this.organization();
    if (index) await this.listParent(index, parentId, true).done;
  }

  private async describe(previous?: OrgIndex): Promise<OrgIndex | undefined> {
    const generation = this.generation;
    if (!previous) this.setState('loading');
    try {
      const info = await this.aws.ops().describeOrganization();
      if (generation !== this.generation) return undefined;
      const index = new OrgIndex(info).carryOver(previous);
      this.current = index;
      this.setState('ready');
      return index;
    } catch (err) {
      if (generation !== this.generation) return undefined;
      const { state, message } = classify(err);
      this.log.warn('org', `cannot read the organization: ${message}`);
      // A cached tree stays visible when a refresh fails; the message says why it is stale.
      if (!this.current) this.setState(state, message);
      else this.stateMessage = message;
      this.changed.fire();
      return undefined;
    }
  }

  private listParent(index: OrgIndex, parentId: string, force = false): Listing {
    if (!force && index.listing(parentId)?.status === 'loaded') return { done: Promise.resolve(), firstPage: Promise.resolve() };
    let listing = this.inflight.get(parentId);
    if (!listing) {
      const aws = this.aws;
      let firstPage!: () => void;
      const first = new Promise<void>((resolve) => (firstPage = resolve));
      const done = aws.ops().listParent(parentId, (soFar) => {
        firstPage();
        if (index.setPartial(parentId, soFar.ous, soFar.accounts)) this.changed.fire();
      })
        .then((r) => index.setListing(parentId, r.ous, r.accounts))
        .catch((err) => index.setError(parentId, errorSummary(err)))
        .finally(() => {
          this.inflight.delete(parentId);
          firstPage();
          this.persist();
          this.changed.fire();
        });
      listing = { done, firstPage: first };
      this.inflight.set(parentId, listing);
    }
    return listing;
  }

  private walk(index: OrgIndex, force = false): Promise<OrgIndex> {
    if (this.walking?.index === index) return this.walking.done;
    const done = (async () => {
      const started = Date.now();
      const aws = this.aws;
      // The flat list first (its own API and quota): Go to Account finds any account while the tree is still being placed.
      const flat = aws.ops().listAccounts((page) => {
        if (index.addUnplaced(page)) this.changed.fire();
      }, () => !force && index !== this.current).catch((err: unknown) => this.log.warn('org', `flat account listing failed (the tree walk still lists every account): ${String(err)}`));
      const summary = await aws.ops().walkOrganization(index.organization.rootId, (progress) => {
        if (progress.result) {
          index.setListing(progress.parentId, progress.result.ous, progress.result.accounts);
          for (const feed of this.feeds) if (feed.index === index) feed.placed(progress.result.accounts);
        } else index.setError(progress.parentId, progress.error ?? 'listing failed');
      }, () => !force && index !== this.current, (parentId, soFar) => {
        // A refresh's pages of parents listed before change nothing shown: no redraw for them.
        if (index.setPartial(parentId, soFar.ous, soFar.accounts)) this.changed.fire();
        for (const feed of this.feeds) if (feed.index === index) feed.placed(soFar.accounts);
      });
      await flat;
      this.log.info('org', `indexed ${summary.accounts} accounts in ${summary.parentsListed} parents with ${summary.calls} calls in ${Date.now() - started} ms${summary.parentsFailed ? `; ${summary.parentsFailed} parents FAILED` : ''}`);
      this.persist();
      // The tree marks accounts the organization's policies block: read them once the tree is known.
      if (this.policySnapshot?.organizationId !== index.organization.id && !force) void this.readPolicies(index);
      this.changed.fire();
      return index;
    })().finally(() => {
      if (this.walking?.done === done) this.walking = undefined;
    });
    this.walking = { index, done };
    return done;
  }

  private persist(): void {
    if (this.current) void this.memento.update(CACHE_KEY, this.current.serialize());
  }

  private reset(): void {
    this.generation++;
    this.current = undefined;
    this.inflight.clear();
    this.policySnapshot = undefined;
    void this.memento.update(CACHE_KEY, undefined);
    void this.memento.update(POLICIES_KEY, undefined);
    this.setState('idle');
  }

  private setState(state: ExplorerState, message = ''): void {
    this.stateValue = state;
    this.stateMessage = message;
    void setContext('state', state);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** A parent's listing in flight: when its first page is in, and when it is done. */
interface Listing {
  firstPage: Promise<void>;
  done: Promise<void>;
}

function classify(err: unknown): { state: ExplorerState; message: string } {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? `${name && name !== 'Error' ? `${name}: ` : ''}${err.message}` : String(err);
  // An MFA code not given or refused (services/awsAccess.ts, aws/context.ts) leaves no credentials too.
  if (name === 'CredentialsProviderError' || /could not load credentials|no (aws )?credentials|MFA code/i.test(message)) {
    return { state: 'noCredentials', message };
  }
  if (/AWSOrganizationsNotInUse/.test(name)) return { state: 'notInOrganization', message };
  if (/AccessDenied/.test(name)) return { state: 'notManagement', message };
  return { state: 'error', message };
}
