// IAM against the sandbox with the real SDK: the organization features, and the root user's
// credentials read, deleted and re-created under the three IAM root tasks, with task scoping.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLoginProfileCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  DisableOrganizationsRootCredentialsManagementCommand,
  DisableOrganizationsRootSessionsCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListOrganizationsFeaturesCommand,
  ListSigningCertificatesCommand,
} from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, assumeScanRole, clients, rejectsWith, SAMPLE, sampleSeed, type Creds, type TaskName } from './helpers';

describe('sandbox IAM', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const iam = (creds: Creds) => new IAMClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: creds, maxAttempts: 1 });
  const rootIam = async (account: string, task: TaskName) => iam(await assumeRoot(sandbox, account, task));

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('organization features: list, disable and enable both, from the management account', async () => {
    const c = iam(sandbox.management);
    const listed = await c.send(new ListOrganizationsFeaturesCommand({}));
    assert.equal(listed.OrganizationId, 'o-acme7k2p9q4x');
    assert.deepEqual(listed.EnabledFeatures, ['RootCredentialsManagement', 'RootSessions']);
    assert.deepEqual((await c.send(new DisableOrganizationsRootSessionsCommand({}))).EnabledFeatures, ['RootCredentialsManagement']);
    assert.deepEqual((await c.send(new DisableOrganizationsRootCredentialsManagementCommand({}))).EnabledFeatures ?? [], []);
    assert.deepEqual((await c.send(new EnableOrganizationsRootSessionsCommand({}))).EnabledFeatures, ['RootSessions']);
    assert.deepEqual((await c.send(new EnableOrganizationsRootCredentialsManagementCommand({}))).EnabledFeatures, ['RootCredentialsManagement', 'RootSessions']);
  });

  test('organization features: who may call, and the organization prerequisites', async () => {
    const delegated = iam(SAMPLE.delegatedAdminUser);
    assert.ok((await delegated.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures);
    await rejectsWith(delegated.send(new EnableOrganizationsRootSessionsCommand({})), 'CallerIsNotManagementAccountException');
    await rejectsWith(iam(SAMPLE.memberUser).send(new ListOrganizationsFeaturesCommand({})), 'AccountNotManagementOrDelegatedAdministratorException');
    const root = await rootIam(SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials');
    await rejectsWith(root.send(new ListOrganizationsFeaturesCommand({})), 'AccessDenied');
    await control.organization({ trustedAccessForIam: false });
    await rejectsWith(iam(sandbox.management).send(new ListOrganizationsFeaturesCommand({})), 'ServiceAccessNotEnabledException');
    await control.organization({ trustedAccessForIam: true, featureSet: 'CONSOLIDATED_BILLING' });
    await rejectsWith(iam(sandbox.management).send(new EnableOrganizationsRootSessionsCommand({})), 'OrganizationNotInAllFeaturesModeException');
  });

  test('audit task: password, access keys with last use, certificates, MFA, summary, the root user', async () => {
    const c = await rootIam(SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials');
    const profile = await c.send(new GetLoginProfileCommand({}));
    assert.equal(profile.LoginProfile?.CreateDate?.toISOString(), '2020-06-01T09:00:00.000Z');
    const keys = await c.send(new ListAccessKeysCommand({}));
    assert.deepEqual(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status]), [['AKIAPAYMENTSROOTKEY1', 'Active']]);
    assert.equal(keys.IsTruncated, false);
    const used = await c.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAPAYMENTSROOTKEY1' }));
    assert.equal(used.AccessKeyLastUsed?.ServiceName, 's3');
    assert.equal(used.AccessKeyLastUsed?.LastUsedDate?.toISOString(), '2023-02-14T17:42:00.000Z');
    assert.deepEqual((await c.send(new ListSigningCertificatesCommand({}))).Certificates, []);
    assert.deepEqual((await c.send(new ListMFADevicesCommand({}))).MFADevices?.map((m) => m.SerialNumber), ['GAHT12345678']);
    const summary = (await c.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.equal(summary.AccountMFAEnabled, 1);
    assert.equal(summary.AccountAccessKeysPresent, 1);
    assert.equal(summary.AccountSigningCertificatesPresent, 0);
    assert.equal(summary.AccountPasswordPresent, 1);
    const user = await c.send(new GetUserCommand({}));
    assert.equal(user.User?.Arn, `arn:aws:iam::${SAMPLE.paymentsProd}:root`);
    assert.equal(user.User?.UserId, SAMPLE.paymentsProd);
  });

  test('audit task: no password is NoSuchEntity; a never-used key says N/A', async () => {
    const c = await rootIam(SAMPLE.dataLakeProd, 'IAMAuditRootUserCredentials');
    const err = await rejectsWith(c.send(new GetLoginProfileCommand({})), 'NoSuchEntityException');
    assert.equal(err.$metadata?.httpStatusCode, 404);
    const used = await c.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIADATALAKEROOTKEY1' }));
    assert.equal(used.AccessKeyLastUsed?.ServiceName, 'N/A');
    assert.equal(used.AccessKeyLastUsed?.LastUsedDate, undefined);
    await rejectsWith(c.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAPAYMENTSROOTKEY1' })), 'AccessDenied');
  });

  test('task scoping: only the task actions, only the root user, only this account', async () => {
    const audit = await rootIam(SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials');
    await rejectsWith(audit.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAPAYMENTSROOTKEY1' })), 'AccessDenied');
    await rejectsWith(audit.send(new ListAccessKeysCommand({ UserName: 'someone' })), 'AccessDenied');
    const deleteTask = await rootIam(SAMPLE.paymentsProd, 'IAMDeleteRootUserCredentials');
    await rejectsWith(deleteTask.send(new GetAccountSummaryCommand({})), 'AccessDenied');
    await rejectsWith(deleteTask.send(new CreateLoginProfileCommand({})), 'AccessDenied');
    const s3 = clients(sandbox, await assumeRoot(sandbox, SAMPLE.paymentsProd, 'IAMAuditRootUserCredentials')).s3;
    await rejectsWith(s3.send(new ListBucketsCommand({})), 'AccessDenied');
    const log = await control.requests({ outcome: 'error', principalType: 'root-session' });
    assert.ok(log.every((e) => e.taskPolicyArn?.startsWith('arn:aws:iam::aws:policy/root-task/')));
    assert.ok(log.some((e) => e.operation === 'DeleteAccessKey' && e.errorCode === 'AccessDenied' && e.httpStatus === 403));
  });

  test('delete task: every root credential goes, and MFA is deactivated before the virtual device is deleted', async () => {
    const c = await rootIam(SAMPLE.paymentsProd, 'IAMDeleteRootUserCredentials');
    await c.send(new DeleteLoginProfileCommand({}));
    await rejectsWith(c.send(new DeleteLoginProfileCommand({})), 'NoSuchEntityException');
    await c.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAPAYMENTSROOTKEY1' }));
    await rejectsWith(c.send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAPAYMENTSROOTKEY1' })), 'NoSuchEntityException');
    await c.send(new DeactivateMFADeviceCommand({ SerialNumber: 'GAHT12345678' }));
    assert.deepEqual((await c.send(new ListAccessKeysCommand({}))).AccessKeyMetadata, []);
    assert.deepEqual((await c.send(new ListMFADevicesCommand({}))).MFADevices, []);
    const root = (await control.account(SAMPLE.paymentsProd)).root;
    assert.deepEqual([root.password, root.accessKeys, root.mfaDevices], [null, [], []]);

    // Log Archive's root has a virtual MFA device; give it a signing certificate too.
    const seed = sampleSeed();
    const logs = seed.ous![0]!.accounts!.find((a) => a.id === SAMPLE.logArchive)!;
    logs.root = { ...logs.root, signingCertificates: [{ certificateId: 'LOGARCHIVEROOTCERTIFICATE01' }] };
    await control.seed(seed);
    const l = await rootIam(SAMPLE.logArchive, 'IAMDeleteRootUserCredentials');
    const serial = `arn:aws:iam::${SAMPLE.logArchive}:mfa/root-account-mfa-device`;
    assert.equal((await l.send(new ListSigningCertificatesCommand({}))).Certificates?.[0]?.CertificateBody?.startsWith('-----BEGIN CERTIFICATE-----'), true);
    await l.send(new DeleteSigningCertificateCommand({ CertificateId: 'LOGARCHIVEROOTCERTIFICATE01' }));
    await rejectsWith(l.send(new DeleteSigningCertificateCommand({ CertificateId: 'LOGARCHIVEROOTCERTIFICATE01' })), 'NoSuchEntityException');
    await rejectsWith(l.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'DeleteConflictException');
    await l.send(new DeactivateMFADeviceCommand({ SerialNumber: serial }));
    await l.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    await rejectsWith(l.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'NoSuchEntityException');
    const after = await control.account(SAMPLE.logArchive);
    assert.deepEqual([after.root.signingCertificates, after.root.mfaDevices, after.virtualMfaDevices], [[], [], []]);
  });

  test('password recovery: CreateLoginProfile without a password, once; with a password it is refused', async () => {
    const c = await rootIam(SAMPLE.storefrontProd, 'IAMCreateRootUserPassword');
    await rejectsWith(c.send(new GetLoginProfileCommand({})), 'NoSuchEntityException');
    await rejectsWith(c.send(new CreateLoginProfileCommand({ Password: 'Correct-Horse-9' })), 'InvalidInputException');
    const created = await c.send(new CreateLoginProfileCommand({}));
    assert.ok(created.LoginProfile?.CreateDate);
    assert.ok((await c.send(new GetLoginProfileCommand({}))).LoginProfile);
    await rejectsWith(c.send(new CreateLoginProfileCommand({})), 'EntityAlreadyExistsException');
    assert.deepEqual((await control.account(SAMPLE.storefrontProd)).root.password?.passwordSet, false);
  });

  test('Marker paging over a user with two keys; role sessions must name a user', async () => {
    const seed = sampleSeed();
    seed.management.users = [{ userName: 'two-keys', accessKeys: [{ accessKeyId: 'AKIATWOKEYSUSERKEY01' }, { accessKeyId: 'AKIATWOKEYSUSERKEY02' }] }];
    await control.seed(seed);
    const c = iam(sandbox.management);
    const first = await c.send(new ListAccessKeysCommand({ UserName: 'two-keys', MaxItems: 1 }));
    assert.equal(first.IsTruncated, true);
    const second = await c.send(new ListAccessKeysCommand({ UserName: 'two-keys', MaxItems: 1, Marker: first.Marker }));
    assert.deepEqual([first.AccessKeyMetadata?.[0]?.AccessKeyId, second.AccessKeyMetadata?.[0]?.AccessKeyId, second.IsTruncated], ['AKIATWOKEYSUSERKEY01', 'AKIATWOKEYSUSERKEY02', false]);
    await rejectsWith(c.send(new ListAccessKeysCommand({ UserName: 'nobody' })), 'NoSuchEntityException');
    assert.equal((await c.send(new GetUserCommand({}))).User?.UserName, 'sandbox-admin');
    const scan = iam(await assumeScanRole(sandbox, SAMPLE.paymentsProd));
    await rejectsWith(scan.send(new ListAccessKeysCommand({})), 'ValidationError');
  });
});
