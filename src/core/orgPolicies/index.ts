/** SCPs and RCPs evaluated for root sessions before AssumeRoot. Semantics and sources: evaluate.ts. */
export { OrgGuard, describeTarget, explainGuard, likelyCause, lineageOf, type GuardRequest } from './evaluate';
export { describeSummary, policyLabel, summarizeGuards, type OrgGuardSummary, type TaskCount } from './summary';
export { GUARDED_TASKS, TASK_ACTIONS } from './taskActions';
export * from './types';
