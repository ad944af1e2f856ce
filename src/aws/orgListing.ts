import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  type Account,
  type OrganizationalUnit,
} from '@aws-sdk/client-organizations';
import { ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import type { OrgAccount, OrgUnit, OrganizationInfo } from '../core/orgIndex';
import { MANAGEMENT, limitKey } from '../core/awsQuotas';
import type { AwsContext } from './context';
import { errorSummary, isAwsError } from './errors';

/** Organizations rejects MaxResults above 20. */
const PAGE = 20;

export interface ParentResult {
  ous: OrgUnit[];
  accounts: OrgAccount[];
  /** API calls this listing made (for progress and the benchmark's rate floor). */
  calls: number;
}

/** What a listing has found so far, while pages are still to come. */
export interface ParentPage {
  ous: OrgUnit[];
  accounts: OrgAccount[];
}

/** DescribeOrganization + ListRoots, then the IAM features (which only management/delegated admin may read). */
/** Organizations throttles the organization's calls per API. */
const orgKey = (api: string) => limitKey('organizations', MANAGEMENT, api);

export async function describeOrganization(aws: AwsContext): Promise<OrganizationInfo> {
  const org = aws.management.organizations;
  const [described, roots, features] = await Promise.all([
    aws.limiter.run(() => org.send(new DescribeOrganizationCommand({})), orgKey('DescribeOrganization')),
    listAllRoots(aws),
    readFeatures(aws),
  ]);
  const o = described.Organization;
  const root = roots[0];
  if (!o?.Id || !root?.Id) throw new Error('DescribeOrganization/ListRoots returned no organization root');
  return {
    id: o.Id,
    arn: o.Arn ?? '',
    managementAccountId: o.MasterAccountId ?? '',
    featureSet: o.FeatureSet ?? '',
    rootId: root.Id,
    rootArn: root.Arn ?? '',
    features,
  };
}

async function listAllRoots(aws: AwsContext) {
  const roots = [];
  let token: string | undefined;
  do {
    const page = await aws.limiter.run(() =>
      aws.management.organizations.send(new ListRootsCommand({ MaxResults: PAGE, NextToken: token })), orgKey('ListRoots'),
    );
    roots.push(...(page.Roots ?? []));
    token = page.NextToken;
  } while (token);
  return roots;
}

async function readFeatures(aws: AwsContext): Promise<OrganizationInfo['features']> {
  try {
    const r = await aws.limiter.run(() => aws.management.iam.send(new ListOrganizationsFeaturesCommand({})), limitKey('iam', MANAGEMENT));
    const enabled = new Set<string>(r.EnabledFeatures ?? []);
    return { rootCredentialsManagement: enabled.has('RootCredentialsManagement'), rootSessions: enabled.has('RootSessions') };
  } catch (err) {
    // Without trusted access for IAM the features cannot be on: that is "off", not "unknown".
    if (isAwsError(err, 'ServiceAccessNotEnabled')) return { rootCredentialsManagement: false, rootSessions: false };
    // Not fatal for browsing: the tree still shows the org, and says why features are unknown.
    return { rootCredentialsManagement: false, rootSessions: false, error: errorSummary(err) };
  }
}

/**
 * One parent's OUs and accounts, each paged to the end. A page may be empty while a NextToken
 * remains ("always check NextToken"), so the loop ends only on a missing token. Pages follow one
 * another (each needs the last one's token), so a parent with many children takes several round
 * trips: `onPage` hears what has been found after every page that leaves more to come, so the
 * tree can show the first twenty at once.
 */
export async function listParent(aws: AwsContext, parentId: string, onPage?: (soFar: ParentPage) => void): Promise<ParentResult> {
  const org = aws.management.organizations;
  let calls = 0;
  const ous: OrganizationalUnit[] = [];
  const accounts: Account[] = [];
  const soFar = (): ParentPage => ({ ous: ous.map((o) => toUnit(o, parentId)), accounts: accounts.map((a) => toAccount(a, parentId)) });
  const pageAll = async <T>(items: T[], api: string, fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) => {
    let token: string | undefined;
    do {
      const page = await aws.limiter.run(() => fetch(token), orgKey(api));
      calls++;
      items.push(...page.items);
      token = page.next;
      // Only a page that leaves more of its own list to come is reported: a parent whose lists
      // each fit in one page reports nothing, whichever of its two lists answers first.
      if (onPage && token && page.items.length) onPage(soFar());
    } while (token);
  };
  await Promise.all([
    pageAll<OrganizationalUnit>(ous, 'ListOrganizationalUnitsForParent', async (NextToken) => {
      const r = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, MaxResults: PAGE, NextToken }));
      return { items: r.OrganizationalUnits ?? [], next: r.NextToken };
    }),
    pageAll<Account>(accounts, 'ListAccountsForParent', async (NextToken) => {
      const r = await org.send(new ListAccountsForParentCommand({ ParentId: parentId, MaxResults: PAGE, NextToken }));
      return { items: r.Accounts ?? [], next: r.NextToken };
    }),
  ]);
  return { ...soFar(), calls };
}

function toUnit(o: OrganizationalUnit, parentId: string): OrgUnit {
  return { id: o.Id ?? '', arn: o.Arn ?? '', name: o.Name ?? o.Id ?? '', parentId };
}

/**
 * Every account of the organization as one flat list (ListAccounts), page by page, not yet placed
 * in OUs (parentId ''): Go to Account can find any account as soon as these pages are in, while
 * the tree walk (other APIs, their own quota) places them. Throws when a page finally fails.
 */
export async function listAccountsFlat(
  aws: AwsContext, onPage: (accounts: OrgAccount[]) => void, isCancelled: () => boolean = () => false,
): Promise<{ accounts: number; calls: number }> {
  let token: string | undefined;
  let accounts = 0;
  let calls = 0;
  do {
    const page = await aws.limiter.run(() => aws.management.organizations.send(new ListAccountsCommand({ MaxResults: PAGE, NextToken: token })), orgKey('ListAccounts'));
    calls++;
    const list = (page.Accounts ?? []).map((a) => toAccount(a, ''));
    accounts += list.length;
    if (list.length) onPage(list);
    token = page.NextToken;
  } while (token && !isCancelled());
  return { accounts, calls };
}

function toAccount(a: Account, parentId: string): OrgAccount {
  return {
    id: a.Id ?? '',
    arn: a.Arn ?? '',
    name: a.Name ?? a.Id ?? '',
    email: a.Email ?? '',
    // Status is retired; State replaces it. Fall back only for endpoints that still send Status.
    state: a.State ?? (a as { Status?: string }).Status ?? 'UNKNOWN',
    parentId,
  };
}

export interface WalkProgress {
  parentId: string;
  result?: ParentResult;
  error?: string;
}

export interface WalkSummary {
  parentsListed: number;
  parentsFailed: number;
  accounts: number;
  calls: number;
}

/**
 * Lists the whole tree below `rootId`: every parent is listed as soon as it is discovered, all
 * in parallel under the context's limiter (concurrency cap + rate), so the walk runs at the
 * configured rate rather than at the depth of the tree. A parent that finally fails (after the
 * SDK's adaptive retries) is reported, never dropped; its subtree stays unknown.
 */
export async function walkOrganization(
  aws: AwsContext,
  rootId: string,
  onParent: (progress: WalkProgress) => void,
  isCancelled: () => boolean = () => false,
  onPage?: (parentId: string, soFar: ParentPage) => void,
): Promise<WalkSummary> {
  const summary: WalkSummary = { parentsListed: 0, parentsFailed: 0, accounts: 0, calls: 0 };
  const visit = async (parentId: string): Promise<void> => {
    if (isCancelled()) return;
    let result: ParentResult;
    try {
      result = await listParent(aws, parentId, onPage && ((soFar) => onPage(parentId, soFar)));
    } catch (err) {
      summary.parentsFailed++;
      onParent({ parentId, error: errorSummary(err) });
      return;
    }
    summary.parentsListed++;
    summary.accounts += result.accounts.length;
    summary.calls += result.calls;
    onParent({ parentId, result });
    await Promise.all(result.ous.map((ou) => visit(ou.id)));
  };
  await visit(rootId);
  return summary;
}
