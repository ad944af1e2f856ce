import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from '../../src/core/rateLimit';

// A virtual clock: sleeping advances time, so rate assertions are exact and not timing-dependent.
function virtualClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => { t += ms; } , get t() { return t; } };
}

test('never exceeds the concurrency cap', async () => {
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 3 });
  let active = 0;
  let peak = 0;
  await Promise.all(Array.from({ length: 20 }, () => limiter.run(async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 2));
    active--;
  })));
  assert.equal(peak, 3);
  assert.equal(limiter.started, 20);
});

test('spaces calls at the configured rate after the burst', async () => {
  const clock = virtualClock();
  const limiter = createLimiter({ ratePerSecond: 10, concurrency: 50, burst: 1, now: clock.now, sleep: clock.sleep });
  const times: number[] = [];
  await Promise.all(Array.from({ length: 11 }, () => limiter.run(async () => { times.push(clock.t); })));
  // First call uses the single burst token; ten more at 100 ms each.
  assert.ok(Math.abs(times[times.length - 1] - 1000) < 1e-6, `last call at ${times[times.length - 1]}`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 100 - 1e-6);
});

test('a failing task releases its slot', async () => {
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 1 });
  await assert.rejects(limiter.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await limiter.run(async () => 42), 42);
});
