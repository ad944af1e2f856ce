// The root-credential operations over real HTTP against the sandbox: a real AssumeRoot session per
// task, the task policy enforced server-side, and the result checked in the sandbox's own state.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { allowRootPasswordRecovery, deleteRootCredentials, listRootCredentials, type CallGate } from '../../../src/aws/iamRoot';
import { assumeRoot, type RootSession } from '../../../src/aws/rootSession';
import type { RootTaskName } from '../../../src/core/tasks';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle, type SeedOrg } from '../../sandbox/index';

const MGMT = '111111111111';
const DIRTY = '222222222222';
const CLEAN = '333333333333';
const VIRTUAL = `arn:aws:iam::${DIRTY}:mfa/root-account-mfa-device`;

const SEED: SeedOrg = {
  organization: { id: 'o-iamroottest1', featureSet: 'ALL' },
  management: {
    id: MGMT,
    name: 'Management',
    user: { userName: 'admin', accessKeyId: 'AKIAMGMTADMIN0000001', secretAccessKey: 'mgmtSecretKeyForTheIamRootUnitTests00001' },
  },
  accounts: [
    {
      id: DIRTY,
      name: 'Dirty',
      root: {
        password: { createDate: '2020-01-02T03:04:05Z' },
        accessKeys: [
          { accessKeyId: 'AKIAROOTKEY000000001', status: 'Active', createDate: '2021-01-01T00:00:00Z', lastUsed: { date: '2024-06-01T00:00:00Z', service: 's3', region: 'us-east-1' } },
          { accessKeyId: 'AKIAROOTKEY000000002', status: 'Inactive', createDate: '2021-02-01T00:00:00Z' },
        ],
        signingCertificates: [{ certificateId: 'CERTIFICATE0000000000000001', status: 'Active' }],
        mfaDevices: [
          { serialNumber: VIRTUAL, type: 'virtual' },
          { serialNumber: 'GAHT12345678', type: 'hardware' },
        ],
      },
    },
    { id: CLEAN, name: 'Clean' },
  ],
};

/** Records every call the operations make, in order, and runs it. */
function recordingGate(): CallGate & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    read: (op, _resource, call) => (calls.push(`read ${op}`), call()),
    write: (op, _resource, call) => (calls.push(`write ${op}`), call()),
  };
}

describe('root credential operations against the sandbox', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let aws: AwsContext;
  const sessions: RootSession[] = [];

  const session = async (accountId: string, task: RootTaskName) => {
    const s = await assumeRoot(aws, { accountId, task, durationSeconds: 300 });
    sessions.push(s);
    return s.clients().iam;
  };

  before(async () => {
    sandbox = await startSandbox({ seed: SEED });
    control = sandboxControl(sandbox.endpoint);
    const m = sandbox.management;
    aws = createAwsContext(
      { region: sandbox.region, endpoint: sandbox.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 },
      { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey },
    );
  });
  beforeEach(() => control.reset());
  after(async () => {
    for (const s of sessions) s.end();
    aws?.dispose();
    await sandbox?.close();
  });

  test('lists password, keys with last use, certificates, MFA devices and the summary', async () => {
    const gate = recordingGate();
    const listing = await listRootCredentials(await session(DIRTY, 'IAMAuditRootUserCredentials'), gate, DIRTY);
    assert.deepEqual(listing.password, { present: true, createdAt: '2020-01-02T03:04:05.000Z', passwordResetRequired: false });
    assert.deepEqual(listing.accessKeys.map((k) => [k.id, k.status, k.lastUsed?.date, k.lastUsed?.service]), [
      ['AKIAROOTKEY000000001', 'Active', '2024-06-01T00:00:00.000Z', 's3'],
      ['AKIAROOTKEY000000002', 'Inactive', undefined, 'N/A'],
    ]);
    assert.deepEqual(listing.signingCertificates.map((c) => [c.id, c.status]), [['CERTIFICATE0000000000000001', 'Active']]);
    assert.deepEqual(listing.mfaDevices.map((d) => [d.serialNumber, d.virtual]), [[VIRTUAL, true], ['GAHT12345678', false]]);
    assert.deepEqual(listing.summary, { AccountMFAEnabled: 1, AccountAccessKeysPresent: 1, AccountSigningCertificatesPresent: 1, AccountPasswordPresent: 1 });
    assert.deepEqual(gate.calls, [
      'read GetLoginProfile', 'read ListAccessKeys', 'read GetAccessKeyLastUsed', 'read GetAccessKeyLastUsed',
      'read ListSigningCertificates', 'read ListMFADevices', 'read GetAccountSummary',
    ]);
  });

  test('follows Marker pages to the end', async () => {
    const gate = recordingGate();
    const listing = await listRootCredentials(await session(DIRTY, 'IAMAuditRootUserCredentials'), gate, DIRTY, { pageSize: 1, summary: false, lastUsed: false });
    assert.equal(listing.accessKeys.length, 2);
    assert.equal(listing.mfaDevices.length, 2);
    assert.deepEqual(gate.calls.filter((c) => c === 'read ListAccessKeys' || c === 'read ListMFADevices').length, 4);
  });

  test('a root user without credentials lists as empty (NoSuchEntity is "no password")', async () => {
    const listing = await listRootCredentials(await session(CLEAN, 'IAMAuditRootUserCredentials'), recordingGate(), CLEAN);
    assert.deepEqual({ ...listing, summary: undefined }, { password: { present: false }, accessKeys: [], signingCertificates: [], mfaDevices: [], summary: undefined });
  });

  test('the delete task may not read the account summary: the sandbox enforces the task policy', async () => {
    const iam = await session(DIRTY, 'IAMDeleteRootUserCredentials');
    await assert.rejects(listRootCredentials(iam, recordingGate(), DIRTY), (err: Error) => err.name === 'AccessDenied');
    const listing = await listRootCredentials(iam, recordingGate(), DIRTY, { summary: false });
    assert.equal(listing.accessKeys.length, 2);
  });

  test('deletes exactly the listed credentials, re-lists and verifies none remain', async () => {
    const iam = await session(DIRTY, 'IAMDeleteRootUserCredentials');
    const plan = await listRootCredentials(iam, recordingGate(), DIRTY, { summary: false });
    const gate = recordingGate();
    const result = await deleteRootCredentials(iam, gate, DIRTY, plan);
    assert.equal(result.verified, true);
    assert.deepEqual(result.steps.map((s) => [s.kind, s.id, s.outcome]), [
      ['password', 'login profile', 'deleted'],
      ['accessKey', 'AKIAROOTKEY000000001', 'deleted'],
      ['accessKey', 'AKIAROOTKEY000000002', 'deleted'],
      ['signingCertificate', 'CERTIFICATE0000000000000001', 'deleted'],
      ['mfaDevice', VIRTUAL, 'deleted'],
      ['mfaDevice', 'GAHT12345678', 'deleted'],
    ]);
    assert.deepEqual(gate.calls.filter((c) => c.startsWith('write')), [
      'write DeleteLoginProfile', 'write DeleteAccessKey', 'write DeleteAccessKey', 'write DeleteSigningCertificate',
      'write DeactivateMFADevice', 'write DeleteVirtualMFADevice', 'write DeactivateMFADevice',
    ]);
    const account = await control.account(DIRTY);
    assert.deepEqual(
      { password: account.root.password, keys: account.root.accessKeys, certs: account.root.signingCertificates, mfa: account.root.mfaDevices },
      { password: null, keys: [], certs: [], mfa: [] },
    );
    assert.equal(account.virtualMfaDevices.some((d) => d.serialNumber === VIRTUAL), false, 'the virtual device itself is deleted');
  });

  test('an item already gone counts as such; the rest are still deleted', async () => {
    const iam = await session(DIRTY, 'IAMDeleteRootUserCredentials');
    const plan = await listRootCredentials(iam, recordingGate(), DIRTY, { summary: false });
    const stale = { ...plan, accessKeys: [...plan.accessKeys, { id: 'AKIAROOTKEY000000099', status: 'Active' }] };
    const result = await deleteRootCredentials(iam, recordingGate(), DIRTY, stale);
    assert.deepEqual(result.steps.find((s) => s.id === 'AKIAROOTKEY000000099')?.outcome, 'already-gone');
    assert.equal(result.verified, true);
  });

  test('credentials that were not in the plan are not deleted and fail the verification', async () => {
    const iam = await session(DIRTY, 'IAMDeleteRootUserCredentials');
    const plan = await listRootCredentials(iam, recordingGate(), DIRTY, { summary: false });
    const partial = { ...plan, accessKeys: plan.accessKeys.slice(0, 1) };
    const result = await deleteRootCredentials(iam, recordingGate(), DIRTY, partial);
    assert.equal(result.verified, false);
    assert.deepEqual(result.after.accessKeys.map((k) => k.id), ['AKIAROOTKEY000000002']);
    assert.deepEqual((await control.account(DIRTY)).root.accessKeys.map((k) => k.accessKeyId), ['AKIAROOTKEY000000002']);
  });

  test('password recovery creates a login profile without a password, once', async () => {
    const iam = await session(CLEAN, 'IAMCreateRootUserPassword');
    const gate = recordingGate();
    let confirmed = 0;
    const result = await allowRootPasswordRecovery(iam, gate, CLEAN, async () => void confirmed++);
    assert.equal(result.outcome, 'enabled');
    assert.equal(confirmed, 1);
    assert.deepEqual(gate.calls, ['read GetLoginProfile', 'write CreateLoginProfile', 'read GetLoginProfile']);
    const password = (await control.account(CLEAN)).root.password;
    assert.ok(password, 'a login profile exists');
    assert.equal(password.passwordSet, false);

    const again = recordingGate();
    assert.deepEqual(await allowRootPasswordRecovery(iam, again, CLEAN, async () => assert.fail('no confirmation when nothing will change')), { outcome: 'has-password' });
    assert.deepEqual(again.calls, ['read GetLoginProfile']);
  });

  test('password recovery leaves an account that has a password untouched', async () => {
    const iam = await session(DIRTY, 'IAMCreateRootUserPassword');
    const before = (await control.account(DIRTY)).root.password;
    assert.deepEqual(await allowRootPasswordRecovery(iam, recordingGate(), DIRTY), { outcome: 'has-password' });
    assert.deepEqual((await control.account(DIRTY)).root.password, before);
  });
});
