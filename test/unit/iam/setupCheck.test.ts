import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviceForError, evaluateSetup, summarize, type SetupFacts } from '../../../src/core/setupCheck';

const MGMT = '111111111111';
const ready: SetupFacts = {
  region: 'eu-west-1',
  caller: { ok: true, value: { arn: `arn:aws:iam::${MGMT}:user/admin`, account: MGMT } },
  organization: { ok: true, value: { managementAccountId: MGMT, featureSet: 'ALL' } },
  features: { ok: true, value: { rootCredentialsManagement: true, rootSessions: true } },
  trustedAccess: { ok: true, value: { status: 'enabled' } },
  auditSink: { configured: true, sink: 'https://siem.example', state: 'idle', pending: 0, failures: 0, lastDeliveredAt: new Date('2025-01-01T00:00:00Z'), required: false },
};
const byId = (f: SetupFacts) => Object.fromEntries(evaluateSetup(f).map((i) => [i.id, i]));

test('a complete setup is all ok and ready', () => {
  const items = evaluateSetup(ready);
  assert.deepEqual(items.map((i) => i.id), [
    'credentials', 'caller', 'allFeatures', 'trustedAccess', 'rootCredentialsManagement', 'rootSessions', 'regionalEndpoint', 'auditSink',
  ]);
  assert.ok(items.every((i) => i.status === 'ok' && !i.action), JSON.stringify(items));
  assert.deepEqual(summarize(items), { ok: 8, warn: 0, fail: 0, skip: 0, ready: true });
});

test('no credentials: fail with what to do, everything depending on them skipped', () => {
  const items = byId({
    region: 'us-east-1',
    caller: { ok: false, code: 'CredentialsProviderError', error: 'Could not load credentials from any providers' },
    auditSink: { configured: false },
  });
  assert.equal(items.credentials.status, 'fail');
  assert.match(items.credentials.action!, /rootTasks\.profile/);
  for (const id of ['caller', 'allFeatures', 'trustedAccess', 'rootCredentialsManagement', 'rootSessions']) {
    assert.equal(items[id].status, 'skip', id);
  }
  assert.equal(items.regionalEndpoint.status, 'ok');
  assert.equal(items.auditSink.status, 'warn');
  assert.equal(summarize(Object.values(items)).ready, false);
});

test('features off and trusted access off fail with the enable actions', () => {
  const items = byId({
    ...ready,
    features: { ok: true, value: { rootCredentialsManagement: false, rootSessions: true } },
    trustedAccess: { ok: true, value: { status: 'disabled' } },
  });
  assert.equal(items.rootCredentialsManagement.status, 'fail');
  assert.match(items.rootCredentialsManagement.action!, /Enable Centralized Root Access Features/);
  assert.equal(items.rootSessions.status, 'ok');
  assert.equal(items.trustedAccess.status, 'fail');
  assert.match(items.trustedAccess.action!, /enable-aws-service-access --service-principal iam\.amazonaws\.com/);
});

test('the feature error codes map to advice with or without the Exception suffix', () => {
  for (const code of ['ServiceAccessNotEnabled', 'ServiceAccessNotEnabledException']) {
    const items = byId({ ...ready, features: { ok: false, code, error: `${code}: trusted access off` } });
    assert.equal(items.rootSessions.status, 'fail');
    assert.match(items.rootSessions.action!, /Trusted access for IAM/);
  }
  assert.equal(adviceForError('toString'), undefined);
  assert.equal(adviceForError('Throttling'), undefined);
});

test('delegated admin is a warning (cannot enable features); neither is a failure', () => {
  const other = { ok: true as const, value: { arn: 'arn:aws:iam::999999999999:role/Admin', account: '999999999999' } };
  const delegated = byId({ ...ready, caller: other });
  assert.equal(delegated.caller.status, 'warn');
  assert.match(delegated.caller.detail, /delegated administrator/);
  const neither = byId({
    ...ready,
    caller: other,
    features: { ok: false, code: 'AccountNotManagementOrDelegatedAdministratorException', error: 'not allowed' },
  });
  assert.equal(neither.caller.status, 'fail');
  assert.match(neither.caller.action!, /delegated administrator for IAM/);
});

test('consolidated-billing org and an unreadable trusted access', () => {
  const items = byId({
    ...ready,
    organization: { ok: true, value: { managementAccountId: MGMT, featureSet: 'CONSOLIDATED_BILLING' } },
    features: { ok: true, value: { rootCredentialsManagement: false, rootSessions: false } },
    trustedAccess: { ok: true, value: { status: 'unknown', reason: 'not implemented here' } },
  });
  assert.equal(items.allFeatures.status, 'fail');
  assert.equal(items.trustedAccess.status, 'warn');
  assert.match(items.trustedAccess.detail, /not implemented here/);
  // Enabled features prove trusted access even when it cannot be read directly.
  const implied = byId({ ...ready, trustedAccess: { ok: true, value: { status: 'unknown', reason: 'AccessDenied' } } });
  assert.equal(implied.trustedAccess.status, 'ok');
});

test('region and audit sink', () => {
  assert.equal(byId({ ...ready, region: 'aws-global' }).regionalEndpoint.status, 'fail');
  assert.equal(byId({ ...ready, region: '' }).regionalEndpoint.status, 'fail');
  assert.equal(byId({ ...ready, region: 'us-gov-west-1' }).regionalEndpoint.status, 'ok');
  assert.equal(byId({ ...ready, region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' }).regionalEndpoint.status, 'ok');
  const down = { configured: true as const, sink: 'https://siem.example', state: 'failing', pending: 3, failures: 2, lastError: 'ECONNREFUSED', required: false };
  const warn = byId({ ...ready, auditSink: down }).auditSink;
  assert.equal(warn.status, 'warn');
  assert.match(warn.detail, /ECONNREFUSED.*2 failed attempts.*3 events wait/);
  assert.equal(byId({ ...ready, auditSink: { ...down, required: true } }).auditSink.status, 'fail');
  const fresh = byId({ ...ready, auditSink: { ...down, state: 'starting', failures: 0, lastError: undefined } }).auditSink;
  assert.equal(fresh.status, 'warn');
  assert.match(fresh.detail, /not acknowledged anything yet/);
  assert.equal(byId({ ...ready, auditSink: { ...down, state: 'idle', pending: 0, failures: 0 } }).auditSink.status, 'ok');
});

test('a configured sink whose status is not available is "not checked", never assumed fine', () => {
  const item = byId({ ...ready, auditSink: undefined }).auditSink;
  assert.equal(item.status, 'skip');
  assert.match(item.detail, /delivery status is not available/);
});
