// 7. Org scale at AWS's real quotas: the sandbox throttles per key as AWS does (quotas: true —
// Organizations per API, STS per calling account, S3 per bucket, SQS and IAM per member account)
// and the extension runs at its DEFAULT settings (per-key pacing, rootTasks.concurrency calls in
// flight, no global rate). A locked-policy scan of 2,000 accounts through the product's scan flow,
// and the organization index of 5,000 accounts (the flat list Go to Account searches, and the
// tree) next to `aws organizations list-accounts` on the same sandbox.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsContext, type AwsSettings } from '../../src/aws';
import { createAuditTrail } from '../../src/core/audit';
import { DEFAULT_QUOTAS } from '../../src/core/awsQuotas';
import { OrgIndex } from '../../src/core/orgIndex';
import { RootSessionRegistry } from '../../src/core/sessionRegistry';
import { createScanEnv } from '../../src/flows/env';
import type { Person, Progress } from '../../src/flows/ports';
import { scanForLockedPolicies } from '../../src/flows/scan';
import { awsSettingsFrom } from '../../src/services/settingValues';
import { sandboxControl, type FaultConfig, type RequestLogEntry } from '../sandbox/index';
import { listOrganization, plainFlowDeps, walkingListing } from '../support/flowDeps';
import type { AwsContext } from '../../src/aws/context';
import type { AuditRecorder } from '../../src/core/sessionRunner';
import { activeAccounts, describeGenerated } from './generated';
import { cliListOnce } from './orgIndex';
import { withSandboxProcess, type SandboxProcess } from './sandboxProcess';

export interface OrgScaleOptions {
  scanAccounts: number;
  bucketsPerAccount: number;
  queuesPerAccount: number;
  latencyMs: number;
  indexAccounts: number;
  indexOus: number;
  /** CLI list-accounts runs (0: none). */
  cliRuns: number;
  seed?: number;
}

/** Today's design at its defaults, for the comparison: one global limiter, 10 req/s, 8 in flight. */
export const OLD_DEFAULTS = { requestsPerSecond: 10, concurrency: 8 };

export interface ScaleScanRun {
  ms: number;
  /** From the start to the first account's findings in the store (the tree draws from it). */
  firstFindingMs: number;
  /**
   * The same scan started without a cached index (the first scan, or after a profile switch):
   * from DescribeOrganization to the first findings, the scan following the tree walk; stopped
   * there (the full scan above is the cached-index one). walkMs: until the whole tree was listed.
   */
  noIndex: { firstFindingMs: number; walkMs: number; accountsListedAtFirstFinding: number; members: number };
  accounts: number;
  scanned: number;
  failedAccounts: number;
  /** Accounts asked for whose findings are not in the store at the end. */
  lost: number;
  /** The first few accounts' errors (account id: the scan's error), for the report. */
  errors: string[];
  locked: number;
  calls: number;
  /** The limiter's count of throttling answers and of attempts made again after one. */
  throttled: number;
  retried: number;
  /** Throttling answers in the sandbox's request log. */
  sandboxThrottled: number;
  inFlight: number;
  /** max(calls × latency ÷ in flight, the busiest key's calls ÷ its quota). */
  floorMs: number;
  latencyFloorMs: number;
  busiestKey: { key: string; calls: number; rate: number; ms: number };
  /** Today's design at its defaults: max(calls ÷ 10 req/s, calls × latency ÷ 8) — computed, not run. */
  oldDesignFloorMs: number;
  clientCpuMs: number;
  sandboxCpuMs: number;
}

export interface ScaleIndexRun {
  /** From the start to every account findable (the flat list done). */
  flatMs: number;
  /** From the start to the whole tree placed. */
  treeMs: number;
  flatAccounts: number;
  members: number;
  complete: boolean;
  /** Successful Organizations calls per API during the run (the sandbox's log). */
  callsPerApi: Record<string, number>;
  /** The tree's APIs: the busiest one's calls ÷ its quota. */
  treeFloorMs: number;
  throttled: number;
}

export interface OrgScaleResult {
  options: OrgScaleOptions;
  defaults: { concurrency: number; requestsPerSecond: number; perAccount: number };
  scan: ScaleScanRun;
  /** Not run with ROOT_TASKS_BENCH_ORGSCALE=scan (the scan part only). */
  index?: ScaleIndexRun;
  cli: Array<{ ms: number; code: number; members: number; requests: number; throttled: number; error?: string }>;
}

/** The extension's settings when nobody set anything (src/services/settingValues.ts). */
function defaultSettings(sb: SandboxProcess): AwsSettings {
  return { ...awsSettingsFrom(() => undefined), region: sb.region, endpoint: sb.endpoint };
}

const QUOTAS: FaultConfig = { quotas: true };
const throttledIn = (entries: RequestLogEntry[]) => entries.filter((e) => /TooManyRequests|Throttl|SlowDown/.test(e.errorCode ?? '')).length;

export async function benchOrgScale(options: OrgScaleOptions): Promise<OrgScaleResult> {
  const scan = await scaleScan(options);
  const { index, cli } = process.env.ROOT_TASKS_BENCH_ORGSCALE === 'scan' ? { index: undefined, cli: [] } : await scaleIndex(options);
  const d = awsSettingsFrom(() => undefined);
  return { options, defaults: { concurrency: d.concurrency, requestsPerSecond: d.requestsPerSecond, perAccount: d.requestsPerSecondPerAccount ?? 0 }, scan, index, cli };
}

const PERSON: Person = {
  justify: async () => ({ justification: 'benchmark: org-scale lockout sweep', ticket: 'BENCH-16' }),
  tell: () => undefined,
  warn: () => undefined,
};

export async function scaleScan(o: OrgScaleOptions): Promise<ScaleScanRun> {
  const generate = { accounts: Math.ceil(o.scanAccounts * 1.05) + 5, bucketsPerAccount: o.bucketsPerAccount, queuesPerAccount: o.queuesPerAccount, seed: o.seed ?? 7 };
  const ids = activeAccounts(describeGenerated(generate), o.scanAccounts);
  const faults: FaultConfig = { latencyMs: o.latencyMs, ...QUOTAS };
  return withSandboxProcess(generate, faults, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    const settings = defaultSettings(sb);
    const aws = createAwsContext(settings, sb.management);
    const dir = mkdtempSync(join(tmpdir(), 'rt-bench-scale-'));
    const sessions = new RootSessionRegistry();
    try {
      const audit = createAuditTrail({ dir, actor: () => aws.callerIdentity().then((i) => i.arn) });
      const noIndex = await firstFindingsWithoutIndex(aws, settings, audit, sessions);
      // The walk above listed the whole tree; the scan below starts from it, as from a cached index.
      const index = noIndex.index.isComplete() ? noIndex.index : await listOrganization(aws);
      const accounts = ids.map((id) => index.accounts.get(id)!);
      // Full buckets for the timed scan.
      await control.faults(faults);
      await new Promise((r) => setTimeout(r, 1100));
      await control.clearRequests();
      const env = createScanEnv(plainFlowDeps(aws, index, audit, { sessions }));
      let started = 0;
      let firstFindingMs = NaN;
      const setScan = env.findings.setScan.bind(env.findings);
      env.findings.setScan = (...args: Parameters<typeof setScan>) => {
        if (Number.isNaN(firstFindingMs) && args[1].length) firstFindingMs = performance.now() - started;
        return setScan(...args);
      };
      const before = { ...aws.limiter.stats };
      const progress: Progress = { signal: new AbortController().signal, report: () => undefined };
      const sandboxCpu = await sandboxCpuMs(sb);
      const clientCpu = process.cpuUsage();
      started = performance.now();
      const summary = await scanForLockedPolicies(env, PERSON, progress, {
        accounts, scope: `${accounts.length} accounts`, mode: 'rootSession', roleName: 'OrganizationAccountAccessRole',
        regions: [], homeRegion: settings.region, accountConcurrency: settings.concurrency,
      });
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(clientCpu);
      const all = env.findings.all();
      const lost = ids.filter((id) => !all.get(id)?.scannedAt || all.get(id)?.scanError).length;
      const errors = ids.flatMap((id) => {
        const f = all.get(id);
        return !f?.scannedAt ? [`${id}: not scanned`] : f.scanError ? [`${id}: ${f.scanError.slice(0, 300)}`] : [];
      }).slice(0, 5);
      // The keys' bounds: STS counts every AssumeRoot against the management account; each member
      // account's S3 and SQS calls are a handful against quotas of hundreds or thousands per second.
      const assumeRoots = 2 * summary.scanned;
      const stsMs = (assumeRoots / DEFAULT_QUOTAS.sts!) * 1000;
      const latencyFloorMs = (summary.calls * o.latencyMs) / settings.concurrency;
      const oldDesignFloorMs = Math.max((summary.calls / OLD_DEFAULTS.requestsPerSecond) * 1000, (summary.calls * o.latencyMs) / OLD_DEFAULTS.concurrency);
      return {
        ms, firstFindingMs, noIndex: { firstFindingMs: noIndex.firstFindingMs, walkMs: noIndex.walkMs, accountsListedAtFirstFinding: noIndex.listedAtFirst, members: index.memberAccounts().length },
        accounts: accounts.length, scanned: summary.scanned, failedAccounts: summary.failed, lost, errors, locked: summary.locked,
        calls: summary.calls, throttled: aws.limiter.stats.throttled - before.throttled, retried: aws.limiter.stats.retried - before.retried,
        sandboxThrottled: throttledIn(await control.requests({ outcome: 'error' })), inFlight: settings.concurrency,
        floorMs: Math.max(latencyFloorMs, stsMs), latencyFloorMs,
        busiestKey: { key: 'sts · management account (AssumeRoot)', calls: assumeRoots, rate: DEFAULT_QUOTAS.sts!, ms: stsMs },
        oldDesignFloorMs, clientCpuMs: (cpu.user + cpu.system) / 1000, sandboxCpuMs: (await sandboxCpuMs(sb)) - sandboxCpu,
      };
    } finally {
      sessions.dispose();
      aws.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * A scan of the organization started with no index: DescribeOrganization, the walk in the
 * background, the scan following it (src/flows/scan.ts `listing`), stopped at its first findings.
 */
async function firstFindingsWithoutIndex(aws: AwsContext, settings: AwsSettings, audit: AuditRecorder, sessions: RootSessionRegistry) {
  const started = performance.now();
  const listing = await walkingListing(aws);
  const env = createScanEnv(plainFlowDeps(aws, listing.index, audit, { sessions, listing }));
  const stop = new AbortController();
  let firstFindingMs = NaN;
  let listedAtFirst = 0;
  const setScan = env.findings.setScan.bind(env.findings);
  env.findings.setScan = (...args: Parameters<typeof setScan>) => {
    if (Number.isNaN(firstFindingMs) && args[1].length) {
      firstFindingMs = performance.now() - started;
      listedAtFirst = listing.index.memberAccounts().filter((a) => listing.index.isPlaced(a.id)).length;
      stop.abort();
    }
    return setScan(...args);
  };
  await scanForLockedPolicies(env, PERSON, { signal: stop.signal, report: () => undefined }, {
    accounts: [], listing: { source: listing, scopeParent: listing.index.organization.rootId }, scope: 'the organization', mode: 'rootSession',
    roleName: 'OrganizationAccountAccessRole', regions: [], homeRegion: settings.region, accountConcurrency: settings.concurrency,
  });
  const index = await listing.done;
  return { firstFindingMs, listedAtFirst, walkMs: performance.now() - started, index };
}

async function scaleIndex(o: OrgScaleOptions): Promise<{ index: ScaleIndexRun; cli: OrgScaleResult['cli'] }> {
  const generate = { accounts: o.indexAccounts, ous: o.indexOus, bucketsPerAccount: 0, queuesPerAccount: 0, seed: o.seed ?? 11 };
  const org = describeGenerated(generate);
  const faults: FaultConfig = { latencyMs: o.latencyMs, ...QUOTAS };
  return withSandboxProcess(generate, faults, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    const fresh = async () => {
      await control.faults(faults); // full buckets for each side
      await control.clearRequests();
      await new Promise((r) => setTimeout(r, 1100));
    };
    await fresh();
    const index = await indexOnce(sb);
    const seen = await control.requests({ service: 'organizations' });
    const callsPerApi: Record<string, number> = {};
    for (const e of seen) if (e.outcome === 'success') callsPerApi[e.operation] = (callsPerApi[e.operation] ?? 0) + 1;
    const tree = ['ListOrganizationalUnitsForParent', 'ListAccountsForParent'].map((api) => callsPerApi[api] ?? 0);
    const treeFloorMs = (Math.max(...tree) / DEFAULT_QUOTAS.organizations!) * 1000;
    const cli: OrgScaleResult['cli'] = [];
    for (let i = 0; i < o.cliRuns; i++) {
      await fresh();
      const run = await cliListOnce(sb, org.managementAccountId);
      const log = await control.requests({ service: 'organizations' });
      cli.push({ ms: run.ms, code: run.code, members: run.members, requests: log.length, throttled: throttledIn(log), error: run.error });
    }
    return { index: { ...index, callsPerApi, treeFloorMs, throttled: throttledIn(seen) }, cli };
  });
}

/** As OrgService does it: the organization, then the flat list beside the tree walk. */
async function indexOnce(sb: SandboxProcess): Promise<Omit<ScaleIndexRun, 'callsPerApi' | 'treeFloorMs' | 'throttled'>> {
  const aws = createAwsContext(defaultSettings(sb), sb.management);
  try {
    const started = performance.now();
    const info = await aws.ops.describeOrganization();
    const index = new OrgIndex(info);
    let flatMs = NaN;
    const flat = aws.ops.listAccounts((page) => void index.addUnplaced(page)).then((r) => {
      flatMs = performance.now() - started;
      return r;
    });
    await aws.ops.walkOrganization(info.rootId, (p) => {
      if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
      else index.setError(p.parentId, p.error ?? 'failed');
    });
    const treeMs = performance.now() - started;
    const { accounts } = await flat;
    return { flatMs, treeMs, flatAccounts: accounts, members: index.memberAccounts().length, complete: index.isComplete() };
  } finally {
    aws.dispose();
  }
}

async function sandboxCpuMs(sb: SandboxProcess): Promise<number> {
  return ((await (await fetch(`${sb.endpoint}/_sandbox/health`)).json()) as { cpuMs: number }).cpuMs;
}
