import { errorName, errorSummary, isAccessDenied, isAwsError } from '../aws/errors';
import type { SessionOps } from '../aws/sessionOps';
import { isAuditFailure } from '../core/audit/errors';
import { isCancellation, isUserError } from '../core/errors';
import type { ResourceFinding } from '../core/findings';
import type { CallGate } from '../core/gate';
import { analyzePolicy, type PolicyResource } from '../core/policy';
import type { RootTaskName } from '../core/tasks';

export type ScanMode = 'rootSession' | 'role';

/** What one account's scan found. */
export interface AccountScan {
  accountId: string;
  resources: ResourceFinding[];
  buckets: number;
  queues: number;
  calls: number;
  errors: string[];
}

/** One session's reads (root or role): its bound operations and the gate that audits and paces them. */
export interface ReadSession {
  ops: SessionOps;
  gate: CallGate;
}

/** Opens a session for one part of an account's scan, runs `read` in it, and ends it (the runner or the role session). */
export type SessionOpener = (accountId: string, task: RootTaskName, read: (s: ReadSession) => Promise<void>) => Promise<void>;

export interface AccountScanOptions {
  mode: ScanMode;
  /** Regions whose buckets and queues are checked (the first is the home region). */
  regions: string[];
  /** Lets the analyzer judge aws:PrincipalOrgID conditions against the real organization. */
  organizationId?: string;
}

/**
 * One account: its buckets under an S3UnlockBucketPolicy session, then its queues under an
 * SQSUnlockQueuePolicy session (or both under the scan role). Every policy is judged by the
 * lockout analyzer; in role mode a read the role is denied marks the resource "suspected".
 * A failed part is an error of this account, never the end of the scan.
 */
export async function scanAccount(open: SessionOpener, accountId: string, options: AccountScanOptions): Promise<AccountScan> {
  const out: AccountScan = { accountId, resources: [], buckets: 0, queues: 0, calls: 0, errors: [] };
  const part = async (task: RootTaskName, label: string, read: (run: ScanRun) => Promise<void>) => {
    try {
      out.calls++; // AssumeRoot / AssumeRole
      await open(accountId, task, (session) => read({ session, accountId, options, out }));
    } catch (err) {
      out.errors.push(`${label}: ${isCancellation(err) ? 'the session was ended before this part finished' : isUserError(err) ? err.message : errorSummary(err)}`);
    }
  };
  await part('S3UnlockBucketPolicy', 'S3', scanBuckets);
  await part('SQSUnlockQueuePolicy', 'SQS', scanQueues);
  return out;
}

interface ScanRun {
  session: ReadSession;
  accountId: string;
  options: AccountScanOptions;
  out: AccountScan;
}

async function scanBuckets(run: ScanRun): Promise<void> {
  const { ops, gate } = run.session;
  run.out.calls++;
  const listed = await gate.read('ListBuckets', 'arn:aws:s3:::*', () => ops.listBuckets());
  const buckets = listed.buckets.filter((b) => run.options.regions.includes(b.region));
  run.out.buckets = buckets.length;
  await checkAll(run, buckets.map((b) => ({ kind: 's3', name: b.name, arn: b.arn, region: b.region, operation: 'GetBucketPolicy', read: () => readBucketPolicy(ops, b.name, b.region) })));
}

/** NoSuchBucketPolicy is "no policy"; the session's own op already maps it, this keeps the read total. */
async function readBucketPolicy(ops: SessionOps, bucket: string, region: string) {
  try {
    return await ops.getBucketPolicy(bucket, region);
  } catch (err) {
    if (isAwsError(err, 'NoSuchBucketPolicy')) return { text: undefined };
    throw err;
  }
}

async function scanQueues(run: ScanRun): Promise<void> {
  const { ops, gate } = run.session;
  for (const region of run.options.regions) {
    run.out.calls++;
    const listed = await gate.read('ListQueues', `arn:aws:sqs:${region}:${run.accountId}:*`, () => ops.listQueues(region));
    run.out.queues += listed.queues.length;
    await checkAll(run, listed.queues.map((q) => ({ kind: 'sqs', name: q.name, arn: q.arn, region: q.region, url: q.url, operation: 'GetQueueAttributes', read: () => ops.getQueuePolicy(q.url, q.region) })));
  }
}

/** A bucket or queue to check, with how to read its policy (text undefined: it has none). */
interface Candidate {
  kind: 's3' | 'sqs';
  name: string;
  arn: string;
  region: string;
  url?: string;
  operation: string;
  read(): Promise<{ text?: string; requestId?: string }>;
}

/**
 * A part's policies are read all at once: the limiter caps the calls in flight and gives its slots
 * to the accounts begun first, so the first accounts finish in a few call latencies and their
 * findings show early, instead of one call after another. What they found is kept in listing order.
 */
async function checkAll(run: ScanRun, candidates: Candidate[]): Promise<void> {
  run.out.calls += candidates.length;
  const reads = await Promise.allSettled(candidates.map((c) => run.session.gate.read(c.operation, c.arn, c.read)));
  // No durable record, no more reads in this session (fail closed); a cancel ends the part. Every
  // read has ended before the part throws, so none outlives its session.
  const fatal = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected' && (isCancellation(r.reason) || isAuditFailure(r.reason)));
  if (fatal) throw fatal.reason;
  reads.forEach((r, i) => judge(run, candidates[i]!, r));
}

function judge(run: ScanRun, c: Candidate, read: PromiseSettledResult<{ text?: string }>): void {
  const { accountId, out, options } = run;
  const finding = (verdict: ResourceFinding['verdict'], reasons: string[]): ResourceFinding =>
    ({ kind: c.kind, accountId, name: c.name, arn: c.arn, region: c.region, url: c.url, verdict, reasons, checkedAt: new Date().toISOString() });
  if (read.status === 'rejected') {
    const err: unknown = read.reason;
    // The scan role being denied its read is the mark of a lockout it cannot see into.
    if (isAccessDenied(err) && options.mode === 'role') out.resources.push(finding('suspected', [`AccessDenied reading the policy as ${options.mode}: ${errorSummary(err)}`]));
    else out.errors.push(`${c.name}: ${errorName(err) ? errorSummary(err) : String(err)}`);
    return;
  }
  const policy = read.value.text;
  if (!policy) return;
  // Bucket ARNs do not name the owner: the analyzer needs the account to judge owner-specific shapes.
  const resource: PolicyResource = { kind: c.kind, arn: c.arn, accountId, organizationId: options.organizationId };
  const analysis = analyzePolicy(policy, resource);
  if (analysis.verdict === 'fine') return;
  const reasons = analysis.offending.length
    ? analysis.offending.map((o) => `${o.why}\n${JSON.stringify(o.statement, null, 2)}`)
    : analysis.problems;
  out.resources.push(finding(analysis.verdict, reasons));
}
