// The local AWS sandbox for `npm start`, when this checkout has it (test/sandbox, its own issue):
// started with the sample organization; its AWS_* lines tell where it listens and which
// credentials to use. Until it exists, `npm start` runs without it and the extension shows its
// welcome content.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SEED = 'test/sandbox/seeds/sample-org.json';
const READY_TIMEOUT_MS = 120_000;
const SECRET = /SECRET|TOKEN/;

export function sandboxAvailable(root) {
  const { scripts = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Boolean(scripts['sandbox:aws']) && existsSync(join(root, SEED));
}

/**
 * Starts `npm run sandbox:aws -- --port <free port> --seed <sample org>` and returns what the
 * extension needs: credentials for code-server's environment (the SDK's default chain reads
 * them) and the endpoint and region as machine settings.
 */
export async function startSandbox(root, dirs, { startProcess, freePort, isolatedEnv }) {
  const port = await freePort();
  const vars = {};
  let ready;
  const announced = new Promise((resolve) => (ready = resolve));
  const child = startProcess('npm', ['run', '--silent', 'sandbox:aws', '--', '--port', String(port), '--seed', SEED], {
    cwd: root,
    env: isolatedEnv(dirs),
    logFile: join(dirs.base, 'sandbox.log'),
    onLine: (line) => {
      const match = /^(?:export\s+)?(AWS_[A-Z_]+)=(\S+)\s*$/.exec(line.trim());
      if (match) vars[match[1]] = match[2].replace(/^["']|["']$/g, '');
      if (vars.AWS_ENDPOINT_URL && vars.AWS_ACCESS_KEY_ID && vars.AWS_SECRET_ACCESS_KEY) ready();
    },
  });
  const redactedTail = () => child.tail().split('\n').map((l) => (SECRET.test(l) ? '<redacted>' : l)).join('\n');
  const outcome = await Promise.race([
    announced.then(() => 'ready'),
    child.exited.then((code) => `exited (${code})`),
    new Promise((r) => setTimeout(r, READY_TIMEOUT_MS, `not ready after ${READY_TIMEOUT_MS / 1000} s`).unref()),
  ]);
  if (outcome !== 'ready') {
    await child.stop();
    throw new Error(`the AWS sandbox ${outcome}:\n${redactedTail()}`);
  }
  const env = Object.fromEntries(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
    .filter((k) => vars[k]).map((k) => [k, vars[k]]));
  return {
    endpoint: vars.AWS_ENDPOINT_URL,
    env,
    machineSettings: {
      'rootTasks.endpointUrl': vars.AWS_ENDPOINT_URL,
      'rootTasks.region': vars.AWS_REGION || vars.AWS_DEFAULT_REGION || 'us-east-1',
    },
    stop: () => child.stop(),
  };
}
