// A profile that assumes a role with mfa_serial, through the SDK's own chain against the sandbox:
// the code is asked once per session naming profile and device, a wrong code is refused by STS
// and nothing is kept (the next call asks again), cancelling means no credentials. The AWS config
// files are this test's own temporary files, never the home directory's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { useAwsConfigFiles, type AwsConfigFiles } from '../../support/awsConfigFiles';
import { totpCode } from '../../sandbox/mfa';
import { createAwsContext, type AwsContext } from '../../../src/aws';
import { isUserError } from '../../../src/core/errors';

const MANAGEMENT = '210987654321';
const SERIAL = `arn:aws:iam::${MANAGEMENT}:mfa/sandbox-admin`;
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('MFA-protected profile', () => {
  let sb: SandboxHandle;
  let files: AwsConfigFiles;

  before(async () => {
    sb = await startSandbox();
    files = useAwsConfigFiles('root-tasks-mfa-', {
      config: [
        '[profile admin-mfa]',
        `role_arn = arn:aws:iam::${MANAGEMENT}:role/OrganizationAdmin`,
        'source_profile = base',
        `mfa_serial = ${SERIAL}`,
        'role_session_name = mfa-test',
        '',
      ],
      credentials: ['[base]', `aws_access_key_id = ${sb.management.accessKeyId}`, `aws_secret_access_key = ${sb.management.secretAccessKey}`, ''],
    });
  });
  after(() => {
    files?.restore();
    return sb?.close();
  });

  function context(answer: () => string | undefined) {
    const asked: { profile: string; serial: string }[] = [];
    const aws: AwsContext = createAwsContext(
      { region: sb.region, endpoint: sb.endpoint, profile: 'admin-mfa', requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, undefined, undefined,
      {
        mfaCode: async (request) => {
          asked.push(request);
          const code = answer();
          if (code === undefined) throw new Error('cancelled by the test');
          return code;
        },
      });
    return { aws, asked };
  }

  it('asks once, naming profile and device, and reuses the session for every client', async () => {
    const { aws, asked } = context(() => totpCode(SEED, Date.now()));
    try {
      const [me] = await Promise.all([aws.callerIdentity(), aws.management.organizations.send(new ListRootsCommand({}))]);
      assert.equal(me.arn, `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAdmin/mfa-test`);
      await aws.management.organizations.send(new ListRootsCommand({}));
      assert.deepEqual(asked, [{ profile: 'admin-mfa', serial: SERIAL }]);
    } finally {
      aws.dispose();
    }
  });

  it('a wrong code: STS refuses it, the message names profile and device, nothing is kept', async () => {
    let code = '000000';
    const { aws, asked } = context(() => code);
    try {
      const right = totpCode(SEED, Date.now());
      // Not a code of any step the sandbox accepts.
      code = right === '000000' ? '111111' : '000000';
      if ([-1, 1].some((s) => totpCode(SEED, Date.now(), s) === code)) code = '222222';
      const err = await aws.callerIdentity().then(() => undefined, (e: unknown) => e);
      assert.ok(isUserError(err), `expected a user error, got ${String(err)}`);
      assert.match(err.message, /AWS refused the MFA code for profile "admin-mfa" \(device arn:aws:iam::210987654321:mfa\/sandbox-admin\)/);
      assert.match(err.message, /MultiFactorAuthentication failed with invalid MFA one time pass code/);
      code = totpCode(SEED, Date.now());
      assert.equal((await aws.callerIdentity()).account, MANAGEMENT);
      assert.equal(asked.length, 2, 'the failed attempt was not kept: the next call asked again');
    } finally {
      aws.dispose();
    }
  });

  it('cancelling: no credentials, and the next call asks again', async () => {
    const { aws, asked } = context(() => undefined);
    try {
      await assert.rejects(aws.callerIdentity(), /cancelled by the test/);
      await assert.rejects(aws.callerIdentity(), /cancelled by the test/);
      assert.equal(asked.length, 2);
    } finally {
      aws.dispose();
    }
  });
});
