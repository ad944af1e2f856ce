// 4. Unlock flow: one locked bucket policy unlocked through the product's unlock flow
// (unlockPolicy in src/flows/unlock.ts, in the environment src/flows/env.ts builds: guardrails,
// the fsynced audit trail, AssumeRoot through the session runner, the unlock steps), the person's
// part answered by a port that applies the flow's own proposal; counting the AWS calls in the
// sandbox's request log and splitting the wall time into the sandbox's share (its injected latency
// and handling, from the log) and the client's; next to the three-command CLI sequence.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsContext, type AwsContext } from '../../src/aws';
import { createAuditTrail, type AuditInput, type AuditTrail } from '../../src/core/audit';
import { FindingsStore } from '../../src/core/findings';
import { OrgIndex } from '../../src/core/orgIndex';
import { samePolicy } from '../../src/core/sessionChecks';
import { RootSessionRegistry } from '../../src/core/sessionRegistry';
import type { AuditRecorder } from '../../src/core/sessionRunner';
import { createRootFlowEnv } from '../../src/flows/env';
import { BUCKET_POLICY, bucketTarget, type PolicyTarget } from '../../src/flows/policyKinds';
import { unlockPolicy, type Review, type UnlockPerson } from '../../src/flows/unlock';
import { sandboxControl, type SandboxControl } from '../sandbox/index';
import { memoryStore, plainFlowDeps } from '../support/flowDeps';
import { createCliHome, runTimed, tail } from './awsCli';
import { activeAccounts, describeGenerated } from './generated';
import { withSandboxProcess, type SandboxProcess } from './sandboxProcess';

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
  const seeded = org.members.find((a) => a.id === accountId)!.buckets![0]!;
  const result: UnlockBenchResult = { options, runs: [], cli: [] };
  await withSandboxProcess(generate, { latencyMs: options.latencyMs }, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    // The extension's defaults (10 requests/s, 8 in flight).
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 10, concurrency: 8 }, sb.management);
    const dir = mkdtempSync(join(tmpdir(), 'rt-bench-unlock-'));
    // The bucket as a tree node or the command's arguments give it: the flow does not list.
    const target = bucketTarget(accountId, seeded.name, seeded.region ?? sb.region);
    try {
      // What the extension holds before any unlock: the organization index, the caller's ARN and
      // the findings store (its globalState here in memory).
      const info = await aws.ops.describeOrganization();
      const index = new OrgIndex(info);
      index.setListing(info.rootId, [], [{ id: accountId, arn: '', name: accountId, email: '', state: 'ACTIVE', parentId: info.rootId }]);
      const actor = (await aws.callerIdentity()).arn;
      const trail = createAuditTrail({ dir, actor: () => actor });
      const findings = new FindingsStore(memoryStore());
      const unlock = () => unlockOnce(aws, control, trail, index, findings, target);
      try {
        // Untimed warm-up: the extension has loaded the SDK and written its audit log before.
        const { written } = await unlock();
        for (let i = 0; i < Math.max(options.runs, options.cliRuns); i++) {
          if (i < options.runs) result.runs.push((await unlock()).run);
          if (i < options.cliRuns) result.cli.push(await cliOnce(sb, control, accountId, target.name, written));
        }
      } finally {
        await findings.flush();
      }
    } finally {
      aws.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return result;
}

/**
 * The person, answered without an editor: the justification and ticket, the target the command
 * was given, and "Apply" to the flow's own proposal (the locked policy without its locking
 * statement), left as proposed. `proposed` keeps what was applied, for the stored check.
 */
function applyingPerson(given: PolicyTarget): UnlockPerson & { proposed?: string } {
  const person: UnlockPerson & { proposed?: string } = {
    justify: async () => ({ justification: 'benchmark: bucket locked by a bad deploy', ticket: 'BENCH-1' }),
    tell: () => undefined,
    warn: () => undefined,
    pickTarget: async (targets) => {
      const found = targets.find((t) => t.target.arn === given.arn);
      if (!found) throw new Error(`${given.arn} was not listed`);
      return found.target;
    },
    review: async (input) => {
      person.proposed = input.proposed;
      const review: Review = {
        decide: async () => 'apply',
        proposedText: () => input.proposed,
        refused: (message) => {
          throw new Error(`the flow refused its own proposal: ${message}`);
        },
        dispose: async () => undefined,
      };
      return review;
    },
  };
  return person;
}

async function unlockOnce(aws: AwsContext, control: SandboxControl, trail: AuditTrail, index: OrgIndex, findings: FindingsStore, target: PolicyTarget) {
  const { accountId, name: bucket } = target;
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
  const sessions = new RootSessionRegistry();
  const warnings: string[] = [];
  // The product's environment (src/flows/env.ts), from plain values instead of VS Code.
  const env = createRootFlowEnv(plainFlowDeps(aws, index, audit, {
    sessions,
    findings,
    log: { info: () => undefined, warn: (area, message) => void warnings.push(`${area}: ${message}`) },
  }));
  const person = applyingPerson(target);
  const started = performance.now();
  let outcome;
  try {
    outcome = await unlockPolicy(env, person, BUCKET_POLICY, { accountId, target, region: target.region });
  } finally {
    sessions.dispose();
  }
  const wallMs = performance.now() - started;
  const written = person.proposed;
  if (outcome.outcome !== 'applied' || written === undefined) throw new Error(`the unlock ended "${outcome.outcome}", not applied${warnings.length ? `: ${warnings.join('; ')}` : ''}`);
  const log = await control.requests();
  const sandboxMs = log.reduce((sum, e) => sum + e.durationMs, 0);
  const stored = await storedPolicy(control, accountId, bucket);
  return {
    written,
    run: {
      wallMs,
      operations: log.map((e) => e.operation),
      sandboxMs,
      clientMs: wallMs - sandboxMs,
      auditMs,
      auditEvents,
      stored: outcome.identical === true && samePolicy(stored, written),
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
