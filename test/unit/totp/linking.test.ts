import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTokenStale, tokensForAccount, type TokenMeta } from '../../../src/core/totp';

const base = { algorithm: 'sha1' as const, digits: 6, period: 30 };
const list: TokenMeta[] = [
  { id: '1', label: 'mgmt-root', accountId: '111122223333', ...base },
  { id: '2', label: 'lab', ...base },
  { id: '3', label: 'mgmt-root-2', accountId: '111122223333', ...base },
  { id: '4', label: 'prod', accountId: '444455556666', ...base },
];

test('tokensForAccount returns the linked tokens in list order', () => {
  assert.deepEqual(tokensForAccount(list, '111122223333').map((t) => t.id), ['1', '3']);
  assert.deepEqual(tokensForAccount(list, '999999999999'), []);
});

test('a linked token is stale only when the last audit found no root MFA device', () => {
  const [linked, unlinked] = list as [TokenMeta, TokenMeta];
  assert.equal(isTokenStale(linked, { mfaDevices: 0 }), true);
  assert.equal(isTokenStale(linked, { mfaDevices: 1 }), false);
  assert.equal(isTokenStale(linked), false, 'no audit yet: unknown, not stale');
  assert.equal(isTokenStale(unlinked, { mfaDevices: 0 }), false, 'an unlinked token has no account to audit');
});
