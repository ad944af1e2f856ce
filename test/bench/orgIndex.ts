// 2. Organization index: the extension's full index (describeOrganization + walkOrganization under
// the context limiter) against a throttled, slow Organizations endpoint, next to
// `aws organizations list-accounts` against the same endpoint. Runs alternate (extension, CLI,
// extension, …) so both sides see the same machine load; each starts with a full throttle bucket.
import { createAwsContext, describeOrganization, walkOrganization } from '../../src/aws';
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

async function indexOnce(sb: SandboxProcess, options: OrgIndexOptions, managementAccountId: string): Promise<Omit<IndexRun, 'throttled'>> {
  const aws = createAwsContext(
    { region: sb.region, endpoint: sb.endpoint, requestsPerSecond: options.rps, concurrency: options.concurrency },
    sb.management,
  );
  try {
    const started = performance.now();
    const info = await describeOrganization(aws);
    const index = new OrgIndex(info);
    let firstError: string | undefined;
    const walk = await walkOrganization(aws, info.rootId, (p) => {
      if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
      else index.setError(p.parentId, (firstError ??= p.error ?? 'failed'));
    });
    const ms = performance.now() - started;
    if (info.managementAccountId !== managementAccountId) throw new Error(`indexed organization ${info.managementAccountId}, generated ${managementAccountId}`);
    const calls = aws.limiter.started;
    return {
      ms,
      members: index.memberAccounts().length,
      ous: index.ous.size,
      complete: index.isComplete(),
      failedParents: walk.parentsFailed,
      firstError,
      calls,
      floorMs: (calls / options.rps) * 1000,
    };
  } finally {
    aws.dispose();
  }
}

async function cliListOnce(sb: SandboxProcess, managementAccountId: string): Promise<Omit<CliListRun, 'requests' | 'throttled'>> {
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
