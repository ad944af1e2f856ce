// The identity shown beside the Organization view's title, and forgetting the scan findings when
// the identity changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore } from '../../../src/core/findings';
import { identityText } from '../../../src/views/identityDescription';

test('identity text: the account and the last part of the ARN', () => {
  assert.equal(identityText({ account: '210987654321', arn: 'arn:aws:iam::210987654321:user/sandbox-admin', userId: 'AIDA' }), '210987654321 · sandbox-admin');
  assert.equal(identityText({ account: '210987654321', arn: 'arn:aws:sts::210987654321:assumed-role/OrganizationAdmin/alice@example.com', userId: 'AROA' }), '210987654321 · alice@example.com');
});

test('findings are forgotten on clear, and listeners hear each account that had some', async () => {
  const saved: Record<string, unknown> = {};
  const store = new FindingsStore({ get: () => undefined, update: async (k, v) => { saved[k] = v; } });
  store.setScan('111122223333', [], '2026-01-01T00:00:00Z');
  store.markFixed('arn:aws:s3:::b');
  const heard: string[] = [];
  store.onDidChange((id) => heard.push(id));
  store.clear();
  assert.equal(store.get('111122223333'), undefined);
  assert.equal(store.isFixed('arn:aws:s3:::b'), false);
  assert.deepEqual(heard, ['111122223333']);
  await store.flush();
  assert.deepEqual(Object.values(saved), [{}]);
});
