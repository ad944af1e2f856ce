// The organization-feature operations over real HTTP against the sandbox: the management account,
// a delegated administrator and a plain member account, each with its own credentials; results
// checked in the sandbox's state, error codes turned into advice.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import type { CallGate } from '../../../src/aws/iamRoot';
import {
  describeOrganizationFacts,
  enableTrustedAccess,
  featureErrorAdvice,
  listOrganizationFeatures,
  readTrustedAccess,
  setOrganizationFeature,
} from '../../../src/aws/orgFeatures';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle, type SeedOrg } from '../../sandbox/index';

const MGMT = '111111111111';
const DELEGATED = '222222222222';
const MEMBER = '333333333333';
const userKey = (n: number) => ({ accessKeyId: `AKIAMEMBERUSER00000${n}`, secretAccessKey: `memberUserSecretKeyForOrgFeatureTests00${n}` });

const SEED: SeedOrg = {
  organization: { id: 'o-orgfeatures1', featureSet: 'ALL', delegatedAdministrator: DELEGATED },
  management: {
    id: MGMT,
    name: 'Management',
    user: { userName: 'admin', accessKeyId: 'AKIAMGMTADMIN0000002', secretAccessKey: 'mgmtSecretKeyForTheOrgFeatureUnitTests02' },
  },
  accounts: [
    { id: DELEGATED, name: 'Security', users: [{ userName: 'secadmin', accessKeys: [userKey(1)] }] },
    { id: MEMBER, name: 'Workload', users: [{ userName: 'dev', accessKeys: [userKey(2)] }] },
  ],
};

const gate: CallGate = { read: (_o, _r, call) => call(), write: (_o, _r, call) => call() };

describe('organization features against the sandbox', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  const contexts: AwsContext[] = [];
  let mgmt: AwsContext;

  const contextFor = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
    const c = createAwsContext({ region: sandbox.region, endpoint: sandbox.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, credentials);
    contexts.push(c);
    return c;
  };

  before(async () => {
    sandbox = await startSandbox({ seed: SEED });
    control = sandboxControl(sandbox.endpoint);
    mgmt = contextFor(sandbox.management);
  });
  beforeEach(() => control.reset());
  after(async () => {
    for (const c of contexts) c.dispose();
    await sandbox?.close();
  });

  test('reads the organization, both features and trusted access for IAM', async () => {
    assert.deepEqual(await describeOrganizationFacts(mgmt, gate), { id: 'o-orgfeatures1', managementAccountId: MGMT, featureSet: 'ALL' });
    assert.deepEqual(await listOrganizationFeatures(mgmt, gate), {
      organizationId: 'o-orgfeatures1',
      enabled: { RootCredentialsManagement: true, RootSessions: true },
    });
    assert.deepEqual(await readTrustedAccess(mgmt, gate), { status: 'enabled' });
  });

  test('enables and disables each feature, verified by reading them again', async () => {
    await control.organization({ rootCredentialsManagement: false, rootSessions: false });
    const on = await setOrganizationFeature(mgmt, gate, 'RootSessions', true);
    assert.deepEqual(on.enabled, { RootCredentialsManagement: false, RootSessions: true });
    await setOrganizationFeature(mgmt, gate, 'RootCredentialsManagement', true);
    assert.deepEqual((await control.state()).organization.features, { RootCredentialsManagement: true, RootSessions: true });
    const off = await setOrganizationFeature(mgmt, gate, 'RootSessions', false);
    assert.deepEqual(off.enabled, { RootCredentialsManagement: true, RootSessions: false });
    assert.deepEqual((await control.state()).organization.features, { RootCredentialsManagement: true, RootSessions: false });
  });

  test('trusted access off: features unreadable with advice, then enabled through Organizations', async () => {
    await control.organization({ trustedAccessForIam: false });
    assert.deepEqual(await readTrustedAccess(mgmt, gate), { status: 'disabled' });
    const err = await listOrganizationFeatures(mgmt, gate).then(() => assert.fail('listing should fail'), (e: unknown) => e);
    assert.match((err as Error).name, /^ServiceAccessNotEnabled(Exception)?$/);
    assert.match(featureErrorAdvice(err) ?? '', /enable-aws-service-access --service-principal iam\.amazonaws\.com/);
    assert.deepEqual(await enableTrustedAccess(mgmt, gate), { status: 'enabled' });
    assert.ok((await control.state()).organization.trustedServices.includes('iam.amazonaws.com'));
    assert.equal((await listOrganizationFeatures(mgmt, gate)).enabled.RootSessions, true);
  });

  test('consolidated billing only: the feature calls say to enable all features', async () => {
    await control.organization({ featureSet: 'CONSOLIDATED_BILLING' });
    assert.equal((await describeOrganizationFacts(mgmt, gate)).featureSet, 'CONSOLIDATED_BILLING');
    const err = await listOrganizationFeatures(mgmt, gate).then(() => assert.fail('listing should fail'), (e: unknown) => e);
    assert.match(featureErrorAdvice(err) ?? '', /consolidated billing only/);
  });

  test('the delegated administrator reads the features but may not enable them', async () => {
    const delegated = contextFor(userKey(1));
    assert.equal((await listOrganizationFeatures(delegated, gate)).enabled.RootSessions, true);
    await control.organization({ rootSessions: false });
    const err = await setOrganizationFeature(delegated, gate, 'RootSessions', true).then(() => assert.fail('enable should fail'), (e: unknown) => e);
    assert.match(featureErrorAdvice(err) ?? '', /Only the management account can change/);
    assert.equal((await control.state()).organization.features.RootSessions, false);
  });

  test('a plain member account is told it is neither management nor delegated administrator', async () => {
    const member = contextFor(userKey(2));
    const err = await listOrganizationFeatures(member, gate).then(() => assert.fail('listing should fail'), (e: unknown) => e);
    assert.match(featureErrorAdvice(err) ?? '', /neither the management account nor the IAM delegated administrator/);
  });
});
