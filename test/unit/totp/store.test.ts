import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATE_KEY, TokenStore, TotpInputError, secretKey } from '../../../src/core/totp';
import { MemorySecrets, MemoryState } from './fakes';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

function setup() {
  const secrets = new MemorySecrets();
  const state = new MemoryState();
  let n = 0;
  const store = new TokenStore(secrets, state, () => `id${++n}`);
  return { secrets, state, store };
}

test('add keeps the secret in SecretStorage only and the list in global state', async () => {
  const { secrets, state, store } = setup();
  const token = await store.add({ label: 'mgmt-root', secret: SECRET.toLowerCase(), accountId: '111122223333' });
  assert.deepEqual(token, { id: 'id1', label: 'mgmt-root', algorithm: 'sha1', digits: 6, period: 30, accountId: '111122223333' });
  assert.equal(secrets.map.get(secretKey('id1')), SECRET);
  assert.deepEqual(state.get(STATE_KEY), { tokens: [token], selectedId: 'id1' });
  assert.ok(!state.dump().toUpperCase().includes(SECRET));
  assert.deepEqual(store.selected(), token);
  assert.deepEqual([...(await store.secretBytes('id1'))], [...new TextEncoder().encode('12345678901234567890')]);
});

test('every bad input stores nothing', async () => {
  const { secrets, state, store } = setup();
  await store.add({ label: 'mgmt-root', secret: SECRET });
  const before = { secrets: [...secrets.map], state: state.dump() };
  const bad = [
    { label: 'x', secret: 'NOT*BASE32' },
    { label: 'x', secret: 'JBSWY3DPEHPK2' }, // 64 bits: too short even with the 80-bit allowance
    { label: 'x', secret: SECRET, algorithm: 'md5' },
    { label: 'x', secret: `otpauth://totp/x?secret=${SECRET}&algorithm=SHA3` },
    { label: 'x', secret: `otpauth://hotp/x?secret=${SECRET}` },
    { label: 'x', secret: 'otpauth://totp/x' },
    { label: 'x', secret: `otpauth://totp/x?secret=${SECRET}&digits=4` },
    { label: 'MGMT-root', secret: SECRET },
    { label: 'x', secret: SECRET, accountId: 'abc' },
  ];
  for (const input of bad) {
    await assert.rejects(store.add(input), TotpInputError, JSON.stringify(input.label));
  }
  assert.deepEqual({ secrets: [...secrets.map], state: state.dump() }, before);
});

test('a failed list write removes the secret it just stored', async () => {
  const { secrets, state, store } = setup();
  state.failUpdate = true;
  await assert.rejects(store.add({ label: 'a', secret: SECRET }), /state write failed/);
  assert.equal(secrets.map.size, 0);
  secrets.failStore = true;
  state.failUpdate = false;
  await assert.rejects(store.add({ label: 'a', secret: SECRET }), /keyring unavailable/);
  assert.deepEqual(store.list(), []);
});

test('rename, select, remove; change events', async () => {
  const { secrets, store } = setup();
  let changes = 0;
  store.onDidChange(() => changes++);
  const a = await store.add({ label: 'a', secret: SECRET });
  const b = await store.add({ label: 'b', secret: SECRET, accountId: '111122223333' });
  assert.equal(store.selected()?.id, b.id);
  await store.select(a.id);
  assert.equal(store.selected()?.id, a.id);
  await assert.rejects(store.rename(a.id, 'B'), /already exists/);
  const renamed = await store.rename(a.id, 'alpha');
  assert.equal(renamed.label, 'alpha');
  assert.equal(store.find({ label: 'ALPHA' })?.id, a.id);
  assert.equal(secrets.map.get(secretKey(a.id)), SECRET, 'rename leaves the secret where it is');
  await store.remove(a.id);
  assert.equal(secrets.map.has(secretKey(a.id)), false);
  assert.deepEqual(store.list().map((t) => t.label), ['b']);
  assert.equal(store.selected()?.id, b.id, 'removing the chosen token falls back to the first');
  assert.equal(changes, 5);
  assert.throws(() => store.get({ label: 'alpha' }), /No TOTP token is labelled "alpha"/);
});

test('a missing secret is a clear error; unusable list entries are skipped', async () => {
  const { secrets, state, store } = setup();
  const a = await store.add({ label: 'a', secret: SECRET });
  secrets.map.clear();
  await assert.rejects(store.secretBytes(a.id), /missing from this machine's secret storage/);
  await state.update(STATE_KEY, { tokens: [a, { id: 'x', label: 'bad', algorithm: 'md5', digits: 6, period: 30 }, null, 'junk'], selectedId: 7 });
  assert.deepEqual(store.list(), [a]);
  assert.equal(store.selected()?.id, a.id);
});

test('an 80-bit seed (what many issuers hand out) is stored and read back as its 10 key bytes', async () => {
  const { secrets, store } = setup();
  const token = await store.add({ label: 'legacy-issuer', secret: 'JBSWY3DPEHPK3PXP' });
  assert.equal(secrets.map.get(secretKey(token.id)), 'JBSWY3DPEHPK3PXP');
  assert.equal((await store.secretBytes(token.id)).length, 10);
});
