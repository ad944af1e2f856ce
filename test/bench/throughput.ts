// 5. Sandbox throughput, by the sandbox's own tool (test/sandbox/bench-throughput.ts): simple signed
// requests with no injected latency, per second of wall clock and per second of the sandbox
// process's CPU time. Each run is a fresh process; its report lines are read back here.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ThroughputOptions {
  runs: number;
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
}

export interface ThroughputRun {
  requests: number;
  failed: number;
  wallRps: number;
  cpuRps: number;
}

export interface ThroughputResult {
  options: ThroughputOptions;
  runs: ThroughputRun[];
}

const TOOL = join(__dirname, '..', 'sandbox', 'bench-throughput.ts');

export async function benchThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const runs: ThroughputRun[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(parseReport(await runTool(options)));
  return { options, runs };
}

function runTool(options: ThroughputOptions): Promise<string> {
  const args = ['--import', 'tsx', TOOL, '--seconds', String(options.seconds), '--warmup', String(options.warmupSeconds), '--concurrency', String(options.concurrency)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench-throughput exited with ${code}:\n${out}\n${err}`))));
  });
}

/** Reads the tool's three report lines; a change in their wording fails loudly rather than reporting zeros. */
export function parseReport(text: string): ThroughputRun {
  const grab = (re: RegExp, what: string) => {
    const m = re.exec(text);
    if (!m) throw new Error(`bench-throughput printed no ${what}:\n${text}`);
    return m;
  };
  const requests = grab(/requests: (\d+) \((\d+) not 200\)/, 'request count');
  return {
    requests: Number(requests[1]),
    failed: Number(requests[2]),
    wallRps: Number(grab(/wall-clock throughput: (\d+) req\/s/, 'wall-clock figure')[1]),
    cpuRps: Number(grab(/→ (\d+) req\/s per core/, 'per-core figure')[1]),
  };
}
