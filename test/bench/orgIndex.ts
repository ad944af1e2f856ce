// 2. Organization index: the extension's full index (the context's bound operations
// describeOrganization + walkOrganization, under the context limiter) against a throttled, slow
// Organizations endpoint, next to `aws organizations list-accounts` against the same endpoint. Runs
// alternate (extension, CLI, extension, …) so both sides see the same machine load; each starts
// with a full throttle bucket.
import { createAwsContext } from '../../src/aws';
import { OrgIndex } from '../../src/core/orgIndex';
import { sandboxControl, type FaultConfig, type RequestLogEntry } from '../sandbox/index';
import { createCliHome, runTimed, tail } from './awsCli';
import { describeGenerated } from './generated';
import { withSandboxProcess, type SandboxProcess } from './sandboxProcess';

export interface OrgIndexOptions {
  accounts: number;
  ous: number;
  latencyMs: number;
  /** The sandbox's Organizations throttle and the extension's requestsPerSecond. */
  rps: number;
  concurrency: number;
  runs: number;
  /** CLI runs (0: none). */
  cliRuns: number;
  seed?: number;
}

export interface IndexRun {
  ms: number;
  members: number;
  ous: number;
  complete: boolean;
  /** Parents whose listing finally failed, with the first error (the index says so too). */
  failedParents: number;
  firstError?: string;
  /** Calls the listing needed (through the limiter; SDK retries not counted). */
  calls: number;
  /** calls / rps: the time a client sending exactly at the rate needs. */
  floorMs: number;
  /** Requests the endpoint refused with TooManyRequestsException during the run. */
  throttled: number;
  /** When the first tree level (the organization, its root and the first page of the root's children) was known. */
  firstLevelMs: number;
  /** Sequential rounds of AWS calls up to then, measured from the calls' start and end times. */
  firstLevelRoundTrips: number;
}

export interface CliListRun {
  ms: number;
  code: number;
  accounts: number;
  members: number;
  /** Organizations requests the endpoint saw (pages + retries) and how many it throttled. */
  requests: number;
  throttled: number;
  error?: string;
}

export interface OrgIndexResult {
  options: OrgIndexOptions;
  expectedMembers: number;
  expectedOus: number;
  runs: IndexRun[];
  cli: CliListRun[];
}

export async function benchOrgIndex(options: OrgIndexOptions): Promise<OrgIndexResult> {
  const generate = { accounts: options.accounts, ous: options.ous, bucketsPerAccount: 0, queuesPerAccount: 0, seed: options.seed ?? 11 };
  const org = describeGenerated(generate);
  const faults: FaultConfig = { latencyMs: options.latencyMs, throttle: { organizations: options.rps } };
  const result: OrgIndexResult = { options, expectedMembers: org.members.length, expectedOus: org.ous, runs: [], cli: [] };
  await withSandboxProcess(generate, faults, async (sb) => {
    const control = sandboxControl(sb.endpoint);
    const fresh = async () => {
      // Setting the faults again refills the throttle's token bucket; the log starts empty.
      await control.faults(faults);
      await control.clearRequests();
    };
    for (let i = 0; i < Math.max(options.runs, options.cliRuns); i++) {
      if (i < options.runs) {
        await fresh();
        const run = await indexOnce(sb, options, org.managementAccountId);
        result.runs.push({ ...run, throttled: throttledIn(await control.requests({ service: 'organizations' })) });
      }
      if (i < options.cliRuns) {
        await fresh();
        const run = await cliListOnce(sb, org.managementAccountId);
        const seen = await control.requests({ service: 'organizations' });
        result.cli.push({ ...run, requests: seen.length, throttled: throttledIn(seen) });
      }
    }
  });
  return result;
}

function throttledIn(entries: RequestLogEntry[]): number {
  return entries.filter((e) => /TooManyRequests/.test(e.errorCode ?? '')).length;
}

/**
 * Round trips: the longest chain of calls each started after the previous one ended. Calls in
 * flight together count once, so this is the number of network waits a user sits through.
 */
export function roundTrips(calls: Array<{ start: number; end: number }>): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((c, i) => {
    depth[i] = 1 + Math.max(0, ...sorted.slice(0, i).map((p, j) => (p.end <= c.start ? depth[j]! : 0)));
  });
  return Math.max(0, ...depth);
}

async function indexOnce(sb: SandboxProcess, options: OrgIndexOptions, managementAccountId: string): Promise<Omit<IndexRun, 'throttled'>> {
  const calls: Array<{ start: number; end: number }> = [];
  const aws = createAwsContext(
    { region: sb.region, endpoint: sb.endpoint, requestsPerSecond: options.rps, concurrency: options.concurrency },
    sb.management,
    (c) => {
      const end = performance.now();
      calls.push({ start: end - c.ms, end });
    },
  );
  try {
    const started = performance.now();
    // What opening the view does: describe the organization, then list the root's children
    // (the walk lists the root first, as the tree's first getChildren does).
    const info = await aws.ops.describeOrganization();
    const index = new OrgIndex(info);
    let firstError: string | undefined;
    let firstLevel: { ms: number; roundTrips: number } | undefined;
    // The tree shows the root's children from their first page on (OrgService.children).
    const rootShown = (parentId: string) => {
      if (parentId === info.rootId) firstLevel ??= { ms: performance.now() - started, roundTrips: roundTrips(calls) };
    };
    const walk = await aws.ops.walkOrganization(info.rootId, (p) => {
      if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
      else index.setError(p.parentId, (firstError ??= p.error ?? 'failed'));
      rootShown(p.parentId);
    }, undefined, (parentId, soFar) => {
      index.setPartial(parentId, soFar.ous, soFar.accounts);
      rootShown(parentId);
    });
    const ms = performance.now() - started;
    if (info.managementAccountId !== managementAccountId) throw new Error(`indexed organization ${info.managementAccountId}, generated ${managementAccountId}`);
    const limited = aws.limiter.started;
    return {
      ms,
      members: index.memberAccounts().length,
      ous: index.ous.size,
      complete: index.isComplete(),
      failedParents: walk.parentsFailed,
      firstError,
      calls: limited,
      floorMs: (limited / options.rps) * 1000,
      firstLevelMs: firstLevel?.ms ?? NaN,
      firstLevelRoundTrips: firstLevel?.roundTrips ?? NaN,
    };
  } finally {
    aws.dispose();
  }
}

export async function cliListOnce(sb: SandboxProcess, managementAccountId: string): Promise<Omit<CliListRun, 'requests' | 'throttled'>> {
  const home = createCliHome();
  try {
    const env = home.env(sb.management, sb.endpoint, sb.region);
    // The CLI follows NextToken by itself; its page size is the service default (20).
    const r = await runTimed('aws', ['--endpoint-url', sb.endpoint, '--output', 'json', 'organizations', 'list-accounts'], env, home.dir);
    if (r.code !== 0) return { ms: r.ms, code: r.code, accounts: 0, members: 0, error: tail(r.stderr) };
    const accounts = (JSON.parse(r.stdout) as { Accounts: Array<{ Id: string }> }).Accounts;
    return { ms: r.ms, code: 0, accounts: accounts.length, members: accounts.filter((a) => a.Id !== managementAccountId).length };
  } finally {
    home.remove();
  }
}
