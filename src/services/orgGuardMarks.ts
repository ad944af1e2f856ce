import type { OrgIndex } from '../core/orgIndex';
import type { OrgPolicySnapshot, TaskGuard } from '../core/orgPolicies/types';
import type { FlowsModule } from './lazyBundles';

/**
 * Which accounts the organization's SCPs/RCPs block per root task, for the tree. Computed on the
 * first look after the snapshot or the index changed (never at activation: the evaluator lives in
 * the lazily loaded flows bundle), once for all accounts.
 */
export class OrgGuardMarks {
  private marks = new Map<string, TaskGuard[]>();
  private computedFor: { snapshot: OrgPolicySnapshot; index: OrgIndex; listed: number } | undefined;

  constructor(
    private readonly source: { readonly cachedPolicies: OrgPolicySnapshot | undefined; readonly index: OrgIndex | undefined },
    private readonly flows: () => FlowsModule,
  ) {}

  /** The tasks blocked (or maybe blocked) in an account; empty when none or not known. */
  get(accountId: string): TaskGuard[] {
    const snapshot = this.source.cachedPolicies;
    const index = this.source.index;
    if (!snapshot || !index || snapshot.organizationId !== index.organization.id) return [];
    const c = this.computedFor;
    if (!c || c.snapshot !== snapshot || c.index !== index || c.listed !== index.accounts.size) {
      this.marks = this.flows().accountGuards(snapshot, index);
      this.computedFor = { snapshot, index, listed: index.accounts.size };
    }
    return this.marks.get(accountId) ?? [];
  }
}
