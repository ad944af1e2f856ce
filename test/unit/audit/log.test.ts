import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readdirSync, readFileSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AuditWriteError, GENESIS_HASH, type AuditEvent } from '../../../src/core/audit';
import { eventHash } from '../../../src/core/audit/chain';
import type { AuditFs } from '../../../src/core/audit/fs';
import { ACTOR, newTrail, tempDir } from './fixtures';

const segmentFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();
const lines = (dir: string) => segmentFiles(dir).flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean));

/** The real fs with counters, and switches that make writes or fsyncs fail like a full disk. */
function instrumentedFs() {
  const state = { syncs: 0, failWrite: false, failSync: false };
  const fs: AuditFs = {
    ...fsp,
    open: async (path, flags) => {
      const handle = await fsp.open(path, flags);
      return {
        write: async (buffer, offset, length) => {
          if (state.failWrite) {
            // A short write first, as a filling disk does, then the error.
            await handle.write(buffer, offset, Math.min(length, 10));
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          }
          return handle.write(buffer, offset, length);
        },
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        sync: async () => {
          state.syncs++;
          if (state.failSync) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
          return handle.sync();
        },
        close: () => handle.close(),
      };
    },
  };
  return { fs, state };
}

test('record appends fsynced, hash-chained JSON lines with seq, time, actor and unique ids', async (t) => {
  const dir = tempDir(t);
  const { fs, state } = instrumentedFs();
  const times = [new Date('2026-01-02T03:04:05.000Z')];
  const trail = newTrail(dir, { fs, clock: () => times[0]! });
  const seen: AuditEvent[] = [];
  trail.onDidRecord((e) => seen.push(e));
  const a = await trail.record({ kind: 'intent', task: 'S3UnlockBucketPolicy', accountId: '444455556666', justification: 'prod down', ticket: 'OPS-1' });
  const b = await trail.record({ kind: 'assumeRoot.granted', expiresAt: '2026-01-02T03:19:05Z' });
  assert.equal(a.seq, 1);
  assert.equal(a.prevHash, GENESIS_HASH);
  assert.equal(b.seq, 2);
  assert.equal(b.prevHash, a.hash);
  assert.equal(a.actor, ACTOR);
  assert.equal(a.time, '2026-01-02T03:04:05.000Z');
  assert.notEqual(a.id, b.id);
  assert.equal(eventHash(a), a.hash);
  assert.ok(state.syncs >= 2, `expected an fsync per write, saw ${state.syncs}`);
  assert.deepEqual(lines(dir).map((l) => JSON.parse(l)), [a, b]);
  assert.deepEqual(seen, [a, b]);
});

test('concurrent records are group-committed in call order', async (t) => {
  const dir = tempDir(t);
  const { fs, state } = instrumentedFs();
  const trail = newTrail(dir, { fs });
  const events = await Promise.all(Array.from({ length: 300 }, (_, i) => trail.record({ kind: 'aws.read', detail: { i } })));
  assert.deepEqual(events.map((e) => e.detail!.i), Array.from({ length: 300 }, (_, i) => i));
  assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 300 }, (_, i) => i + 1));
  assert.ok(state.syncs < 100, `300 events took ${state.syncs} fsyncs: not group-committed`);
  assert.deepEqual(await trail.verify(), { ok: true, events: 300, problem: undefined });
});

test('rotation by size keeps one chain across files, and a new trail continues it', async (t) => {
  const dir = tempDir(t);
  const trail = newTrail(dir, { maxFileBytes: 4096 });
  for (let i = 0; i < 60; i++) await trail.record({ kind: 'aws.write', operation: 'PutBucketPolicy', resource: `arn:aws:s3:::b${i}`, outcome: 'ok' });
  const files = segmentFiles(dir);
  assert.ok(files.length >= 4, `expected rotation, got ${files.length} file(s)`);
  for (const f of files) assert.ok(statSync(join(dir, f)).size <= 4096, `${f} is over the limit`);
  assert.equal(files[0], 'audit-000000000001.jsonl');
  const reopened = newTrail(dir, { maxFileBytes: 4096 });
  const next = await reopened.record({ kind: 'session.ended' });
  assert.equal(next.seq, 61);
  assert.equal(next.prevHash, JSON.parse(lines(dir).at(-2)!).hash);
  assert.deepEqual(await reopened.verify(), { ok: true, events: 61, problem: undefined });
  const exported = join(tempDir(t), 'export.jsonl');
  assert.deepEqual(await reopened.exportTo(exported), { events: 61 });
  assert.equal(readFileSync(exported, 'utf8'), lines(dir).join('\n') + '\n');
});

async function tenEvents(t: Parameters<typeof tempDir>[0], maxFileBytes?: number) {
  const dir = tempDir(t);
  const trail = newTrail(dir, { maxFileBytes });
  for (let i = 0; i < 10; i++) await trail.record({ kind: 'aws.read', operation: 'ListBuckets', detail: { i } });
  return { dir, trail, file: join(dir, segmentFiles(dir)[0]!) };
}

const rewrite = (file: string, edit: (lines: string[]) => string[]) =>
  writeFileSync(file, edit(readFileSync(file, 'utf8').split('\n').filter(Boolean)).join('\n') + '\n');

test('verify detects an edited line', async (t) => {
  const { dir, file } = await tenEvents(t);
  rewrite(file, (ls) => ls.map((l, i) => (i === 4 ? l.replace('ListBuckets', 'DeleteBucket') : l)));
  const result = await newTrail(dir).verify();
  assert.equal(result.ok, false);
  assert.match(result.problem!, /line 5: seq 5: the content does not match its hash \(edited\)/);
});

test('verify detects a deleted line', async (t) => {
  const { dir, file } = await tenEvents(t);
  rewrite(file, (ls) => ls.filter((_, i) => i !== 3));
  const result = await newTrail(dir).verify();
  assert.equal(result.ok, false);
  assert.match(result.problem!, /seq 5 follows seq 3: 1 event\(s\) missing \(deleted\)/);
});

test('verify detects reordered lines', async (t) => {
  const { dir, file } = await tenEvents(t);
  rewrite(file, (ls) => [...ls.slice(0, 6), ls[7]!, ls[6]!, ...ls.slice(8)]);
  const result = await newTrail(dir).verify();
  assert.equal(result.ok, false);
  assert.match(result.problem!, /seq 8 follows seq 6/);
});

test('verify detects a removed segment and lines removed from the end behind this window', async (t) => {
  const { dir, trail } = await tenEvents(t, 4096);
  for (let i = 0; i < 30; i++) await trail.record({ kind: 'aws.read', detail: { i } });
  const files = segmentFiles(dir);
  assert.ok(files.length >= 3);
  const middle = join(dir, files[1]!);
  const saved = readFileSync(middle);
  await fsp.unlink(middle);
  assert.match((await trail.verify()).problem!, /missing \(deleted\)/);
  writeFileSync(middle, saved);
  assert.equal((await trail.verify()).ok, true);
  // A shorter chain is still a valid chain: the last write of this window is the anchor.
  rewrite(join(dir, files.at(-1)!), (ls) => ls.slice(0, -2));
  assert.match((await trail.verify()).problem!, /the log ends at seq 38 but this window \(its last write\) recorded seq 40/);
});

test('a damaged tail refuses the next write instead of extending a broken chain', async (t) => {
  const { dir, file } = await tenEvents(t);
  rewrite(file, (ls) => ls.map((l, i) => (i === 9 ? l.replace('ListBuckets', 'ListBucketz') : l)));
  await assert.rejects(newTrail(dir).recordIntent({ kind: 'intent', task: 'S3UnlockBucketPolicy' }), (err: Error) => {
    assert.ok(err instanceof AuditWriteError);
    assert.match(err.message, /damaged: audit-000000000001.jsonl line 10: seq 10: the content does not match its hash/);
    return true;
  });
  const torn = await tenEvents(t);
  appendFileSync(torn.file, '{"id":"half a line');
  await assert.rejects(newTrail(torn.dir).record({ kind: 'aws.read' }), /ends with an incomplete line/);
});

test('a failing write or fsync rejects with AuditWriteError, leaves the log as it was, and recovers', async (t) => {
  const dir = tempDir(t);
  const { fs, state } = instrumentedFs();
  const trail = newTrail(dir, { fs });
  await trail.record({ kind: 'scan.started' });
  const before = readFileSync(join(dir, segmentFiles(dir)[0]!), 'utf8');
  state.failWrite = true;
  await assert.rejects(trail.recordIntent({ kind: 'intent', task: 'S3UnlockBucketPolicy', accountId: '444455556666' }), (err: Error) => {
    assert.ok(err instanceof AuditWriteError);
    assert.match(err.message, /could not be written \(ENOSPC\).*Root tasks are refused/);
    return true;
  });
  state.failWrite = false;
  state.failSync = true;
  await assert.rejects(trail.record({ kind: 'scan.finished' }), /could not be written \(EIO\)/);
  assert.equal(readFileSync(join(dir, segmentFiles(dir)[0]!), 'utf8'), before, 'the failed batches were not rolled back');
  state.failSync = false;
  const next = await trail.record({ kind: 'scan.finished' });
  assert.equal(next.seq, 2);
  assert.deepEqual(await trail.verify(), { ok: true, events: 2, problem: undefined });
});

test('a log folder under a regular file makes recordIntent throw AuditWriteError', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'plain-file'), 'not a folder');
  const trail = newTrail(join(dir, 'plain-file', 'audit'));
  await assert.rejects(trail.recordIntent({ kind: 'intent', task: 'SQSUnlockQueuePolicy' }), (err: Error) => {
    assert.ok(err instanceof AuditWriteError, `${err.name}`);
    assert.match(err.message, /ENOTDIR/);
    return true;
  });
});

test('two windows appending to one log keep a single chain (cross-process lock)', async (t) => {
  const dir = tempDir(t);
  const a = newTrail(dir, { maxFileBytes: 8192 });
  const b = newTrail(dir, { maxFileBytes: 8192 });
  const writes: Array<Promise<AuditEvent>> = [];
  for (let i = 0; i < 200; i++) writes.push((i % 2 ? a : b).record({ kind: 'aws.read', detail: { i } }));
  const events = await Promise.all(writes);
  assert.deepEqual(new Set(events.map((e) => e.seq)).size, 200);
  assert.deepEqual(await a.verify(), { ok: true, events: 200, problem: undefined });
  assert.deepEqual(await b.verify(), { ok: true, events: 200, problem: undefined });
});

test('a lock left by a process that is gone is broken', async (t) => {
  const dir = tempDir(t);
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(join(dir, 'audit.lock'), `${gone} stale`);
  const event = await newTrail(dir, { lockTimeoutMs: 2000 }).record({ kind: 'scan.started' });
  assert.equal(event.seq, 1);
});

test('a lock file left empty by a process killed between creating and writing it is broken, a fresh one waited for', async (t) => {
  const dir = tempDir(t);
  const lock = join(dir, 'audit.lock');
  // Found by the kill test: a SIGKILL at that moment left every later write refused for 30 s.
  writeFileSync(lock, '');
  const tenSecondsAgo = new Date(Date.now() - 10_000);
  await fsp.utimes(lock, tenSecondsAgo, tenSecondsAgo);
  const event = await newTrail(dir, { lockTimeoutMs: 5000 }).record({ kind: 'scan.started' });
  assert.equal(event.seq, 1);

  // One just created is a lock being written: waited for, and the wait's error names no process.
  writeFileSync(lock, '');
  await assert.rejects(newTrail(dir, { lockTimeoutMs: 300 }).record({ kind: 'scan.started' }), (err: Error) => {
    assert.match(err.message, /locked by another process/);
    assert.doesNotMatch(err.message, /pid/);
    return true;
  });
});
