import type { OrgIndex } from '../core/orgIndex';
import { OrgGuard, summarizeGuards, type OrgPolicySnapshot, type TaskGuard } from '../core/orgPolicies';

/**
 * Every member account's root tasks that the organization's SCPs/RCPs block or may block, for the
 * tree's marks (evaluated in this lazily loaded bundle, not at activation).
 */
export function accountGuards(snapshot: OrgPolicySnapshot, index: OrgIndex): Map<string, TaskGuard[]> {
  return summarizeGuards(new OrgGuard(snapshot), index).perAccount;
}
