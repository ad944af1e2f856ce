import type { FindingsStore, ProblemCounts } from './findings';
import type { OrgIndex } from './orgIndex';

/**
 * Locked and suspected resources below each parent (the root and every OU), from the accounts'
 * findings: one pass over the accounts that have findings, each walking up its parent chain. At
 * thousands of accounts this is a few thousand map updates, done once per change burst.
 */
export function problemsByParent(index: OrgIndex, findings: Pick<FindingsStore, 'all' | 'problems'>): Map<string, ProblemCounts> {
  const out = new Map<string, ProblemCounts>();
  for (const accountId of findings.all().keys()) {
    const counts = findings.problems(accountId);
    if (!counts.locked && !counts.suspected) continue;
    let parentId = index.accounts.get(accountId)?.parentId;
    // OUs nest at most five deep; the guard keeps a corrupt cache from looping.
    for (let guard = 0; parentId && guard < 12; guard++) {
      const sum = out.get(parentId) ?? { locked: 0, suspected: 0 };
      sum.locked += counts.locked;
      sum.suspected += counts.suspected;
      out.set(parentId, sum);
      if (parentId === index.organization.rootId) break;
      parentId = index.ous.get(parentId)?.parentId;
    }
  }
  return out;
}
