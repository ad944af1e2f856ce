// The sink away for a while, and the worker replaced mid-batch: delivery resumes where the sink
// left off, nothing is lost, and the persisted cursor keeps re-sends to at most one batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SinkController } from '../../../src/core/audit';
import { DELIVERY_DEFAULTS } from '../../../src/core/audit/delivery';
import { assertAllDelivered, FakeClock, newTrail, recordMany, scenario } from './fixtures';

test('sink down for 60 s then back (virtual clock, shipped backoff settings)', async (t) => {
  // The 60 s are simulated: backoff waits run on a fake clock the test advances one second at a
  // time, while the HTTPS receiver, the port closing and reopening and the log are all real.
  const clock = new FakeClock();
  const s = await scenario(t, { worker: { sleep: clock.sleep, clock: clock.now, backoff: DELIVERY_DEFAULTS.backoff } });
  await s.connect();
  await recordMany(s.trail, 100, 'before');
  await s.receiver.waitFor(() => s.receiver.events().length === 100);
  await s.receiver.down();
  const requestsBefore = s.receiver.stats.requests;
  for (let second = 0; second < 60; second++) {
    await recordMany(s.trail, 5, 'outage');
    await clock.advance(1000);
  }
  const during = s.statuses.at(-1)!;
  assert.ok(during.configured && during.state === 'failing', `status during the outage: ${JSON.stringify(during)}`);
  assert.equal(during.pending, 300);
  assert.match(during.lastError ?? '', /ECONNREFUSED/);
  // Exponential backoff (1 s doubling, capped at 60 s): a handful of attempts, not a hot loop.
  assert.ok(during.failures >= 4 && during.failures <= 10, `${during.failures} attempts in 60 s`);
  console.log(`[audit sink down 60 s] ${during.failures} attempts during the outage, ${during.pending} pending`);
  assert.equal(s.receiver.stats.requests, requestsBefore);
  await s.receiver.up();
  for (let i = 0; i < 30 && s.receiver.events().length < 400; i++) await clock.advance(5000);
  await assertAllDelivered('sink down 60 s', s, 400);
  const after = s.statuses.at(-1)!;
  assert.ok(after.configured && after.pending === 0 && after.failures === 0, `status after recovery: ${JSON.stringify(after)}`);
});

test('worker stopped mid-batch, a new one on the same log resumes from the persisted cursor', async (t) => {
  const s = await scenario(t, { requestTimeoutMs: 30_000 });
  await s.connect();
  await recordMany(s.trail, 300, 'first window');
  await s.receiver.waitFor(() => s.receiver.events().length >= 100);
  // Hold the next response so a batch is in flight, then stop the worker under it.
  s.receiver.setFaults({ stallRate: 1, stallMs: 60_000 });
  await s.receiver.waitFor(() => s.receiver.stalledNow > 0);
  await s.sink.dispose();
  const cursorFile = readdirSync(join(s.dir, 'delivery')).find((n) => n.startsWith('cursor-'))!;
  const cursor = JSON.parse(readFileSync(join(s.dir, 'delivery', cursorFile), 'utf8')) as { seq: number; sink: string };
  assert.ok(cursor.seq >= 100 && cursor.seq < 300, `cursor at ${cursor.seq}`);
  assert.equal(cursor.sink, new URL(s.receiver.url).origin);
  s.receiver.setFaults({});

  // As after a restart: new trail and controller objects over the same folder.
  const trail = newTrail(s.dir);
  const sink = new SinkController({ dir: s.dir, logHead: async () => (await trail.head()).seq, worker: { batchMaxEvents: 50, pollMs: 50 } });
  t.after(() => sink.dispose());
  trail.onDidRecord((e) => sink.notify(e.seq));
  await sink.configure({ url: s.receiver.url, caPem: s.receiver.caPem, secrets: () => s.secrets });
  await recordMany(trail, 200, 'second window');
  const duplicates = await assertAllDelivered('worker restart', { ...s, trail, sink }, 500);
  assert.ok(duplicates <= 50, `${duplicates} duplicates: the new worker did not start from the cursor`);
});

test('two windows on one log: both workers deliver, neither re-sends what the other got acknowledged', async (t) => {
  const s = await scenario(t);
  await s.connect();
  const other = newTrail(s.dir);
  const otherSink = new SinkController({ dir: s.dir, logHead: async () => (await other.head()).seq, worker: { batchMaxEvents: 50, pollMs: 50 } });
  t.after(() => otherSink.dispose());
  other.onDidRecord((e) => otherSink.notify(e.seq));
  await otherSink.configure({ url: s.receiver.url, caPem: s.receiver.caPem, secrets: () => s.secrets });
  for (let round = 0; round < 10; round++) {
    await Promise.all([recordMany(s.trail, 30, 'window A'), recordMany(other, 30, 'window B')]);
  }
  const duplicates = await assertAllDelivered('two windows', s, 600);
  await otherSink.port()!.waitForAck(600, 10_000);
  assert.equal(duplicates, 0, "a batch was sent by both windows");
});
