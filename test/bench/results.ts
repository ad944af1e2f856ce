// The shape of one `npm run bench`: every section's raw runs (bench.json keeps them all) and the
// conditions they were measured under.
import type { ActivationResult } from './activation';
import type { LoadWindow, MachineInfo } from './machine';
import type { GuardrailBenchResult } from './guardrails';
import type { OrgScaleResult } from './orgScale';
import type { OrgIndexResult } from './orgIndex';
import type { ScanBenchResult } from './scan';
import type { SplitBreach } from './stage';
import type { ThroughputResult } from './throughput';
import type { UnlockBenchResult } from './unlock';

export interface Section<T> {
  result: T;
  load: LoadWindow;
  seconds: number;
}

export interface BundlePart {
  name: string;
  bytes: number;
}

export interface BenchResults {
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  /** 1-, 5- and 15-minute load averages at the start and the end. */
  loadAverages: { start: number[]; end: number[] };
  /** The AWS CLI found, and whether it has `sts assume-root` (checked only when a CLI side ran). */
  cli: { version?: string; assumeRoot?: boolean };
  /**
   * With the largest parts of the main, AWS and flows bundles and the code the main and AWS bundles
   * both carry (for the notes), and where the bundle split esbuild.js promises does not hold.
   */
  activation?: Section<ActivationResult> & {
    mainBundleParts: BundlePart[];
    awsBundleParts: BundlePart[];
    flowsBundleParts: BundlePart[];
    sharedParts: BundlePart[];
    splitBreaches: SplitBreach[];
  };
  orgIndex?: Section<OrgIndexResult>;
  scan?: Section<ScanBenchResult>;
  unlock?: Section<UnlockBenchResult>;
  throughput?: Section<ThroughputResult>;
  guardrails?: Section<GuardrailBenchResult>;
  orgScale?: Section<OrgScaleResult>;
}

export interface Row {
  section: string;
  measure: string;
  /** Root Tasks' figure. */
  value: string;
  /** What users do today (the CLI), when there is a pair. */
  baseline: string;
  ratio: string;
  target: string;
  /** undefined: informative, no target. */
  met: boolean | undefined;
  runs: string;
  machine: string;
}
