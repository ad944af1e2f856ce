// The clock-skew check: the offset learnt from AWS's Date header, the threshold, the Check Setup
// line, and the status bar showing the code for AWS's time (with a warning) once it is crossed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockSkew, clockCheckItem, describeSkew } from '../../../src/core/clockSkew';
import { TotpDisplay, totpAt, type TokenMeta } from '../../../src/core/totp';
import { ManualClock, settle } from './fakes';

const SEED = new TextEncoder().encode('12345678901234567890');
const T = 1_111_111_111_000;
const token: TokenMeta = { id: 'a', label: 'mgmt-root', algorithm: 'sha1', digits: 6, period: 30 };
const shown = (ms: number) => { const c = totpAt(SEED, token, ms).code; return `${c.slice(0, 3)} ${c.slice(3)}`; };
/** A Date header as AWS writes it: whole seconds. */
const header = (ms: number) => Date.parse(new Date(ms).toUTCString());

test('the offset is AWS minus local, from whole-second Date headers, the latest response winning', () => {
  const skew = new ClockSkew();
  assert.equal(skew.offsetMs, undefined);
  assert.equal(skew.skewed, false);
  assert.equal(skew.correct(T), T, 'no measurement: local time');
  skew.record(header(T + 45_300), T);
  assert.ok(Math.abs(skew.offsetMs! - 45_300) <= 500, `${skew.offsetMs}`);
  assert.equal(skew.skewed, true);
  assert.ok(Math.abs(skew.correct(T) - (T + 45_300)) <= 500);
  skew.record(header(T + 9_000), T);
  assert.equal(skew.skewed, false, '9 s is within the threshold');
  assert.equal(skew.correct(T), T, 'within the threshold, local time is used');
  skew.record(header(T - 20_000), T);
  assert.equal(skew.skewed, true, 'a clock ahead of AWS is skewed too');
});

test('listeners hear threshold crossings and whole-second changes, not every response', () => {
  const skew = new ClockSkew();
  let heard = 0;
  skew.onDidChange(() => heard++);
  skew.record(header(T), T);
  skew.record(header(T + 200), T + 200);
  skew.record(header(T + 400), T + 400);
  assert.equal(heard, 1);
  skew.record(header(T + 30_000), T);
  assert.equal(heard, 2);
});

test('the Check Setup line: not checked, ok, or a warning naming the skew and what to do', () => {
  assert.equal(clockCheckItem(undefined).status, 'skip');
  assert.equal(clockCheckItem(3_000).status, 'ok');
  const warn = clockCheckItem(45_000);
  assert.equal(warn.status, 'warn');
  assert.match(warn.detail, /45 s behind AWS's/);
  assert.match(warn.action!, /NTP/);
  assert.equal(describeSkew(-125_000), '2 min 5 s ahead of');
});

test('a skewed clock: the status bar warns and shows the code for AWS time, then recovers', async () => {
  const local = new ManualClock(T);
  const skew = new ClockSkew();
  const display = new TotpDisplay({
    now: () => skew.correct(local.now()),
    clockWarning: () => (skew.skewed ? `clock ${describeSkew(skew.offsetMs!)} AWS's` : undefined),
    setTimeout: local.setTimeout,
    clearTimeout: local.clearTimeout,
    loadSecret: async () => SEED,
    reveal: async () => undefined,
    render: () => undefined,
  }, false);
  skew.onDidChange(() => display.refresh());
  display.setToken(token);
  await settle();
  assert.equal(display.text, `$(key) mgmt-root ${shown(T)} · 29s`);
  // AWS is 45 s ahead: the code is the one for T + 45 s (a different step), with a warning.
  skew.record(header(T + 45_000), T);
  const corrected = skew.correct(T);
  assert.notEqual(shown(corrected), shown(T));
  const left = 30 - Math.floor((corrected / 1000) % 30);
  assert.equal(display.text, `$(warning) mgmt-root ${shown(corrected)} · ${left}s`);
  skew.record(header(local.now()), local.now());
  assert.equal(display.text, `$(key) mgmt-root ${shown(T)} · 29s`);
});
