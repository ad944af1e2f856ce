// The flows' dependencies from plain values, as the extension builds them from VS Code
// (src/services/rootTaskEnv.ts): unit tests and the benchmark hand these to src/flows/env.ts, so
// they drive the product's runner and flows, not copies.
import type { AwsContext } from '../../src/aws/context';
import { FindingsStore, type KeyValueStore } from '../../src/core/findings';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../../src/core/guardrails';
import { createAccountListing, type AccountListing, type AccountListingFeed } from '../../src/core/accountListing';
import { OrgIndex } from '../../src/core/orgIndex';
import type { OrgPolicySnapshot } from '../../src/core/orgPolicies';
import { RootSessionRegistry } from '../../src/core/sessionRegistry';
import type { AuditRecorder } from '../../src/core/sessionRunner';
import type { FlowDeps } from '../../src/flows/env';
import type { FlowLog } from '../../src/flows/ports';

/** The whole organization as the explorer lists it (DescribeOrganization + the paged walk). */
export async function listOrganization(aws: AwsContext): Promise<OrgIndex> {
  const info = await aws.ops.describeOrganization();
  const index = new OrgIndex(info);
  await aws.ops.walkOrganization(info.rootId, (p) => {
    if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
    else throw new Error(`listing ${p.parentId} failed: ${p.error}`);
  });
  return index;
}

/**
 * The organization as a first scan finds it (no cached index): DescribeOrganization, then the
 * walk runs in the background, each page's accounts placed in the index and fed to the listing as
 * OrgService does it. `walk` settles when the walk has ended.
 */
export async function walkingListing(aws: AwsContext): Promise<AccountListingFeed> {
  const info = await aws.ops.describeOrganization();
  const index = new OrgIndex(info);
  const feed = createAccountListing(index);
  aws.ops.walkOrganization(info.rootId, (p) => {
    if (p.result) {
      index.setListing(p.parentId, p.result.ous, p.result.accounts);
      feed.placed(p.result.accounts);
    } else index.setError(p.parentId, p.error ?? 'listing failed');
  }, () => false, (parentId, soFar) => {
    index.setPartial(parentId, soFar.ous, soFar.accounts);
    feed.placed(soFar.accounts);
  }).then(() => feed.end(), (err: unknown) => feed.end(err));
  return feed;
}

/** The globalState the findings are saved to, in memory. */
export function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key, value) => void values.set(key, value) };
}

export interface PlainDepsOptions {
  guardrails?: Partial<GuardrailSettings>;
  sessions?: RootSessionRegistry;
  findings?: FindingsStore;
  log?: FlowLog;
  /** Task ids are task-1, task-2, ...; each is also pushed here. Default: random UUIDs. */
  taskIds?: string[];
  /** The organization's SCPs/RCPs as the extension caches them; default: not read (no org-policy check). */
  orgPolicies?: () => Promise<OrgPolicySnapshot | undefined>;
  /** The index is still being listed (walkingListing): getIndex waits for the walk, placed accounts are judged at once. */
  listing?: AccountListing;
}

export function plainFlowDeps(aws: AwsContext, index: OrgIndex, audit: AuditRecorder, opts: PlainDepsOptions = {}): FlowDeps {
  let n = 0;
  return {
    ops: aws.ops,
    limiter: aws.limiter,
    audit,
    sessions: opts.sessions ?? new RootSessionRegistry(),
    guardrails: () => ({ ...DEFAULT_GUARDRAILS, ...opts.guardrails }),
    session: () => ({ durationSeconds: 900, minRemainingSeconds: 60 }),
    getIndex: opts.listing ? () => opts.listing!.done : async () => index,
    partialIndex: opts.listing ? () => opts.listing!.index : undefined,
    orgPolicies: opts.orgPolicies,
    findings: opts.findings ?? new FindingsStore(memoryStore()),
    log: opts.log ?? { info: () => undefined, warn: () => undefined },
    newTaskId: opts.taskIds
      ? () => {
        const id = `task-${++n}`;
        opts.taskIds!.push(id);
        return id;
      }
      : undefined,
  };
}
