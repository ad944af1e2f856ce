import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentity } from '@smithy/types';
import { analyzePolicy, type PolicyResource } from '../core/policy';
import type { ResourceFinding } from '../core/findings';
import type { RootTaskName } from '../core/tasks';
import type { ServiceClients } from './clients';
import type { AwsContext } from './context';
import { assumeRoot } from './rootSession';
import { errorName, errorSummary, isAccessDenied, isAwsError } from './errors';

export type ScanMode = 'rootSession' | 'role';

export interface ScanOptions {
  mode: ScanMode;
  /** Role assumed in each member account in 'role' mode. */
  roleName: string;
  /** Regions whose buckets and queues are checked; empty = the context's region. */
  regions: string[];
  /** Accounts scanned at once (each holds up to two short sessions). */
  accountConcurrency: number;
  durationSeconds?: number;
  /** Lets the analyzer judge aws:PrincipalOrgID conditions against the real organization. */
  organizationId?: string;
}

/** What the scan reports to the audit trail: the intent gate before every root session, then each read. */
export interface ScanAudit {
  recordIntent(input: { kind: 'intent'; task: string; accountId: string; justification: string; taskId?: string }): Promise<unknown>;
  record(input: {
    kind: 'assumeRoot.granted' | 'assumeRoot.failed' | 'aws.read' | 'session.ended' | 'scan.started' | 'scan.finished';
    task?: string; accountId?: string; resource?: string; operation?: string; taskId?: string;
    outcome?: 'ok' | 'error' | 'denied'; error?: string; requestId?: string; expiresAt?: string;
  }): Promise<unknown>;
}

export interface AccountScan {
  accountId: string;
  resources: ResourceFinding[];
  buckets: number;
  queues: number;
  calls: number;
  errors: string[];
}

/** Credentials for one account and purpose, ended after use. */
interface ReadSession {
  clients(region: string): ServiceClients;
  end(): void;
}

export async function scanAccounts(
  aws: AwsContext,
  accountIds: string[],
  options: ScanOptions,
  audit: ScanAudit,
  onAccount: (scan: AccountScan) => void,
  isCancelled: () => boolean = () => false,
): Promise<{ accounts: number; calls: number; failed: number; cancelled: boolean }> {
  let next = 0;
  let calls = 0;
  let failed = 0;
  const worker = async () => {
    while (next < accountIds.length && !isCancelled()) {
      const accountId = accountIds[next++];
      const result = await scanAccount(aws, accountId, options, audit);
      calls += result.calls;
      if (result.errors.length) failed++;
      onAccount(result);
    }
  };
  const workers = Math.max(1, Math.min(options.accountConcurrency, accountIds.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { accounts: accountIds.length, calls, failed, cancelled: isCancelled() };
}

export async function scanAccount(aws: AwsContext, accountId: string, options: ScanOptions, audit: ScanAudit): Promise<AccountScan> {
  const out: AccountScan = { accountId, resources: [], buckets: 0, queues: 0, calls: 0, errors: [] };
  const regions = options.regions.length ? options.regions : [aws.settings.region];
  const call = <T>(fn: () => Promise<T>) => {
    out.calls++;
    return aws.limiter.run(fn);
  };
  const part = async (task: RootTaskName, read: (s: ReadSession, records: ReadRecords) => Promise<void>) => {
    let session: ReadSession | undefined;
    const records = new ReadRecords(audit);
    try {
      session = await openSession(aws, accountId, task, options, audit, call, out);
      await read(session, records);
      await records.settle();
    } catch (err) {
      // A read that failed midway still leaves its earlier records to be written.
      await records.settle().catch(() => undefined);
      out.errors.push(`${task === 'S3UnlockBucketPolicy' ? 'S3' : 'SQS'}: ${errorSummary(err)}`);
    } finally {
      session?.end();
    }
  };
  const run = (session: ReadSession, records: ReadRecords): ScanRun => ({ session, accountId, regions, mode: options.mode, records, call, out, organizationId: options.organizationId });
  await part('S3UnlockBucketPolicy', (s, r) => scanBuckets(run(s, r)));
  await part('SQSUnlockQueuePolicy', (s, r) => scanQueues(run(s, r)));
  return out;
}

async function openSession(
  aws: AwsContext,
  accountId: string,
  task: RootTaskName,
  options: ScanOptions,
  audit: ScanAudit,
  call: <T>(fn: () => Promise<T>) => Promise<T>,
  out: AccountScan,
): Promise<ReadSession> {
  if (options.mode === 'role') {
    const roleArn = `arn:aws:iam::${accountId}:role/${options.roleName}`;
    const r = await call(() => aws.management.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'root-tasks-scan', DurationSeconds: 900 })));
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
    return regionalSession(aws, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration });
  }
  // Fail closed: no durable intent record, no root credentials.
  await audit.recordIntent({ kind: 'intent', task, accountId, justification: 'Locked-policy scan (read-only)' });
  let session;
  try {
    // assumeRoot goes through the limiter itself; count it here.
    out.calls++;
    session = await assumeRoot(aws, { accountId, task, durationSeconds: options.durationSeconds ?? 900 });
  } catch (err) {
    await audit.record({ kind: 'assumeRoot.failed', task, accountId, outcome: 'error', error: errorSummary(err) });
    throw err;
  }
  await audit.record({ kind: 'assumeRoot.granted', task, accountId, outcome: 'ok', expiresAt: session.expiresAt.toISOString() });
  const root = session;
  return {
    clients: (region) => root.clients(region),
    end: () => {
      root.end();
      void audit.record({ kind: 'session.ended', task, accountId, outcome: 'ok' });
    },
  };
}

function regionalSession(aws: AwsContext, credentials: AwsCredentialIdentity): ReadSession {
  const byRegion = new Map<string, ServiceClients>();
  return {
    clients: (region) => {
      let c = byRegion.get(region);
      if (!c) byRegion.set(region, (c = aws.clientsFor(credentials, region)));
      return c;
    },
    end: () => {
      for (const c of byRegion.values()) c.destroy();
      byRegion.clear();
    },
  };
}

/** One account's scan under one session: what every check needs, passed once. */
interface ScanRun {
  session: ReadSession;
  accountId: string;
  regions: string[];
  mode: ScanMode;
  records: ReadRecords;
  call: <T>(fn: () => Promise<T>) => Promise<T>;
  out: AccountScan;
  organizationId?: string;
}

/**
 * The read records of one session, written without holding up the next read. A scan's reads are
 * sequential per account, and waiting for each record's group-committed fsync before the next
 * read put the audit log's latency on every call. Order is kept (the trail appends in call
 * order); the first failed write stops the session before its next read (fail closed), and the
 * session is not reported done before every record is durable (settle).
 */
class ReadRecords {
  private pending: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(private readonly audit: ScanAudit) {}

  add(input: Parameters<ScanAudit['record']>[0]): void {
    this.pending.push(this.audit.record(input).then(() => undefined, (error: unknown) => void (this.failure ??= { error })));
  }

  /** Throws the first write failure, if any. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  async settle(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    this.check();
  }
}

/** A bucket or queue to check, with how to read its policy (undefined: it has none). */
interface Candidate {
  kind: 's3' | 'sqs';
  name: string;
  arn: string;
  region: string;
  url?: string;
  operation: string;
  read(): Promise<{ policy?: string; requestId?: string }>;
}

async function scanBuckets(run: ScanRun): Promise<void> {
  const home = run.session.clients(run.regions[0]).s3;
  const buckets: { name: string; region: string }[] = [];
  let token: string | undefined;
  do {
    // Any parameter makes S3 return BucketRegion; the unlock task policy has no GetBucketLocation.
    const page = await run.call(() => home.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken: token })));
    for (const b of page.Buckets ?? []) {
      const region = b.BucketRegion ?? run.regions[0];
      if (b.Name && run.regions.includes(region)) buckets.push({ name: b.Name, region });
    }
    token = page.ContinuationToken;
  } while (token);
  run.out.buckets = buckets.length;
  for (const b of buckets) {
    await check(run, {
      kind: 's3', name: b.name, arn: `arn:aws:s3:::${b.name}`, region: b.region, operation: 'GetBucketPolicy',
      read: async () => {
        try {
          const r = await run.session.clients(b.region).s3.send(new GetBucketPolicyCommand({ Bucket: b.name }));
          return { policy: r.Policy, requestId: r.$metadata.requestId };
        } catch (err) {
          if (isAwsError(err, 'NoSuchBucketPolicy')) return {};
          throw err;
        }
      },
    });
  }
}

async function scanQueues(run: ScanRun): Promise<void> {
  for (const region of run.regions) {
    const sqs = run.session.clients(region).sqs;
    const urls: string[] = [];
    let token: string | undefined;
    do {
      // Without MaxResults, ListQueues returns at most 1,000 queues and no NextToken.
      const page = await run.call(() => sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: token })));
      urls.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
    } while (token);
    run.out.queues += urls.length;
    for (const url of urls) {
      const name = url.slice(url.lastIndexOf('/') + 1);
      await check(run, {
        kind: 'sqs', name, arn: `arn:aws:sqs:${region}:${run.accountId}:${name}`, region, url, operation: 'GetQueueAttributes',
        read: async () => {
          const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }));
          return { policy: r.Attributes?.Policy, requestId: r.$metadata.requestId };
        },
      });
    }
  }
}

async function check(run: ScanRun, c: Candidate): Promise<void> {
  const { accountId, records, out, mode } = run;
  const finding = (verdict: ResourceFinding['verdict'], reasons: string[]): ResourceFinding =>
    ({ kind: c.kind, accountId, name: c.name, arn: c.arn, region: c.region, url: c.url, verdict, reasons, checkedAt: new Date().toISOString() });
  records.check();
  try {
    const r = await run.call(() => c.read());
    records.add({ kind: 'aws.read', operation: c.operation, accountId, resource: c.arn, outcome: 'ok', requestId: r.requestId });
    if (!r.policy) return;
    // Bucket ARNs do not name the owner: the analyzer needs the account to judge owner-specific shapes.
    const f = judge(r.policy, { kind: c.kind, arn: c.arn, accountId, organizationId: run.organizationId }, finding);
    if (f) out.resources.push(f);
  } catch (err) {
    const denied = isAccessDenied(err);
    records.add({ kind: 'aws.read', operation: c.operation, accountId, resource: c.arn, outcome: denied ? 'denied' : 'error', error: errorName(err) });
    // The scan role being denied its read is the mark of a lockout it cannot see into.
    if (denied && mode === 'role') out.resources.push(finding('suspected', [`AccessDenied reading the policy as ${mode}: ${errorSummary(err)}`]));
    else out.errors.push(`${c.name}: ${errorSummary(err)}`);
  }
}

function judge(
  policy: string,
  resource: PolicyResource,
  finding: (verdict: ResourceFinding['verdict'], reasons: string[]) => ResourceFinding,
): ResourceFinding | undefined {
  const analysis = analyzePolicy(policy, resource);
  if (analysis.verdict === 'fine') return undefined;
  const reasons = analysis.offending.length
    ? analysis.offending.map((o) => `${o.why}\n${JSON.stringify(o.statement, null, 2)}`)
    : analysis.problems;
  return finding(analysis.verdict, reasons);
}
