// `npm run bench [-- --only scan,unlock] [--runs N] [--loop-accounts N]`: every section at full
// size, then .test-output/bench/bench.md and bench.json. Not part of `npm test` (a unit smoke test
// runs it at a tiny size instead).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL_SIZE, SECTIONS, runBench, writeOutputs, type BenchConfig, type SectionName } from './bench';

const USAGE = `usage: npm run bench -- [--only ${SECTIONS.join(',')}] [--runs N] [--loop-accounts N]
  --only           sections to run (default: all)
  --runs N         every run count (extension and CLI sides) set to N (default: ${FULL_SIZE.activationRuns} activation,
                   ${FULL_SIZE.orgIndex.runs}+${FULL_SIZE.orgIndex.cliRuns} index, ${FULL_SIZE.scan.runs}+${FULL_SIZE.scan.loopRuns} scan, ${FULL_SIZE.unlock.runs}+${FULL_SIZE.unlock.cliRuns} unlock, ${FULL_SIZE.throughput.runs} throughput, ${FULL_SIZE.guardrails.runs} guardrails)
  --loop-accounts  accounts the CLI shell loop scans before extrapolating (default ${FULL_SIZE.scan.loopAccounts})`;

/** The configuration, or undefined when only the usage was asked for. */
function config(argv: string[]): BenchConfig | undefined {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string' }, runs: { type: 'string' }, 'loop-accounts': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return undefined;
  const root = join(__dirname, '..', '..');
  const c: BenchConfig = structuredClone({ ...FULL_SIZE, root, workDir: join(root, '.test-output', 'bench') });
  if (values.only) {
    const only = values.only.split(',').map((s) => s.trim());
    const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')}\n${USAGE}`);
    c.sections = only as SectionName[];
  }
  if (values.runs) {
    const n = positive('runs', values.runs);
    c.activationRuns = n;
    Object.assign(c.orgIndex, { runs: n, cliRuns: n });
    Object.assign(c.scan, { runs: n, loopRuns: n });
    Object.assign(c.unlock, { runs: n, cliRuns: n });
    c.throughput.runs = n;
    c.guardrails.runs = n;
  }
  if (values['loop-accounts']) c.scan.loopAccounts = positive('loop-accounts', values['loop-accounts']);
  return c;
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

async function main(): Promise<void> {
  let c: BenchConfig | undefined;
  try {
    c = config(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (!c) {
    console.log(USAGE);
    return;
  }
  const results = await runBench(c, (line) => console.log(line));
  const md = writeOutputs(c.workDir, results);
  console.log(`\n${md}`);
  console.log(`[bench] wrote ${join('.test-output', 'bench', 'bench.md')} and bench.json`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
