// An IAM Identity Center (SSO) profile through the SDK's own chain against the sandbox's portal
// (GetRoleCredentials): a missing, unknown or expired token is "sign in again" (the hook hears
// it), and once `aws sso login` has cached a token (written here, as the CLI would) the same
// context gets credentials without being rebuilt. HOME and the AWS config are this test's own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox';
import { createAwsContext, ssoTokenFile } from '../../../src/aws';
import { useAwsConfigFiles, type AwsConfigFiles } from '../../support/awsConfigFiles';
import { isUserError } from '../../../src/core/errors';

const MANAGEMENT = '210987654321';

describe('SSO profile', () => {
  let sb: SandboxHandle;
  let control: SandboxControl;
  let files: AwsConfigFiles;
  const cacheFile = () => path.join(files.dir, '.aws', 'sso', 'cache', `${createHash('sha1').update('acme').digest('hex')}.json`);
  const writeToken = (accessToken: string, expiresInSeconds: number) => {
    fs.mkdirSync(path.dirname(cacheFile()), { recursive: true });
    fs.writeFileSync(cacheFile(), JSON.stringify({
      startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1', accessToken,
      expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString(),
    }));
  };

  before(async () => {
    sb = await startSandbox();
    control = sandboxControl(sb.endpoint);
    files = useAwsConfigFiles('root-tasks-sso-', {
      config: [
        '[profile sso-admin]', 'sso_session = acme', `sso_account_id = ${MANAGEMENT}`, 'sso_role_name = OrganizationAdmin', 'region = us-east-1', '',
        '[sso-session acme]', 'sso_start_url = https://acme.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access', '',
      ],
    }, { home: true });
  });
  after(() => {
    files?.restore();
    return sb?.close();
  });

  it('the token cache file is where the SDK looks for the profile', async () => {
    assert.equal(await ssoTokenFile('sso-admin'), cacheFile());
    assert.equal(await ssoTokenFile('nope'), undefined);
  });

  it('missing, unknown and expired tokens ask for sign-in; a new token works without a new context', async () => {
    const expired: string[] = [];
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, profile: 'sso-admin', requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 },
      undefined, undefined, { ssoExpired: (p) => expired.push(p) });
    const signInAgain = async () => {
      const err = await aws.callerIdentity().then(() => undefined, (e: unknown) => e);
      assert.ok(isUserError(err), `expected a user error, got ${String(err)}`);
      assert.match(err.message, /SSO session of profile "sso-admin" has expired or is missing/);
    };
    try {
      await signInAgain();
      const token = randomBytes(24).toString('base64url');
      writeToken(token, 3600);
      await signInAgain(); // the portal does not know it (UnauthorizedException)
      await control.ssoToken(token, 3600, 'alice@acme.example');
      writeToken(token, -60);
      await signInAgain(); // expired in the cache
      writeToken(token, 3600);
      const me = await aws.callerIdentity();
      assert.equal(me.arn, `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAdmin/alice@acme.example`);
      assert.deepEqual(expired, ['sso-admin', 'sso-admin', 'sso-admin']);
    } finally {
      aws.dispose();
    }
  });
});
