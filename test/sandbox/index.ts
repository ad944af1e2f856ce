// The local AWS sandbox: start it on 127.0.0.1, point any AWS SDK or CLI at `endpoint`.
// See README.md for the services, the semantics and the /_sandbox/ control API.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateOrg } from './generate';
import { Sandbox } from './sandbox';
import { readSeedFile } from './seed';
import { createSandboxServer } from './server';
import type { FaultConfig, GenerateOptions, SeedOrg } from './types';

export { generateOrg } from './generate';
export { sandboxControl, type SandboxControl } from './controlClient';
export type * from './types';
export type { RequestLogEntry } from './requestLog';
export type { IssuedCredential } from './sandbox';

/** The demo organization (test/sandbox/seeds/sample-org.json). */
export const SAMPLE_SEED_PATH = join(__dirname, 'seeds', 'sample-org.json');

export interface StartOptions {
  /** Default 0: a free port. The server always binds 127.0.0.1. */
  port?: number;
  /** A seed object or the path of a JSON seed file; default: the sample organization. */
  seed?: SeedOrg | string;
  /** Generate the organization instead (takes precedence over `seed`). */
  generate?: GenerateOptions;
  faults?: FaultConfig;
}

export interface SandboxHandle {
  endpoint: string;
  port: number;
  region: string;
  /** An IAM user of the management account. */
  management: { accessKeyId: string; secretAccessKey: string; arn: string; accountId: string };
  managementAccountId: string;
  close(): Promise<void>;
}

function resolveSeed(opts: StartOptions): SeedOrg {
  if (opts.generate) return generateOrg(opts.generate);
  if (typeof opts.seed === 'string') return readSeedFile(opts.seed);
  return opts.seed ?? readSeedFile(SAMPLE_SEED_PATH);
}

export async function startSandbox(opts: StartOptions = {}): Promise<SandboxHandle> {
  const sandbox = new Sandbox(resolveSeed(opts), opts.faults);
  const server = createSandboxServer(sandbox);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  sandbox.setEndpoint(endpoint);
  return {
    endpoint,
    port,
    region: sandbox.region,
    // Getters: after POST /_sandbox/seed they describe the organization now loaded.
    get management() {
      const m = sandbox.state.management;
      return { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey, arn: m.arn, accountId: sandbox.state.org.managementAccountId };
    },
    get managementAccountId() {
      return sandbox.state.org.managementAccountId;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
