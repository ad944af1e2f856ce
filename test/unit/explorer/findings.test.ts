import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore, hasRootCredentials, type ResourceFinding } from '../../../src/core/findings';

const finding = (name: string, verdict: ResourceFinding['verdict']): ResourceFinding => ({
  kind: 's3', accountId: '222222222222', name, arn: `arn:aws:s3:::${name}`, region: 'us-east-1', verdict, reasons: [], checkedAt: 't',
});

test('setResource replaces the same resource and keeps others; persisted on flush', async () => {
  const saved = new Map<string, unknown>();
  const kv = { get: <T>(k: string) => saved.get(k) as T | undefined, update: async (k: string, v: unknown) => void saved.set(k, v) };
  const store = new FindingsStore(kv);
  const changes: string[] = [];
  store.onDidChange((id) => changes.push(id));
  store.setScan('222222222222', [finding('a', 'locked'), finding('b', 'suspected')], 't1');
  store.setResource(finding('a', 'fine'));
  assert.deepEqual(store.get('222222222222')?.resources.map((r) => `${r.name}:${r.verdict}`).sort(), ['a:fine', 'b:suspected']);
  assert.deepEqual(changes, ['222222222222', '222222222222']);
  await store.flush();
  const reloaded = new FindingsStore(kv);
  assert.equal(reloaded.get('222222222222')?.resources.length, 2);
  assert.equal(reloaded.get('222222222222')?.scannedAt, 't1');
});

test('root status is kept beside resources', () => {
  const store = new FindingsStore();
  store.setScan('222222222222', [finding('a', 'locked')], 't1');
  const status = { accountId: '222222222222', password: false, accessKeys: 0, signingCertificates: 0, mfaDevices: 1, auditedAt: 't2' };
  store.setRootStatus(status);
  assert.equal(store.get('222222222222')?.resources.length, 1);
  assert.equal(hasRootCredentials(status), true);
  assert.equal(hasRootCredentials({ ...status, mfaDevices: 0 }), false);
});
