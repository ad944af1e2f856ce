// STS against the sandbox with the real SDK: who am I, the scan role, and AssumeRoot with every
// prerequisite and refusal the issue names.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssumeRoleCommand, AssumeRootCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { totpCode } from '../../sandbox/mfa';
import { assumeRoot, assumeScanRole, clients, rejectsWith, SAMPLE, sampleSeed, taskArn, type Creds } from './helpers';

// The seed of the management user's virtual MFA device (test/sandbox/seeds/sample-org.json).
const MFA_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('sandbox STS', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const sts = (creds: Creds) => new STSClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: creds, maxAttempts: 1 });
  const assumeRootAs = (creds: Creds, input: Partial<ConstructorParameters<typeof AssumeRootCommand>[0]>) =>
    sts(creds).send(new AssumeRootCommand({ TargetPrincipal: SAMPLE.paymentsProd, TaskPolicyArn: { arn: taskArn('S3UnlockBucketPolicy') }, ...input }));

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('GetCallerIdentity names an IAM user, a role session and a root session', async () => {
    const me = await sts(sandbox.management).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${SAMPLE.management}:user/sandbox-admin`);
    assert.equal(me.Account, SAMPLE.management);
    assert.match(me.UserId ?? '', /^AIDA[A-Z0-9]{17}$/);

    const scan = await sts(await assumeScanRole(sandbox, SAMPLE.paymentsProd)).send(new GetCallerIdentityCommand({}));
    assert.equal(scan.Arn, `arn:aws:sts::${SAMPLE.paymentsProd}:assumed-role/OrganizationAccountAccessRole/scan`);
    assert.match(scan.UserId ?? '', /^AROA[A-Z0-9]{17}:scan$/);

    const root = await sts(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy')).send(new GetCallerIdentityCommand({}));
    assert.equal(root.Arn, `arn:aws:iam::${SAMPLE.paymentsProd}:root`);
    assert.equal(root.Account, SAMPLE.paymentsProd);
  });

  test('AssumeRoot issues AWS-shaped credentials valid for the asked duration and remembers the task', async () => {
    const before = Date.now();
    const r = await assumeRootAs(sandbox.management, { DurationSeconds: 300 });
    const c = r.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretAccessKey!.length, 40);
    assert.ok(c.SessionToken!.length > 100);
    const ms = c.Expiration!.getTime() - before;
    assert.ok(ms > 295_000 && ms <= 301_000, `expires in ${ms} ms`);
    const state = await control.state(SAMPLE.paymentsProd);
    const session = state.sessions.find((s) => s.accessKeyId === c.AccessKeyId);
    assert.equal(session?.type, 'root-session');
    assert.equal(session?.taskPolicyArn, taskArn('S3UnlockBucketPolicy'));
    assert.equal(session?.sourceArn, sandbox.management.arn);
    assert.ok(!JSON.stringify(state).includes(c.SecretAccessKey!), 'state never shows session secrets');
  });

  test('AssumeRoot defaults to 900 s and accepts an account principal ARN as target', async () => {
    const r = await assumeRootAs(sandbox.management, { TargetPrincipal: `arn:aws:iam::${SAMPLE.dataLakeProd}:root` });
    const seconds = (r.Credentials!.Expiration!.getTime() - Date.now()) / 1000;
    assert.ok(seconds > 890 && seconds <= 901, `${seconds} s`);
  });

  test('the IAM delegated administrator may call AssumeRoot', async () => {
    const r = await assumeRootAs(SAMPLE.delegatedAdminUser, { TargetPrincipal: SAMPLE.storefrontProd });
    assert.ok(r.Credentials?.AccessKeyId);
  });

  test('AssumeRoot refusals: root caller, member caller, management target, unknown or suspended target', async () => {
    const rootSession = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    await rejectsWith(assumeRootAs(rootSession, {}), 'AccessDenied');
    const err = await rejectsWith(assumeRootAs(SAMPLE.memberUser, {}), 'AccessDenied');
    assert.equal(err.$metadata?.httpStatusCode, 403);
    await rejectsWith(assumeRootAs(sandbox.management, { TargetPrincipal: SAMPLE.management }), 'AccessDenied');
    await rejectsWith(assumeRootAs(sandbox.management, { TargetPrincipal: '999999999999' }), 'AccessDenied');
    await rejectsWith(assumeRootAs(sandbox.management, { TargetPrincipal: SAMPLE.legacy }), 'AccessDenied');
  });

  test('AssumeRoot validation: only the five task policies, DurationSeconds 0–900', async () => {
    await rejectsWith(assumeRootAs(sandbox.management, { TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }), 'ValidationError');
    await rejectsWith(assumeRootAs(sandbox.management, { DurationSeconds: 901 }), 'ValidationError');
    for (const task of ['IAMAuditRootUserCredentials', 'IAMCreateRootUserPassword', 'IAMDeleteRootUserCredentials', 'S3UnlockBucketPolicy', 'SQSUnlockQueuePolicy'] as const) {
      const r = await assumeRootAs(sandbox.management, { TaskPolicyArn: { arn: taskArn(task) }, DurationSeconds: 0 });
      assert.ok(r.Credentials?.AccessKeyId, task);
    }
  });

  test('AssumeRoot fails without trusted access for IAM or without the RootSessions feature', async () => {
    await control.organization({ rootSessions: false });
    await rejectsWith(assumeRootAs(sandbox.management, {}), 'AccessDenied');
    await control.organization({ rootSessions: true, trustedAccessForIam: false });
    await rejectsWith(assumeRootAs(sandbox.management, {}), 'AccessDenied');
    await control.organization({ trustedAccessForIam: true });
    assert.ok((await assumeRootAs(sandbox.management, {})).Credentials);
  });

  test('the caller needs sts:AssumeRoot for that task (identity policy with the sts:TaskPolicyArn key)', async () => {
    const seed = sampleSeed();
    seed.management.user.policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'sts:AssumeRoot', Resource: '*', Condition: { StringNotEquals: { 'sts:TaskPolicyArn': taskArn('S3UnlockBucketPolicy') } } },
      ],
    };
    await control.seed(seed);
    assert.ok((await assumeRootAs(sandbox.management, {})).Credentials);
    await rejectsWith(assumeRootAs(sandbox.management, { TaskPolicyArn: { arn: taskArn('IAMDeleteRootUserCredentials') } }), 'AccessDenied');
  });

  test('AssumeRole into the scan role: trusted for the management account only; refusals', async () => {
    const scan = await assumeScanRole(sandbox, SAMPLE.storefrontDev);
    assert.match(scan.accessKeyId, /^ASIA/);
    const role = `arn:aws:iam::${SAMPLE.paymentsProd}:role/OrganizationAccountAccessRole`;
    await rejectsWith(sts(SAMPLE.memberUser).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'x1' })), 'AccessDenied');
    await rejectsWith(sts(sandbox.management).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${SAMPLE.paymentsProd}:role/Missing`, RoleSessionName: 'x1' })), 'AccessDenied');
    const root = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    await rejectsWith(sts(root).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'x1' })), 'AccessDenied');
    await rejectsWith(sts(sandbox.management).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'x' })), 'ValidationError');
    await rejectsWith(sts(sandbox.management).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'x1', DurationSeconds: 7200 })), 'ValidationError');
  });

  test('sessions end: an expired root session answers ExpiredToken', async () => {
    const root = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy', sandbox.management, 0);
    await rejectsWith(sts(root).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
    const scan = await assumeScanRole(sandbox, SAMPLE.paymentsProd);
    const c = clients(sandbox, scan);
    assert.ok(await c.sts.send(new GetCallerIdentityCommand({})));
    await control.clock(3601);
    await rejectsWith(c.sts.send(new GetCallerIdentityCommand({})), 'ExpiredToken');
  });

  test('AssumeRole checks SerialNumber/TokenCode against the seeded virtual MFA device', async () => {
    const role = `arn:aws:iam::${SAMPLE.management}:role/OrganizationAdmin`;
    const serial = `arn:aws:iam::${SAMPLE.management}:mfa/sandbox-admin`;
    const assume = (extra: { SerialNumber?: string; TokenCode?: string }) =>
      sts(sandbox.management).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'mfa', ...extra }));
    // The trust policy asks for MFA: without it the role is refused.
    await rejectsWith(assume({}), 'AccessDenied');
    const right = totpCode(MFA_SEED, Date.now());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const denied = await rejectsWith(assume({ SerialNumber: serial, TokenCode: wrong }), 'AccessDenied');
    assert.equal(denied.message.trim(), 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    await rejectsWith(assume({ SerialNumber: `arn:aws:iam::${SAMPLE.management}:mfa/someone-else`, TokenCode: right }), 'AccessDenied');
    await rejectsWith(assume({ SerialNumber: serial }), 'AccessDenied');
    const ok = await assume({ SerialNumber: serial, TokenCode: right });
    const me = await sts({ accessKeyId: ok.Credentials!.AccessKeyId!, secretAccessKey: ok.Credentials!.SecretAccessKey!, sessionToken: ok.Credentials!.SessionToken! })
      .send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${SAMPLE.management}:assumed-role/OrganizationAdmin/mfa`);
  });

  test('the Date header of AWS responses follows the configured offset; the real clock still signs', async () => {
    const at = async () => {
      const started = Date.now();
      const res = await fetch(`${sandbox.endpoint}/`, { method: 'POST' });
      return Date.parse(res.headers.get('date') ?? '') - started;
    };
    assert.ok(Math.abs(await at()) < 2000);
    await control.dateHeader(45);
    const skew = await at();
    assert.ok(skew > 43_000 && skew < 47_000, `${skew} ms`);
    assert.ok(await sts(sandbox.management).send(new GetCallerIdentityCommand({})));
    await control.reset();
    assert.ok(Math.abs(await at()) < 2000);
  });
});
