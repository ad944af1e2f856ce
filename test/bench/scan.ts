// 3. Locked-policy scan: the product's scan flow (scanForLockedPolicies in src/flows/scan.ts, in
// rootSession mode, through the environment src/flows/env.ts builds — the session runner,
// guardrails, the intent gate, the session registry — with the real audit trail on disk and the
// configured concurrency) over N accounts, next to the shell loop of scripts/scan-loop.sh run on a
// sample of the same accounts and extrapolated linearly to N (each CLI call costs a Python
// start-up, so the full loop would take hours). Runs alternate.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsContext } from '../../src/aws';
import { createAuditTrail } from '../../src/core/audit';
import type { OrgAccount, OrgIndex } from '../../src/core/orgIndex';
import { RootSessionRegistry } from '../../src/core/sessionRegistry';
import { createScanEnv } from '../../src/flows/env';
import type { Person, Progress } from '../../src/flows/ports';
import { scanForLockedPolicies } from '../../src/flows/scan';
import { sandboxControl } from '../sandbox/index';
import { listOrganization, plainFlowDeps } from '../support/flowDeps';
import { createCliHome, runTimed, tail } from './awsCli';
import { activeAccounts, describeGenerated } from './generated';
import { withSandboxProcess, type SandboxProcess } from './sandboxProcess';

export interface ScanBenchOptions {
  accounts: number;
  bucketsPerAccount: number;
  queuesPerAccount: number;
  latencyMs: number;
  /** rootTasks.concurrency: calls in flight and accounts at once (the scan command uses it for both). */
  concurrency: number;
  /** rootTasks.requestsPerSecond (0: no rate limit). */
  requestsPerSecond: number;
  runs: number;
  /** Accounts the shell loop scans (0: no loop) and how often. */
  loopAccounts: number;
  loopRuns: number;
  seed?: number;
}

export interface ScanRun {
  ms: number;
  accounts: number;
  calls: number;
  failedAccounts: number;
  locked: number;
  auditEvents: number;
  /** CPU time of this process (the client) and of the sandbox process during the scan. */
  clientCpuMs: number;
  sandboxCpuMs: number;
  /** max(calls × latency / concurrency, calls / rate): the time the configured limits allow at best. */
  floorMs: number;
}

export interface LoopRun {
  ms: number;
  code: number;
  accounts: number;
  /** AWS requests the sandbox saw from the loop (one per CLI call). */
  cliCalls: number;
  policiesSaved: number;
  /** ms × accounts scanned by the extension / accounts in the sample. */
  extrapolatedMs: number;
  error?: string;
}

export interface ScanBenchResult {
  options: ScanBenchOptions;
  callsPerAccount: number;
  runs: ScanRun[];
  loop: LoopRun[];
}

const LOOP_SCRIPT = join(__dirname, 'scripts', 'scan-loop.sh');

export async function benchScan(options: ScanBenchOptions): Promise<ScanBenchResult> {
  // A few generated accounts are suspended or closing: generate enough for N active ones.
  const generate = { accounts: Math.ceil(options.accounts * 1.05) + 5, bucketsPerAccount: options.bucketsPerAccount, queuesPerAccount: options.queuesPerAccount, seed: options.seed ?? 7 };
  const ids = activeAccounts(describeGenerated(generate), options.accounts);
  const result: ScanBenchResult = { options, callsPerAccount: 4 + options.bucketsPerAccount + options.queuesPerAccount, runs: [], loop: [] };
  await withSandboxProcess(generate, { latencyMs: options.latencyMs }, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    // What the extension holds before a scan (untimed): the organization index, and the accounts
    // the person picked from it.
    const index = await listSandboxOrganization(sb);
    const accounts = ids.map((id) => {
      const account = index.accounts.get(id);
      if (!account) throw new Error(`account ${id} is not in the listed organization`);
      return account;
    });
    for (let i = 0; i < Math.max(options.runs, options.loopRuns); i++) {
      if (i < options.runs) result.runs.push(await scanOnce(sb, index, accounts, options));
      if (i < options.loopRuns && options.loopAccounts > 0) {
        await control.clearRequests();
        const run = await loopOnce(sb, ids.slice(0, options.loopAccounts), ids.length);
        result.loop.push({ ...run, cliCalls: (await control.requests()).length });
      }
    }
  });
  return result;
}

/** The whole organization as the explorer lists it, once before the timed runs. */
async function listSandboxOrganization(sb: SandboxProcess): Promise<OrgIndex> {
  const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 8 }, sb.management);
  try {
    return await listOrganization(aws);
  } finally {
    aws.dispose();
  }
}

const BENCH_PERSON: Person = {
  justify: async () => ({ justification: 'benchmark: quarterly lockout sweep', ticket: 'BENCH-1' }),
  tell: () => undefined,
  warn: () => undefined,
};

async function scanOnce(sb: SandboxProcess, index: OrgIndex, accounts: OrgAccount[], options: ScanBenchOptions): Promise<ScanRun> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-audit-'));
  const aws = createAwsContext(
    { region: sb.region, endpoint: sb.endpoint, requestsPerSecond: options.requestsPerSecond, concurrency: options.concurrency },
    sb.management,
  );
  const sessions = new RootSessionRegistry();
  try {
    // As the extension wires it: the actor is the management principal, asked once on first use.
    const audit = createAuditTrail({ dir, actor: () => aws.callerIdentity().then((i) => i.arn) });
    const warnings: string[] = [];
    // The product's environment (src/flows/env.ts), from plain values instead of VS Code.
    const env = createScanEnv(plainFlowDeps(aws, index, audit, {
      sessions,
      log: { info: () => undefined, warn: (area, message) => void warnings.push(`${area}: ${message}`) },
    }));
    const progress: Progress = { signal: new AbortController().signal, report: () => undefined };
    const sandboxCpu = await sandboxCpuMs(sb);
    const clientCpu = process.cpuUsage();
    const started = performance.now();
    const summary = await scanForLockedPolicies(env, BENCH_PERSON, progress, {
      accounts,
      scope: `${accounts.length} account(s)`,
      mode: 'rootSession',
      roleName: 'OrganizationAccountAccessRole',
      regions: [],
      homeRegion: aws.ops.region,
      accountConcurrency: options.concurrency,
    });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(clientCpu);
    if (summary.skipped.length || summary.cancelled) {
      throw new Error(`the scan skipped ${summary.skipped.length} account(s)${summary.cancelled ? ' and was cancelled' : ''}: ${summary.skipped[0]?.reason ?? warnings[0] ?? ''}`);
    }
    const clientCpuMs = (cpu.user + cpu.system) / 1000;
    const latencyBound = (summary.calls * options.latencyMs) / options.concurrency;
    const rateBound = options.requestsPerSecond > 0 ? (summary.calls / options.requestsPerSecond) * 1000 : 0;
    return {
      ms,
      accounts: summary.accounts,
      calls: summary.calls,
      failedAccounts: summary.failed,
      locked: summary.locked,
      auditEvents: (await audit.head()).seq,
      clientCpuMs,
      sandboxCpuMs: (await sandboxCpuMs(sb)) - sandboxCpu,
      floorMs: Math.max(latencyBound, rateBound),
    };
  } finally {
    sessions.dispose();
    aws.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function loopOnce(sb: SandboxProcess, sample: string[], total: number): Promise<Omit<LoopRun, 'cliCalls'>> {
  const home = createCliHome();
  try {
    const out = join(home.dir, 'policies');
    const r = await runTimed('bash', [LOOP_SCRIPT, out, ...sample], home.env(sb.management, sb.endpoint, sb.region), home.dir);
    const policiesSaved = sample.reduce((n, id) => n + safeCount(join(out, id)), 0);
    return {
      ms: r.ms,
      code: r.code,
      accounts: sample.length,
      policiesSaved,
      extrapolatedMs: (r.ms * total) / sample.length,
      error: r.code === 0 ? undefined : tail(r.stderr),
    };
  } finally {
    home.remove();
  }
}

async function sandboxCpuMs(sb: SandboxProcess): Promise<number> {
  return ((await (await fetch(`${sb.endpoint}/_sandbox/health`)).json()) as { cpuMs: number }).cpuMs;
}

function safeCount(dir: string): number {
  try {
    return readdirSync(dir).length;
  } catch {
    return 0;
  }
}
