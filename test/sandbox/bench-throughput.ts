// Simple-request throughput of the sandbox: `npx tsx test/sandbox/bench-throughput.ts [--seconds 5]
// [--concurrency 32] [--generate 5000]`. The sandbox runs in its own process (the CLI); this
// process replays requests signed once per operation (the sandbox still verifies every signature)
// over keep-alive sockets, then reports requests per second of wall clock and per second of the
// sandbox's own CPU time — the "one core" figure. No injected latency or faults.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

interface Signed {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    generate: { type: 'string' },
  },
});

async function startCli(): Promise<{ endpoint: string; key: string; secret: string; stop: () => void }> {
  const args = [...(process.env.SANDBOX_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(__dirname, 'cli.ts'), '--port', '0', ...(values.generate ? ['--generate', values.generate] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.split('\n').length > 4) break;
  }
  const v = Object.fromEntries(out.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { endpoint: v.AWS_ENDPOINT_URL, key: v.AWS_ACCESS_KEY_ID, secret: v.AWS_SECRET_ACCESS_KEY, stop: () => child.kill('SIGTERM') };
}

async function sign(endpoint: string, key: string, secret: string, service: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<Signed> {
  const url = new URL(endpoint);
  const req = new HttpRequest({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host, ...headers }, body });
  const signer = new SignatureV4({ credentials: { accessKeyId: key, secretAccessKey: secret }, region: 'us-east-1', service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: service !== 's3' });
  const s = await signer.sign(req);
  return { name: `${service}`, method, path, headers: s.headers as Record<string, string>, body };
}

function send(agent: Agent, endpoint: string, r: Signed): Promise<number> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

async function health(endpoint: string): Promise<{ cpuMs: number }> {
  return (await (await fetch(`${endpoint}/_sandbox/health`)).json()) as { cpuMs: number };
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const sandbox = await startCli();
  try {
    const { endpoint, key, secret } = sandbox;
    const requests = [
      await sign(endpoint, key, secret, 'sts', 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15'),
      await sign(endpoint, key, secret, 'organizations', 'POST', '/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSOrganizationsV20161128.DescribeOrganization' }, '{}'),
      await sign(endpoint, key, secret, 's3', 'GET', '/', { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }, ''),
      await sign(endpoint, key, secret, 'sqs', 'POST', '/', { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues', 'x-amzn-query-mode': 'true' }, '{}'),
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    for (const r of requests) {
      const status = await send(agent, endpoint, r);
      if (status !== 200) throw new Error(`${r.name} answered ${status}`);
    }
    let done = 0;
    let failed = 0;
    const load = (until: number) =>
      Promise.all(
        Array.from({ length: concurrency }, async (_, worker) => {
          for (let i = worker; performance.now() < until; i++) {
            const status = await send(agent, endpoint, requests[i % requests.length]!);
            if (status === 200) done++;
            else failed++;
          }
        }),
      );
    // Warm-up: let V8 optimize the hot paths before measuring.
    await load(performance.now() + Number(values.warmup) * 1000);
    await fetch(`${endpoint}/_sandbox/requests`, { method: 'DELETE' });
    done = 0;
    failed = 0;
    const before = await health(endpoint);
    const started = performance.now();
    await load(started + seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const after = await health(endpoint);
    const cpuSeconds = (after.cpuMs - before.cpuMs) / 1000;
    agent.destroy();
    const total = done + failed;
    console.log(`requests: ${total} (${failed} not 200) in ${elapsed.toFixed(2)} s with ${concurrency} in flight`);
    console.log(`wall-clock throughput: ${Math.round(total / elapsed)} req/s`);
    console.log(`sandbox CPU: ${cpuSeconds.toFixed(2)} s → ${Math.round(total / cpuSeconds)} req/s per core (target ≥ 2000)`);
  } finally {
    sandbox.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
