import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TotpDisplay, totpAt, type StatusView, type TokenMeta } from '../../../src/core/totp';
import { ManualClock, settle } from './fakes';

const SEED = new TextEncoder().encode('12345678901234567890');
// 1111111111 s is 1 s into its 30 s step (1111111111 % 30 = 1): 29 s left.
const T = 1_111_111_111_000;
const token: TokenMeta = { id: 'a', label: 'mgmt-root', accountId: '111122223333', algorithm: 'sha1', digits: 6, period: 30 };
const codeAt = (ms: number) => totpAt(SEED, token, ms).code;
const shown = (ms: number) => { const c = codeAt(ms); return `${c.slice(0, 3)} ${c.slice(3)}`; };

function setup(masked: boolean, opts: { failAudit?: boolean; missingSecret?: boolean } = {}) {
  const clock = new ManualClock(T);
  const reveals: string[] = [];
  const views: (StatusView | undefined)[] = [];
  const display = new TotpDisplay({
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    loadSecret: async () => {
      if (opts.missingSecret) throw new Error('secret missing');
      return SEED;
    },
    reveal: async (t, via) => {
      if (opts.failAudit) throw new Error('audit down');
      reveals.push(`${t.label}:${via}`);
    },
    render: (view) => views.push(view),
  }, masked);
  return { clock, reveals, views, display, last: () => views[views.length - 1] };
}

test('no token: hidden and no timer', () => {
  const s = setup(false);
  s.display.setToken(undefined);
  assert.equal(s.last(), undefined);
  assert.equal(s.display.text, undefined);
  assert.equal(s.clock.timers.size, 0);
});

test('unmasked: the code and seconds left, ticking on second boundaries, reveal recorded once', async () => {
  const s = setup(false);
  s.display.setToken(token);
  assert.equal(s.display.text, '$(key) mgmt-root …');
  await settle();
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T)} · 29s`);
  assert.equal(s.last()?.action, 'copy');
  assert.match(s.last()!.tooltip, /account 1111-2222-3333/);
  assert.equal(s.clock.timers.size, 1);
  s.clock.advance(1000);
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T)} · 28s`);
  s.clock.advance(28_000);
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T + 29_000)} · 30s`, 'a new step, a new code');
  assert.notEqual(codeAt(T), codeAt(T + 29_000));
  assert.equal(s.clock.timers.size, 1, 'one timer at a time');
  assert.deepEqual(s.reveals, ['mgmt-root:statusBar']);
  // A rename keeps the secret and the recorded reveal.
  s.display.setToken({ ...token, label: 'break-glass' });
  assert.match(s.display.text!, /^\$\(key\) break-glass \d{3} \d{3} · 30s$/);
  assert.deepEqual(s.reveals, ['mgmt-root:statusBar']);
  s.display.setToken(undefined);
  assert.equal(s.display.text, undefined);
  assert.equal(s.clock.timers.size, 0, 'hiding stops the timer');
});

test('masked: no code and no timer until clicked; the click reveals until the step ends', async () => {
  const s = setup(true);
  s.display.setToken(token);
  await settle();
  assert.equal(s.display.text, '$(key) mgmt-root ••• •••');
  assert.equal(s.last()?.action, 'reveal');
  assert.equal(s.clock.timers.size, 0);
  assert.deepEqual(s.reveals, []);
  await s.display.revealNow();
  assert.deepEqual(s.reveals, ['mgmt-root:click']);
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T)} · 29s`);
  s.clock.advance(28_999);
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T)} · 1s`);
  s.clock.advance(1);
  assert.equal(s.display.text, '$(key) mgmt-root ••• •••');
  assert.equal(s.clock.timers.size, 0);
  s.display.setMasked(false);
  await settle();
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T + 29_000)} · 30s`);
  assert.deepEqual(s.reveals, ['mgmt-root:click', 'mgmt-root:statusBar']);
  s.display.setMasked(true);
  assert.equal(s.clock.timers.size, 0);
  s.display.dispose();
});

test('an audit failure keeps the code hidden; a click retries', async () => {
  const opts = { failAudit: true };
  const s = setup(false, opts);
  s.display.setToken(token);
  await settle();
  assert.equal(s.display.text, '$(warning) mgmt-root');
  assert.match(s.last()!.tooltip, /reveal could not be recorded in the audit log \(audit down\)/);
  assert.equal(s.last()?.action, 'reveal');
  assert.equal(s.clock.timers.size, 0);
  opts.failAudit = false;
  await s.display.revealNow();
  await settle();
  assert.equal(s.display.text, `$(key) mgmt-root ${shown(T)} · 29s`);
  assert.deepEqual(s.reveals, ['mgmt-root:statusBar']);
  s.display.dispose();
  assert.equal(s.clock.timers.size, 0);
  const masked = setup(true, { failAudit: true });
  masked.display.setToken(token);
  await settle();
  await assert.rejects(masked.display.revealNow(), /audit down/);
  assert.equal(masked.display.text, '$(key) mgmt-root ••• •••');
});

test('a missing secret shows a warning and runs no timer', async () => {
  const s = setup(false, { missingSecret: true });
  s.display.setToken(token);
  await settle();
  assert.equal(s.display.text, '$(warning) mgmt-root');
  assert.match(s.last()!.tooltip, /secret missing/);
  assert.equal(s.clock.timers.size, 0);
  assert.deepEqual(s.reveals, []);
});

test('8-digit tokens mask and show eight digits', async () => {
  const s = setup(true);
  s.display.setToken({ ...token, digits: 8 });
  await settle();
  assert.equal(s.display.text, '$(key) mgmt-root •••• ••••');
});
