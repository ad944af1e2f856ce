// The sandbox CLI as `npm run sandbox:aws` runs it: shell lines with the endpoint and the
// management credentials in AWS's formats, serving until SIGTERM/SIGINT; bad arguments exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { SAMPLE_SEED_PATH } from '../../sandbox/index';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'test', 'sandbox', 'cli.ts');

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
}

/** The four shell lines, read as soon as they are printed. */
async function variables(child: ChildProcess): Promise<Record<string, string>> {
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.split('\n').length > 4) break;
  }
  const vars: Record<string, string> = {};
  for (const line of out.trim().split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    assert.ok(m, `a shell line: ${line}`);
    vars[m[1]!] = m[2]!;
  }
  return vars;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

test('--generate prints the endpoint and credentials, serves, and stops on SIGTERM', async () => {
  const child = run(['--port', '0', '--generate', '3', '--gen-seed', '5']);
  try {
    const v = await variables(child);
    assert.deepEqual(Object.keys(v), ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']);
    assert.match(v.AWS_ENDPOINT_URL!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(v.AWS_ACCESS_KEY_ID!, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(v.AWS_SECRET_ACCESS_KEY!.length, 40);
    assert.equal(v.AWS_REGION, 'us-east-1');
    const health = (await (await fetch(`${v.AWS_ENDPOINT_URL}/_sandbox/health`)).json()) as { accounts: number };
    assert.equal(health.accounts, 4);
  } finally {
    assert.equal(await stop(child, 'SIGTERM'), 0);
  }
});

test('--seed loads a seed file; SIGINT stops it', async () => {
  const child = run(['--seed', SAMPLE_SEED_PATH]);
  try {
    const v = await variables(child);
    assert.equal(v.AWS_ACCESS_KEY_ID, 'AKIASANDBOXDEMOKEY01');
    const health = (await (await fetch(`${v.AWS_ENDPOINT_URL}/_sandbox/health`)).json()) as { managementAccountId: string };
    assert.equal(health.managementAccountId, '210987654321');
  } finally {
    assert.equal(await stop(child, 'SIGINT'), 0);
  }
});

test('bad arguments exit 2 with a reason on stderr', async () => {
  for (const args of [['--generate', 'many'], ['--seed', 'a.json', '--generate', '3'], ['--colour', 'red']]) {
    const child = run(args);
    let err = '';
    child.stderr!.on('data', (c) => (err += String(c)));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2, args.join(' '));
    assert.ok(err.trim().length > 0);
  }
});
