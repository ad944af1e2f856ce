// The /_sandbox/ control API: reset, seeds, state without secrets, the request log, policy
// mutations, issued credentials, organization settings, the clock.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, assumeScanRole, clients, destroyAll, rejectsWith, SAMPLE } from './helpers';

describe('sandbox control API', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const raw = (method: string, path: string, body?: string) => fetch(`${sandbox.endpoint}/_sandbox/${path}`, { method, body });

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('reset restores the start-up organization and forgets sessions', async () => {
    const root = clients(sandbox, await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    await control.setBucketPolicy(SAMPLE.paymentsProd, 'acme-payments-prod-receipts', null);
    await rejectsWith(root.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })), 'NoSuchBucketPolicy');
    const counts = await control.reset();
    assert.deepEqual(counts, { accounts: 12, ous: 7, buckets: 16, queues: 9, managementAccountId: SAMPLE.management });
    await rejectsWith(root.sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    const fresh = clients(sandbox, await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy'));
    assert.match((await fresh.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' }))).Policy!, /DenyEveryone/);
    destroyAll(root);
    destroyAll(fresh);
  });

  test('seed: a generated organization replaces the sample until the next reset; bad seeds are refused', async () => {
    const counts = await control.seed({ generate: { accounts: 30, ous: 4, bucketsPerAccount: 2, queuesPerAccount: 1, seed: 9 } });
    assert.deepEqual([counts.accounts, counts.ous, counts.buckets, counts.queues], [31, 4, 60, 30]);
    assert.equal(sandbox.managementAccountId, counts.managementAccountId, 'the handle follows the loaded seed');
    const me = await clients(sandbox, sandbox.management).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, counts.managementAccountId);
    const bad = await raw('POST', 'seed', JSON.stringify({ management: { id: '1', name: 'x', user: {} } }));
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /management\.user/);
    assert.equal((await control.state()).accounts.length, 31, 'a refused seed leaves the current one');
  });

  test('state shows the organization, accounts, policies, root credentials and sessions — never a secret', async () => {
    const earlier = (await control.issuedCredentials()).credentials.length;
    await assumeRoot(sandbox, SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials');
    await assumeScanRole(sandbox, SAMPLE.dataLakeProd);
    const state = await control.state();
    assert.deepEqual(state.organization.features, { RootCredentialsManagement: true, RootSessions: true });
    const payments = state.accounts.find((a) => a.id === SAMPLE.paymentsProd)!;
    assert.equal(payments.root.accessKeys[0]?.accessKeyId, 'AKIAPAYMENTSROOTKEY1');
    assert.match(payments.buckets.find((b) => b.name === 'acme-payments-prod-receipts')!.policy!, /DenyEveryone/);
    assert.deepEqual(state.sessions.map((s) => s.type).sort(), ['role-session', 'root-session']);
    const mgmt = state.accounts.find((a) => a.id === SAMPLE.management)!;
    assert.deepEqual(mgmt.virtualMfaDevices, [
      { serialNumber: `arn:aws:iam::${SAMPLE.management}:mfa/break-glass-root`, assignedTo: 'root', hasTotpSeed: true },
      { serialNumber: `arn:aws:iam::${SAMPLE.management}:mfa/sandbox-admin`, assignedTo: 'user/sandbox-admin', hasTotpSeed: true },
    ]);

    const { credentials, secrets } = await control.issuedCredentials();
    assert.deepEqual(credentials.slice(earlier).map((c) => c.source).sort(), ['AssumeRole', 'AssumeRoot'], 'issued credentials are kept across resets');
    assert.ok(secrets.includes(sandbox.management.secretAccessKey));
    assert.ok(secrets.includes('JBSWY3DPEHPK3PXPKRUGS4TFEB3W64TM'), 'TOTP seeds count as secrets');
    for (const c of credentials) assert.ok(secrets.includes(c.sessionToken) && secrets.includes(c.secretAccessKey));
    const text = JSON.stringify(state) + JSON.stringify(await control.requests());
    for (const s of secrets) assert.ok(!text.includes(s), 'state and request log carry no secret');
  });

  test('the request log: who called what, on which resource, and how it ended', async () => {
    const scan = clients(sandbox, await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    await rejectsWith(scan.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' })), 'AccessDenied');
    const rootCreds = await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy');
    const root = clients(sandbox, rootCreds);
    await root.s3.send(new GetBucketPolicyCommand({ Bucket: 'acme-payments-prod-receipts' }));
    const log = await control.requests();
    assert.deepEqual(log.map((e) => `${e.service}:${e.operation}:${e.principalType}:${e.outcome}`), [
      'sts:AssumeRole:iam-user:success',
      's3:GetBucketPolicy:role-session:error',
      'sts:AssumeRoot:iam-user:success',
      's3:GetBucketPolicy:root-session:success',
    ]);
    const [assumeRole, denied, assumedRoot, read] = log;
    assert.equal(assumeRole!.target, `arn:aws:iam::${SAMPLE.paymentsProd}:role/OrganizationAccountAccessRole`);
    assert.deepEqual([denied!.errorCode, denied!.httpStatus, denied!.accountId], ['AccessDenied', 403, SAMPLE.paymentsProd]);
    assert.equal(denied!.principalArn, `arn:aws:sts::${SAMPLE.paymentsProd}:assumed-role/OrganizationAccountAccessRole/scan`);
    assert.deepEqual(assumedRoot!.detail, { taskPolicyArn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy', issuedAccessKeyId: rootCreds.accessKeyId });
    assert.deepEqual([read!.principalArn, read!.accessKeyId, read!.taskPolicyArn, read!.target], [
      `arn:aws:iam::${SAMPLE.paymentsProd}:root`,
      rootCreds.accessKeyId,
      'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
      'arn:aws:s3:::acme-payments-prod-receipts',
    ]);
    assert.deepEqual((await control.requests({ since: assumedRoot!.seq })).map((e) => e.seq), [read!.seq]);
    assert.equal((await control.requests({ service: 'sts' })).length, 2);
    await control.clearRequests();
    assert.deepEqual(await control.requests(), []);
    destroyAll(scan);
    destroyAll(root);
  });

  test('resource policy mutations: set, remove, validated, unknown resources', async () => {
    await control.setQueuePolicy(SAMPLE.paymentsDev, 'payments-dev-settlement', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: `arn:aws:sqs:us-east-1:${SAMPLE.paymentsDev}:payments-dev-settlement` }],
    });
    assert.match((await control.account(SAMPLE.paymentsDev)).queues[0]!.policy!, /"Deny"/);
    await control.setQueuePolicy(SAMPLE.paymentsDev, 'payments-dev-settlement', null);
    assert.equal((await control.account(SAMPLE.paymentsDev)).queues[0]!.policy, null);
    assert.equal((await raw('PUT', `buckets/${SAMPLE.paymentsDev}/acme-payments-dev-scratch/policy`, 'not json')).status, 400);
    assert.equal((await raw('PUT', `buckets/${SAMPLE.paymentsDev}/acme-payments-prod-receipts/policy`, '{}')).status, 404);
    assert.equal((await raw('PUT', `buckets/${SAMPLE.paymentsDev}/acme-payments-dev-scratch/policy`, '')).status, 200, 'an empty body removes');
  });

  test('organization settings, the clock and session expiry', async () => {
    await control.organization({ delegatedAdministrator: null, rootCredentialsManagement: false });
    const org = (await control.state()).organization;
    assert.deepEqual([org.delegatedAdministrators, org.features.RootCredentialsManagement], [[], false]);
    const scan = clients(sandbox, await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    await control.clock(1800);
    assert.ok(await scan.sts.send(new GetCallerIdentityCommand({})), 'a one-hour session still runs after 30 minutes');
    await control.clock(3700);
    await rejectsWith(scan.sts.send(new GetCallerIdentityCommand({})), 'ExpiredToken');
    destroyAll(scan);
  });

  test('unknown routes and malformed bodies', async () => {
    assert.equal((await raw('GET', 'nothing-here')).status, 404);
    assert.equal((await raw('POST', 'faults', '[1,2]')).status, 400);
    assert.equal((await raw('POST', 'clock', '{"offsetSeconds":"soon"}')).status, 400);
    const health = (await (await raw('GET', 'health')).json()) as { ok: boolean; endpoint: string; region: string };
    assert.deepEqual([health.ok, health.endpoint, health.region], [true, sandbox.endpoint, 'us-east-1']);
  });
});
