import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLimiter } from '../../src/core/rateLimit';

// A virtual clock: a sleeper wakes (on the next turn of the event loop, after the work already
// due) at its own deadline, so rate assertions are exact and not timing-dependent.
function virtualClock() {
  let t = 0;
  const sleep = (ms: number) => {
    const wake = t + ms;
    return new Promise<void>((resolve) => setImmediate(() => { t = Math.max(t, wake); resolve(); }));
  };
  return { now: () => t, sleep, get t() { return t; } };
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

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });

test('keys are paced at their own quota: a slow key never slows another', async () => {
  const clock = virtualClock();
  const limiter = createLimiter({
    ratePerSecond: 0, concurrency: 50, now: clock.now, sleep: clock.sleep,
    quotaOf: (k) => (k.service === 'organizations' ? 2 : undefined),
  });
  const org = { service: 'organizations', account: 'management', api: 'ListRoots' };
  const s3 = { service: 's3', account: '111111111111' };
  const times: Record<string, number[]> = { org: [], s3: [] };
  await Promise.all([
    ...Array.from({ length: 5 }, () => limiter.run(async () => { times.org.push(clock.t); }, org)),
    ...Array.from({ length: 5 }, () => limiter.run(async () => { times.s3.push(clock.t); }, s3)),
  ]);
  // Two per second for the Organizations key: the fifth call two seconds after the first.
  assert.ok(Math.abs(times.org[4] - times.org[0] - 2000) < 1e-6, `org calls at ${times.org}`);
  assert.ok(times.s3.every((t) => t <= times.org[1]), `s3 calls at ${times.s3} waited for the Organizations pace`);
});

test('a throttling answer halves that key only, is retried, and success brings the rate back', async () => {
  const clock = virtualClock();
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 8, now: clock.now, sleep: clock.sleep, random: () => 1, quotaOf: () => 100 });
  const a = { service: 'iam', account: '111111111111' };
  const b = { service: 'iam', account: '222222222222' };
  let answered = 0;
  const result = await limiter.run(async () => {
    if (answered++ < 2) throw throttle();
    return 'ok';
  }, a);
  assert.equal(result, 'ok');
  assert.equal(limiter.stats.throttled, 2);
  assert.equal(limiter.stats.retried, 2);
  // Two halvings and one success: 100 → 50 → 25, +2.5.
  assert.equal(limiter.rateOf(a), 27.5);
  assert.equal(limiter.rateOf(b), 100);
  for (let i = 0; i < 40; i++) await limiter.run(async () => undefined, a);
  assert.equal(limiter.rateOf(a), 100, 'recovers to the quota, never past it');
});

test('gives up after the last attempt with the throttling error itself', async () => {
  const clock = virtualClock();
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 2, now: clock.now, sleep: clock.sleep, maxThrottleAttempts: 3, quotaOf: () => 10 });
  let attempts = 0;
  await assert.rejects(limiter.run(async () => { attempts++; throw throttle(); }, { service: 'organizations', account: 'm', api: 'ListAccounts' }), { name: 'TooManyRequestsException' });
  assert.equal(attempts, 3);
  // Errors other than throttling are not retried here (the SDK retries 5xx itself).
  attempts = 0;
  await assert.rejects(limiter.run(async () => { attempts++; throw new Error('AccessDenied'); }, { service: 's3', account: 'x' }), /AccessDenied/);
  assert.equal(attempts, 1);
});

test('the in-flight cap holds over every key; the ceiling per account spans its services', async () => {
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 4 });
  let active = 0;
  let peak = 0;
  await Promise.all(Array.from({ length: 40 }, (_, i) => limiter.run(async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 2));
    active--;
  }, { service: 's3', account: String(i).padStart(12, '0') })));
  assert.equal(peak, 4);

  const clock = virtualClock();
  const ceiling = createLimiter({ ratePerSecond: 0, concurrency: 50, now: clock.now, sleep: clock.sleep, perAccountPerSecond: 5, quotaOf: () => 1000 });
  const times: number[] = [];
  await Promise.all(Array.from({ length: 6 }, (_, i) => ceiling.run(async () => { times.push(clock.t); }, { service: i % 2 ? 's3' : 'sqs', account: '111111111111' })));
  assert.ok(Math.abs(Math.max(...times) - 1000) < 1e-6, `six calls at 5 per second end one second in (${times})`);
});

test('a free slot goes to the account that started calling first, management calls before all, FIFO among equals', async () => {
  const limiter = createLimiter({ ratePerSecond: 0, concurrency: 1 });
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const key = (account: string) => ({ service: 's3', account });
  // Account A calls first and holds the only slot; then B, A, management, B, A queue up.
  const first = limiter.run(() => held, key('111111111111'));
  const queued = [
    ['B1', '222222222222'], ['A2', '111111111111'], ['M', 'management'], ['B2', '222222222222'], ['A3', '111111111111'],
  ].map(([name, account]) => limiter.run(async () => void order.push(name!), { service: account === 'management' ? 'sts' : 's3', account: account! }));
  release();
  await Promise.all([first, ...queued]);
  assert.deepEqual(order, ['M', 'A2', 'A3', 'B1', 'B2']);
});
