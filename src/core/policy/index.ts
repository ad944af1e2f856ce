/** Locked-policy detection for S3 bucket and SQS queue policies. Rules: README.md in this folder. */
export { analyzePolicy } from './analyze';
export { formatPolicy } from './format';
export { validateProposedPolicy, type ProposalCheck } from './validate';
export type { OffendingStatement, PolicyAnalysis, PolicyFix, PolicyResource, PolicyVerdict } from './types';
