// The AWS of the host and e2e tiers: the project's sandbox with the sample organization, started in
// the tier's own process on a free port. The extension reaches it the way a user's VS Code would:
// the endpoint as a machine setting, the management credentials in the environment (the SDK's
// default chain), so the real credential and settings code paths are exercised.
import { SAMPLE_SEED_PATH, startSandbox } from '../sandbox';
import type { Fixture } from './fixtures';

export interface SandboxFixtureInfo extends Record<string, unknown> {
  endpoint: string;
  region: string;
  managementAccountId: string;
  managementArn: string;
  /** For tests that call the sandbox themselves; never printed. */
  accessKeyId: string;
  secretAccessKey: string;
}

export const sandboxFixture: Fixture = {
  name: 'sandbox',
  async start() {
    const sb = await startSandbox({ seed: SAMPLE_SEED_PATH });
    const m = sb.management;
    const info: SandboxFixtureInfo = {
      endpoint: sb.endpoint,
      region: sb.region,
      managementAccountId: sb.managementAccountId,
      managementArn: m.arn,
      accessKeyId: m.accessKeyId,
      secretAccessKey: m.secretAccessKey,
    };
    return {
      env: {
        AWS_ACCESS_KEY_ID: m.accessKeyId,
        AWS_SECRET_ACCESS_KEY: m.secretAccessKey,
        AWS_REGION: sb.region,
        // The user's real AWS config must never leak into a test run.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      machineSettings: { 'rootTasks.endpointUrl': sb.endpoint, 'rootTasks.region': sb.region },
      info,
      stop: () => sb.close(),
    };
  },
};
