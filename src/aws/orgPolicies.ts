import {
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  type PolicySummary,
  type PolicyTargetSummary,
} from '@aws-sdk/client-organizations';
import type { OrgPolicy, OrgPolicySnapshot, OrgPolicyType, PolicyTarget, TargetType } from '../core/orgPolicies/types';
import { MANAGEMENT, limitKey } from '../core/awsQuotas';
import type { AwsContext } from './context';

/** Organizations rejects MaxResults above 20. */
const PAGE = 20;
const TYPES: OrgPolicyType[] = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'];

/** AWS-managed, attached to every target when their type is enabled (AWS Organizations User Guide). */
const FULL_ACCESS = new Set(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);

/**
 * The organization's SCPs and RCPs, read once for the whole organization (never per account):
 * the policy types' status from ListRoots; for each enabled type ListPolicies; for each policy
 * DescribePolicy (its content) and, except for the full-access ones, ListTargetsForPolicy (where it
 * is attached). FullAWSAccess and RCPFullAWSAccess are on every target (RCPFullAWSAccess cannot be
 * detached; a target always keeps at least one SCP), so only a target that also holds a custom
 * SCP can lack FullAWSAccess: ListPoliciesForTarget is asked for those few. Every list is paged
 * to its last NextToken, every call goes through the context's limiter, and the calls grow with
 * the policies and their attachments, not with the accounts.
 */
export async function readOrgPolicies(aws: AwsContext, organizationId: string, now = new Date()): Promise<OrgPolicySnapshot> {
  const org = aws.management.organizations;
  let calls = 0;
  const call = <T>(fn: () => Promise<T>, api: string): Promise<T> => aws.limiter.run(() => { calls++; return fn(); }, limitKey('organizations', MANAGEMENT, api));
  const pageAll = async <T>(api: string, fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next?: string }>): Promise<T[]> => {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const page = await call(() => fetch(token), api);
      out.push(...(page.items ?? []));
      token = page.next;
    } while (token);
    return out;
  };

  const roots = await pageAll('ListRoots', async (NextToken) => {
    const r = await org.send(new ListRootsCommand({ MaxResults: PAGE, NextToken }));
    return { items: r.Roots, next: r.NextToken };
  });
  const status = new Map((roots[0]?.PolicyTypes ?? []).map((t) => [t.Type, t.Status]));
  // PENDING_ENABLE / PENDING_DISABLE: Organizations is still attaching or detaching; only ENABLED applies.
  const enabled = Object.fromEntries(TYPES.map((t) => [t, status.get(t) === 'ENABLED'])) as Record<OrgPolicyType, boolean>;

  const summaries = (await Promise.all(TYPES.filter((t) => enabled[t]).map((Filter) => pageAll<PolicySummary>('ListPolicies', async (NextToken) => {
    const r = await org.send(new ListPoliciesCommand({ Filter, MaxResults: PAGE, NextToken }));
    return { items: r.Policies, next: r.NextToken };
  })))).flat();

  const policies = await Promise.all(summaries.map(async (s): Promise<OrgPolicy> => {
    const id = s.Id ?? '';
    const full = FULL_ACCESS.has(id);
    const [described, targets] = await Promise.all([
      call(() => org.send(new DescribePolicyCommand({ PolicyId: id })), 'DescribePolicy'),
      full ? Promise.resolve([]) : pageAll<PolicyTargetSummary>('ListTargetsForPolicy', async (NextToken) => {
        const r = await org.send(new ListTargetsForPolicyCommand({ PolicyId: id, MaxResults: PAGE, NextToken }));
        return { items: r.Targets, next: r.NextToken };
      }),
    ]);
    return {
      id,
      name: s.Name ?? id,
      type: (s.Type ?? described.Policy?.PolicySummary?.Type) as OrgPolicyType,
      awsManaged: s.AwsManaged ?? false,
      content: described.Policy?.Content ?? '',
      targets: targets.map(toTarget),
      ...(full ? { everywhereExcept: [] } : {}),
    };
  }));

  // Where a custom SCP is attached, FullAWSAccess may have been detached: ask those targets only.
  const fullScp = policies.find((p) => p.id === 'p-FullAWSAccess');
  if (fullScp) {
    const custom = [...new Set(policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY' && !FULL_ACCESS.has(p.id)).flatMap((p) => p.targets.map((t) => t.id)))];
    const lacking = await Promise.all(custom.map(async (TargetId) => {
      const attached = await pageAll<PolicySummary>('ListPoliciesForTarget', async (NextToken) => {
        const r = await org.send(new ListPoliciesForTargetCommand({ TargetId, Filter: 'SERVICE_CONTROL_POLICY', MaxResults: PAGE, NextToken }));
        return { items: r.Policies, next: r.NextToken };
      });
      return attached.some((p) => p.Id === fullScp.id) ? undefined : TargetId;
    }));
    fullScp.everywhereExcept = lacking.filter((t): t is string => t !== undefined);
  }
  return { version: 1, organizationId, enabled, policies, readAt: now.toISOString(), calls };
}

function toTarget(t: PolicyTargetSummary): PolicyTarget {
  return { id: t.TargetId ?? '', name: t.Name ?? t.TargetId ?? '', type: (t.Type ?? 'ACCOUNT') as TargetType };
}
