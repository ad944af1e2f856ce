// The whole benchmark as a function of its configuration: `npm run bench` runs it at full size
// (run.ts), the unit smoke test at a tiny one. Sections run one after another, never in parallel,
// so they do not load the machine for each other.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchActivation } from './activation';
import { cliHasAssumeRoot, cliVersion } from './awsCli';
import { machineInfo, underLoad } from './machine';
import { renderMarkdown } from './markdown';
import { benchGuardrails, type GuardrailBenchOptions } from './guardrails';
import { benchOrgIndex, type OrgIndexOptions } from './orgIndex';
import { benchOrgScale, type OrgScaleOptions } from './orgScale';
import type { BenchResults, Section } from './results';
import { buildRows } from './rows';
import { benchScan, type ScanBenchOptions } from './scan';
import { bundleInputs, bundleParts, sharedParts, splitBreaches } from './stage';
import { benchThroughput, type ThroughputOptions } from './throughput';
import { benchUnlock, type UnlockBenchOptions } from './unlock';

export const SECTIONS = ['activation', 'orgIndex', 'scan', 'unlock', 'throughput', 'guardrails', 'orgScale'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchConfig {
  sections: readonly SectionName[];
  /** The project folder (activation builds and packages it). */
  root: string;
  /** Where the staged build and per-run folders go. */
  workDir: string;
  activationRuns: number;
  orgIndex: OrgIndexOptions;
  scan: ScanBenchOptions;
  unlock: UnlockBenchOptions;
  throughput: ThroughputOptions;
  guardrails: GuardrailBenchOptions;
  /** Org scale at AWS's quotas (section 7); absent: not run. */
  orgScale?: OrgScaleOptions;
}

export const FULL_SIZE: Omit<BenchConfig, 'root' | 'workDir'> = {
  sections: SECTIONS,
  activationRuns: 5,
  // ~60 s per extension run at 10 req/s (about 610 calls), ~30 s per CLI run.
  orgIndex: { accounts: 5000, ous: 250, latencyMs: 50, rps: 10, concurrency: 8, runs: 3, cliRuns: 3 },
  // The CLI loop costs about a second per call (a Python start-up) on a quiet machine.
  scan: { accounts: 300, bucketsPerAccount: 10, queuesPerAccount: 5, latencyMs: 50, concurrency: 8, requestsPerSecond: 0, runs: 3, loopAccounts: 5, loopRuns: 3 },
  unlock: { latencyMs: 50, runs: 7, cliRuns: 3 },
  throughput: { runs: 3, seconds: 5, warmupSeconds: 2, concurrency: 32 },
  // The same 50 policies on 5,000 and on 500 accounts: the calls must be the same.
  guardrails: { accounts: 5000, ous: 250, policies: 50, smallAccounts: 500, runs: 3 },
  // One run each: the scan alone is about three minutes at the default 12 calls in flight.
  orgScale: { scanAccounts: 2000, bucketsPerAccount: 10, queuesPerAccount: 5, latencyMs: 50, indexAccounts: 5000, indexOus: 250, cliRuns: 1 },
};

type Log = (line: string) => void;

export async function runBench(wanted: BenchConfig, log: Log = () => undefined): Promise<BenchResults> {
  const started = Date.now();
  const startLoad = loadavg();
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    machine: machineInfo(),
    loadAverages: { start: startLoad, end: startLoad },
    cli: { version: cliVersion() },
  };
  const config = withoutMissingCli(wanted, results.cli);
  if (config !== wanted) log(`[bench] ${results.cli.version ?? 'no AWS CLI'}${results.cli.version ? ' without sts assume-root' : ''}: CLI sides that need it are skipped`);
  const section = async <T>(name: SectionName, fn: () => Promise<T>): Promise<Section<T> | undefined> => {
    if (!config.sections.includes(name)) return undefined;
    log(`[bench] ${name}: started (load ${loadavg()[0]!.toFixed(2)})`);
    const t = Date.now();
    const { load, result } = await underLoad(fn);
    const seconds = (Date.now() - t) / 1000;
    log(`[bench] ${name}: done in ${seconds.toFixed(1)} s`);
    return { result, load, seconds };
  };
  const activation = await section('activation', () => benchActivation(config.root, config.workDir, config.activationRuns));
  if (activation) {
    const main = await bundleInputs(config.root, 'dist/extension.js');
    const aws = await bundleInputs(config.root, 'dist/aws.js');
    const flows = await bundleInputs(config.root, 'dist/flows.js');
    results.activation = {
      ...activation,
      mainBundleParts: bundleParts(main).slice(0, 8),
      awsBundleParts: bundleParts(aws).slice(0, 6),
      flowsBundleParts: bundleParts(flows).slice(0, 6),
      sharedParts: sharedParts(main, aws).slice(0, 5),
      splitBreaches: [...splitBreaches('dist/extension.js', main), ...splitBreaches('dist/aws.js', aws)],
    };
  }
  results.orgIndex = await section('orgIndex', () => benchOrgIndex(config.orgIndex));
  results.scan = await section('scan', () => benchScan(config.scan));
  results.unlock = await section('unlock', () => benchUnlock(config.unlock));
  results.throughput = await section('throughput', () => benchThroughput(config.throughput));
  results.guardrails = await section('guardrails', () => benchGuardrails(config.guardrails));
  const scale = config.orgScale;
  if (scale) results.orgScale = await section('orgScale', () => benchOrgScale(scale));
  results.seconds = (Date.now() - started) / 1000;
  results.loadAverages.end = loadavg();
  return results;
}

/**
 * The CLI sides need `aws`, the loop and the unlock sequence also `sts assume-root` (asked only
 * then: its help renders a man page, seconds). Without them those sides are skipped, and the
 * report says why.
 */
function withoutMissingCli(config: BenchConfig, cli: BenchResults['cli']): BenchConfig {
  const uses = (name: SectionName, runs: number) => config.sections.includes(name) && runs > 0;
  const needsAssumeRoot = uses('scan', config.scan.loopRuns * config.scan.loopAccounts) || uses('unlock', config.unlock.cliRuns);
  if (cli.version && needsAssumeRoot) cli.assumeRoot = cliHasAssumeRoot();
  const c = structuredClone(config);
  if (!cli.version) {
    c.orgIndex.cliRuns = 0;
    if (c.orgScale) c.orgScale.cliRuns = 0;
  }
  if (!cli.version || cli.assumeRoot === false) {
    c.scan.loopRuns = 0;
    c.unlock.cliRuns = 0;
  }
  const changed = c.orgIndex.cliRuns !== config.orgIndex.cliRuns || c.orgScale?.cliRuns !== config.orgScale?.cliRuns || c.scan.loopRuns !== config.scan.loopRuns || c.unlock.cliRuns !== config.unlock.cliRuns;
  return changed ? c : config;
}

/** Writes bench.md and bench.json into `dir`; returns the Markdown. */
export function writeOutputs(dir: string, results: BenchResults): string {
  mkdirSync(dir, { recursive: true });
  const rows = buildRows(results);
  const md = renderMarkdown(results, rows);
  writeFileSync(join(dir, 'bench.md'), md);
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ ...results, rows }, null, 2) + '\n');
  return md;
}
