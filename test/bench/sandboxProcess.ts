// The sandbox in its own process (test/sandbox/cli.ts), so its request handling never shares the
// event loop of the client being measured. Stopped by PID, also when the bench fails.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { FaultConfig, GenerateOptions } from '../sandbox/index';

export interface SandboxProcess {
  endpoint: string;
  region: string;
  management: { accessKeyId: string; secretAccessKey: string };
  pid: number;
  stop(): Promise<void>;
}

const CLI = join(__dirname, '..', 'sandbox', 'cli.ts');
const STARTUP_MS = 60_000;

export async function startSandboxProcess(generate: GenerateOptions, faults: FaultConfig = {}): Promise<SandboxProcess> {
  const args = [
    '--import', 'tsx', CLI, '--port', '0',
    '--generate', String(generate.accounts),
    ...(generate.ous !== undefined ? ['--ous', String(generate.ous)] : []),
    '--buckets-per-account', String(generate.bucketsPerAccount ?? 0),
    '--queues-per-account', String(generate.queuesPerAccount ?? 0),
    '--gen-seed', String(generate.seed ?? 1),
    '--faults', JSON.stringify(faults),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the sandbox process');
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const lines = await Promise.race([
      readLines(child.stdout!, 4),
      exited.then((code) => Promise.reject(new Error(`the sandbox exited (${code}) before it was ready:\n${stderr}`))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the sandbox was not ready after ${STARTUP_MS} ms:\n${stderr}`)), STARTUP_MS).unref()),
    ]);
    const v = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return {
      endpoint: v.AWS_ENDPOINT_URL!,
      region: v.AWS_REGION!,
      management: { accessKeyId: v.AWS_ACCESS_KEY_ID!, secretAccessKey: v.AWS_SECRET_ACCESS_KEY! },
      pid,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function readLines(stream: NodeJS.ReadableStream, n: number): Promise<string[]> {
  let out = '';
  for await (const chunk of stream) {
    out += String(chunk);
    const lines = out.split('\n');
    if (lines.length > n) return lines.slice(0, n);
  }
  throw new Error('the sandbox closed its output early');
}

/** Runs `fn` with a fresh sandbox process and always stops it. */
export async function withSandboxProcess<T>(generate: GenerateOptions, faults: FaultConfig, fn: (sb: SandboxProcess) => Promise<T>): Promise<T> {
  const sb = await startSandboxProcess(generate, faults);
  try {
    return await fn(sb);
  } finally {
    await sb.stop();
  }
}
