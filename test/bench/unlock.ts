// 4. Unlock flow: one locked bucket policy unlocked through the product's runner (guardrails, the
// fsynced audit trail, AssumeRoot, the unlock steps), counting the AWS calls in the sandbox's
// request log and splitting the wall time into the sandbox's share (its injected latency and
// handling, from the log) and the client's; next to the three-command CLI sequence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsContext, describeOrganization, assumeRoot, type AwsContext } from '../../src/aws';
import { createAuditTrail, type AuditInput, type AuditTrail } from '../../src/core/audit';
import { DEFAULT_GUARDRAILS } from '../../src/core/guardrails';
import { OrgIndex } from '../../src/core/orgIndex';
import { samePolicy } from '../../src/core/sessionChecks';
import { RootSessionRegistry } from '../../src/core/sessionRegistry';
import { runRootTask, type AuditRecorder } from '../../src/core/sessionRunner';
import { sandboxControl, type SandboxControl } from '../sandbox/index';
import { createCliHome, runTimed, tail } from './awsCli';
import { activeAccounts, describeGenerated } from './generated';
import { withSandboxProcess, type SandboxProcess } from './sandboxProcess';
import { unlockBucket } from './unlockSequence';

export interface UnlockBenchOptions {
  latencyMs: number;
  runs: number;
  cliRuns: number;
  seed?: number;
}

export interface UnlockRun {
  wallMs: number;
  /** AWS requests the sandbox answered during the unlock, in order. */
  operations: string[];
  /** Sum of the sandbox's time per request (injected latency + handling); the calls are sequential. */
  sandboxMs: number;
  /** wallMs − sandboxMs. */
  clientMs: number;
  /** Of the client time: waiting for the audit trail's durable (fsynced) writes. */
  auditMs: number;
  auditEvents: number;
  /** The sandbox now holds exactly the policy the unlock wrote. */
  stored: boolean;
}

export interface CliUnlockRun {
  ms: number;
  code: number;
  operations: string[];
  stored: boolean;
  error?: string;
}

export interface UnlockBenchResult {
  options: UnlockBenchOptions;
  runs: UnlockRun[];
  cli: CliUnlockRun[];
}

/** A policy that keeps a legitimate grant and adds a statement that locks every principal out. */
function lockedPolicy(bucket: string, accountId: string): string {
  const arn = `arn:aws:s3:::${bucket}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadFromCi', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 's3:GetObject', Resource: `${arn}/*` },
      { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`] },
    ],
  });
}

export async function benchUnlock(options: UnlockBenchOptions): Promise<UnlockBenchResult> {
  const generate = { accounts: 4, bucketsPerAccount: 1, queuesPerAccount: 0, seed: options.seed ?? 5 };
  const org = describeGenerated(generate);
  const [accountId] = activeAccounts(org, 1) as [string];
  const bucket = org.members.find((a) => a.id === accountId)!.buckets![0]!.name;
  const result: UnlockBenchResult = { options, runs: [], cli: [] };
  await withSandboxProcess(generate, { latencyMs: options.latencyMs }, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    // The extension's defaults (10 requests/s, 8 in flight).
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 10, concurrency: 8 }, sb.management);
    const dir = mkdtempSync(join(tmpdir(), 'rt-bench-unlock-'));
    try {
      // What the extension holds before any unlock: the organization index and the caller's ARN.
      const info = await describeOrganization(aws);
      const index = new OrgIndex(info);
      index.setListing(info.rootId, [], [{ id: accountId, arn: '', name: accountId, email: '', state: 'ACTIVE', parentId: info.rootId }]);
      const actor = (await aws.callerIdentity()).arn;
      const trail = createAuditTrail({ dir, actor: () => actor });
      const unlock = () => unlockOnce(aws, control, trail, index, accountId, bucket);
      // Untimed warm-up: the extension has loaded the SDK and written its audit log before.
      const { written } = await unlock();
      for (let i = 0; i < Math.max(options.runs, options.cliRuns); i++) {
        if (i < options.runs) result.runs.push((await unlock()).run);
        if (i < options.cliRuns) result.cli.push(await cliOnce(sb, control, accountId, bucket, written));
      }
    } finally {
      aws.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return result;
}

async function unlockOnce(aws: AwsContext, control: SandboxControl, trail: AuditTrail, index: OrgIndex, accountId: string, bucket: string) {
  await control.setBucketPolicy(accountId, bucket, lockedPolicy(bucket, accountId));
  await control.clearRequests();
  let auditMs = 0;
  let auditEvents = 0;
  const timedAudit = (fn: (input: AuditInput) => Promise<unknown>) => async (input: AuditInput) => {
    const started = performance.now();
    try {
      return await fn(input);
    } finally {
      auditMs += performance.now() - started;
      auditEvents++;
    }
  };
  const audit: AuditRecorder = { record: timedAudit((i) => trail.record(i)), recordIntent: timedAudit((i) => trail.recordIntent(i)) };
  const registry = new RootSessionRegistry();
  const arn = `arn:aws:s3:::${bucket}`;
  const started = performance.now();
  const outcome = await runRootTask(
    {
      audit,
      registry,
      guardrails: DEFAULT_GUARDRAILS,
      session: { durationSeconds: 900, minRemainingSeconds: 60 },
      getIndex: async () => index,
      assume: (r) => assumeRoot(aws, r),
      newTaskId: () => `bench-${Date.now()}`,
    },
    { task: 'S3UnlockBucketPolicy', accountId, resourceArn: arn, justification: 'benchmark: bucket locked by a bad deploy', ticket: 'BENCH-1' },
    (t) => unlockBucket(t, bucket, { kind: 's3', arn, accountId, organizationId: index.organization.id }),
  );
  const wallMs = performance.now() - started;
  registry.dispose();
  const log = await control.requests();
  const sandboxMs = log.reduce((sum, e) => sum + e.durationMs, 0);
  const stored = await storedPolicy(control, accountId, bucket);
  return {
    written: outcome.written,
    run: {
      wallMs,
      operations: log.map((e) => e.operation),
      sandboxMs,
      clientMs: wallMs - sandboxMs,
      auditMs,
      auditEvents,
      stored: samePolicy(stored, outcome.written),
    },
  };
}

async function cliOnce(sb: SandboxProcess, control: SandboxControl, accountId: string, bucket: string, edited: string): Promise<CliUnlockRun> {
  await control.setBucketPolicy(accountId, bucket, lockedPolicy(bucket, accountId));
  await control.clearRequests();
  const home = createCliHome();
  try {
    const editedFile = join(home.dir, 'edited.json');
    writeFileSync(editedFile, edited);
    const script = join(__dirname, 'scripts', 'unlock-cli.sh');
    const r = await runTimed('bash', [script, accountId, bucket, editedFile, join(home.dir, 'current.json')], home.env(sb.management, sb.endpoint, sb.region), home.dir);
    const operations = (await control.requests()).map((e) => e.operation);
    const stored = samePolicy(await storedPolicy(control, accountId, bucket), edited);
    return { ms: r.ms, code: r.code, operations, stored, error: r.code === 0 ? undefined : tail(r.stderr) };
  } finally {
    home.remove();
  }
}

async function storedPolicy(control: SandboxControl, accountId: string, bucket: string): Promise<string | undefined> {
  return (await control.account(accountId)).buckets.find((b) => b.name === bucket)?.policy ?? undefined;
}
