import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClipboardGuard, TokenStore, TotpService, totpAt, type RecordAudit } from '../../../src/core/totp';
import { ManualClock, MemoryClipboard, MemorySecrets, MemoryState, settle } from './fakes';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const SEED = new TextEncoder().encode('12345678901234567890');
const T = 1_111_111_111_000;

function setup(opts: { failAudit?: boolean } = {}) {
  const secrets = new MemorySecrets();
  const state = new MemoryState();
  const events: Parameters<RecordAudit>[0][] = [];
  const record: RecordAudit = async (input) => {
    if (opts.failAudit) throw new Error('audit log not writable');
    events.push(input);
  };
  const clock = new ManualClock(T);
  const store = new TokenStore(secrets, state);
  const service = new TotpService(store, record, clock.now);
  const clipboard = new MemoryClipboard();
  const errors: unknown[] = [];
  const guard = new ClipboardGuard(clipboard, clock, (e) => errors.push(e));
  return { secrets, state, events, clock, store, service, clipboard, guard, errors };
}

const codeAt = (ms: number) => totpAt(SEED, { algorithm: 'sha1', digits: 6, period: 30 }, ms).code;

test('add, copy, reveal, remove are audited with label and account, never the code or secret', async () => {
  const s = setup();
  const token = await s.service.add({ label: 'mgmt-root', secret: SECRET, accountId: '111122223333' });
  await s.service.reveal(token, 'click');
  const { secondsLeft } = await s.service.copy(token, s.guard, 20);
  assert.equal(s.clipboard.text, codeAt(T));
  assert.equal(secondsLeft, 30 - (1_111_111_111 % 30));
  await s.service.remove(token);
  assert.deepEqual(s.events.map((e) => [e.kind, e.accountId, e.detail?.label, e.detail?.tokenId]), [
    ['totp.added', '111122223333', 'mgmt-root', token.id],
    ['totp.revealed', '111122223333', 'mgmt-root', token.id],
    ['totp.copied', '111122223333', 'mgmt-root', token.id],
    ['totp.removed', '111122223333', 'mgmt-root', token.id],
  ]);
  assert.equal(s.events[1]?.detail?.via, 'click');
  const dumped = JSON.stringify(s.events);
  for (const needle of [SECRET, SECRET.toLowerCase(), codeAt(T)]) assert.ok(!dumped.includes(needle));
  assert.equal(s.store.list().length, 0);
});

test('an unlinked token records no account id', async () => {
  const s = setup();
  await s.service.add({ label: 'lab', secret: SECRET });
  assert.equal('accountId' in s.events[0]!, false);
});

test('fail closed: no audit, no copy; an unaudited add is undone', async () => {
  const ok = setup();
  const token = await ok.service.add({ label: 'a', secret: SECRET });
  const failing = new TotpService(ok.store, async () => { throw new Error('audit log not writable'); }, ok.clock.now);
  await assert.rejects(failing.copy(token, ok.guard, 20), /audit log not writable/);
  assert.equal(ok.clipboard.text, '');
  await assert.rejects(failing.reveal(token, 'click'), /audit log not writable/);
  await assert.rejects(failing.remove(token), /audit log not writable/);
  assert.equal(ok.store.list().length, 1, 'an unaudited remove does not happen');

  const s = setup({ failAudit: true });
  await assert.rejects(s.service.add({ label: 'b', secret: SECRET }), /The token was not added: its audit event could not be recorded \(audit log not writable\)/);
  assert.equal(s.store.list().length, 0);
  assert.equal(s.secrets.map.size, 0);
});

test('the clipboard is cleared after the delay only if it still holds the code', async () => {
  const s = setup();
  const token = await s.service.add({ label: 'a', secret: SECRET });
  await s.service.copy(token, s.guard, 20);
  const code = s.clipboard.text;
  s.clock.advance(19_999);
  await settle();
  assert.equal(s.clipboard.text, code);
  s.clock.advance(1);
  await settle();
  assert.equal(s.clipboard.text, '');

  await s.service.copy(token, s.guard, 20);
  s.clipboard.text = 'something the user copied since';
  s.clock.advance(20_000);
  await settle();
  assert.equal(s.clipboard.text, 'something the user copied since');
  assert.equal(s.clock.timers.size, 0);
  assert.deepEqual(s.errors, []);
});

test('disposing the guard cancels its timers and clears a code still on the clipboard', async () => {
  const s = setup();
  const token = await s.service.add({ label: 'a', secret: SECRET });
  await s.service.copy(token, s.guard, 60);
  assert.equal(s.clock.timers.size, 1);
  s.guard.dispose();
  await settle();
  assert.equal(s.clock.timers.size, 0);
  assert.equal(s.clipboard.text, '');
});
