/**
 * Every member account × every root task, evaluated once per snapshot and index: what Check Setup
 * counts (accounts blocked per task, by which policy) and what the tree marks per account.
 */
import type { OrgIndex } from '../orgIndex';
import { ROOT_TASKS, type RootTaskName } from '../tasks';
import { OrgGuard, lineageOf } from './evaluate';
import { GUARDED_TASKS } from './taskActions';
import type { TaskGuard } from './types';

export interface TaskCount {
  task: RootTaskName;
  blocked: number;
  mayBeBlocked: number;
  /** Policy (or "no Allow at …") → accounts it certainly blocks this task in. */
  byPolicy: Array<{ policy: string; accounts: number }>;
}

export interface OrgGuardSummary {
  accounts: number;
  tasks: TaskCount[];
  /** Account id → the tasks that are blocked or may be (allowed tasks left out). */
  perAccount: Map<string, TaskGuard[]>;
}

export function policyLabel(g: TaskGuard['findings'][number]): string {
  return g.policy ? `${g.policy.name} (${g.policy.id})` : `no Allow at ${g.attachedTo.name} (${g.attachedTo.id})`;
}

export function summarizeGuards(guard: OrgGuard, index: OrgIndex): OrgGuardSummary {
  const members = index.memberAccounts();
  const perAccount = new Map<string, TaskGuard[]>();
  const counts = new Map<RootTaskName, { blocked: number; may: number; by: Map<string, number> }>(
    GUARDED_TASKS.map((t) => [t, { blocked: 0, may: 0, by: new Map() }]),
  );
  for (const account of members) {
    const lineage = lineageOf(index, account.id);
    if (!lineage) continue;
    const flagged: TaskGuard[] = [];
    for (const task of GUARDED_TASKS) {
      const g = guard.evaluate({ accountId: account.id, task }, lineage, index.organization.managementAccountId);
      if (g.verdict === 'allowed') continue;
      flagged.push(g);
      const c = counts.get(task)!;
      if (g.verdict === 'mayBeBlocked') { c.may++; continue; }
      c.blocked++;
      for (const label of new Set(g.findings.filter((f) => f.certain).map(policyLabel))) c.by.set(label, (c.by.get(label) ?? 0) + 1);
    }
    if (flagged.length) perAccount.set(account.id, flagged);
  }
  return {
    accounts: members.length,
    tasks: GUARDED_TASKS.map((task) => {
      const c = counts.get(task)!;
      return { task, blocked: c.blocked, mayBeBlocked: c.may, byPolicy: [...c.by].map(([policy, accounts]) => ({ policy, accounts })) };
    }),
    perAccount,
  };
}

/** One line per task for Check Setup: "S3 unlock: 2 accounts blocked (RestrictRootUser (p-…): 2)". */
export function describeSummary(s: OrgGuardSummary): string[] {
  return s.tasks
    .filter((t) => t.blocked || t.mayBeBlocked)
    .map((t) => {
      const by = t.byPolicy.map((b) => `${b.policy}: ${b.accounts}`).join(', ');
      const may = t.mayBeBlocked ? `${t.blocked ? '; ' : ''}${t.mayBeBlocked} may be blocked` : '';
      return `${ROOT_TASKS[t.task].label}: ${t.blocked ? `${t.blocked} of ${s.accounts} accounts blocked (${by})` : ''}${may}`;
    });
}
