// The AWS CLI v1 as users run it, but isolated: a throw-away HOME, config and credentials files
// that do not exist, credentials only in the environment, every call sent to the sandbox's
// endpoint. Retries stay at the CLI's defaults (what users get).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliHome {
  dir: string;
  /** The environment for one call or script: isolated files, these credentials, the sandbox endpoint. */
  env(creds: CliCredentials, endpoint: string, region: string): NodeJS.ProcessEnv;
  remove(): void;
}

export function cliVersion(): string | undefined {
  try {
    const home = mkdtempSync(join(tmpdir(), 'rt-bench-cli-'));
    try {
      const out = execFileSync('aws', ['--version'], { env: baseEnv(home), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return out.trim().split(' ')[0];
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  } catch {
    return undefined;
  }
}

/** Whether this CLI knows `sts assume-root` (answered from its bundled models, offline). */
export function cliHasAssumeRoot(): boolean {
  const home = mkdtempSync(join(tmpdir(), 'rt-bench-cli-'));
  try {
    execFileSync('aws', ['sts', 'assume-root', 'help'], { env: { ...baseEnv(home), PAGER: 'cat', MANPAGER: 'cat' }, stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function baseEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    LANG: 'C.UTF-8',
  };
}

export function createCliHome(): CliHome {
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-cli-'));
  return {
    dir,
    env: (creds, endpoint, region) => ({
      ...baseEnv(dir),
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
      AWS_DEFAULT_REGION: region,
      // The scripts pass it on as --endpoint-url; users would omit it and reach AWS.
      BENCH_ENDPOINT: endpoint,
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs a command (`aws …` or a script) and times it from spawn to exit. */
export function runTimed(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The last lines of a failed run's stderr, for an error message (never credentials: the CLI does not print them there). */
export function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
