// `npm run sandbox:aws -- [--port <p>] [--seed <file> | --generate <n>] ...`: runs the sandbox
// until SIGINT/SIGTERM. Prints the endpoint and the management credentials as shell lines on
// stdout (AWS_ENDPOINT_URL=…, AWS_ACCESS_KEY_ID=…, AWS_SECRET_ACCESS_KEY=…, AWS_REGION=…);
// everything else goes to stderr.
import { parseArgs } from 'node:util';
import { startSandbox, type StartOptions } from './index';
import type { FaultConfig } from './types';

const USAGE = `usage: sandbox:aws [--port <port>] [--seed <file.json> | --generate <accounts>]
                  [--ous <n>] [--buckets-per-account <n>] [--queues-per-account <n>] [--gen-seed <n>]
                  [--faults '<json FaultConfig>']
Without --seed or --generate the sample organization (seeds/sample-org.json) is loaded.`;

function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}

export function parseCli(argv: string[]): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      generate: { type: 'string' },
      ous: { type: 'string' },
      'buckets-per-account': { type: 'string' },
      'queues-per-account': { type: 'string' },
      'gen-seed': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  if (values.seed && values.generate) throw new Error('--seed and --generate exclude each other');
  const opts: StartOptions = { port: count('port', values.port, 0) ?? 0 };
  if (values.seed) opts.seed = values.seed;
  const accounts = count('generate', values.generate, 1);
  if (accounts !== undefined) {
    opts.generate = {
      accounts,
      ous: count('ous', values.ous, 1),
      bucketsPerAccount: count('buckets-per-account', values['buckets-per-account'], 0),
      queuesPerAccount: count('queues-per-account', values['queues-per-account'], 0),
      seed: count('gen-seed', values['gen-seed'], 0),
    };
  }
  if (values.faults) opts.faults = JSON.parse(values.faults) as FaultConfig;
  return opts;
}

async function main(): Promise<void> {
  let opts: StartOptions;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const handle = await startSandbox(opts);
  const m = handle.management;
  process.stdout.write(
    [
      `AWS_ENDPOINT_URL=${handle.endpoint}`,
      `AWS_ACCESS_KEY_ID=${m.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${m.secretAccessKey}`,
      `AWS_REGION=${handle.region}`,
      '',
    ].join('\n'),
  );
  process.stderr.write(`sandbox: listening on ${handle.endpoint} (management account ${handle.managementAccountId}, ${m.arn}); control API at ${handle.endpoint}/_sandbox/\n`);
  const stop = (signal: string) => {
    process.stderr.write(`sandbox: ${signal}, stopping\n`);
    handle.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`sandbox: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
