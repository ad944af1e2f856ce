// The bulk progress record: what a resume reads back after a reload or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBulkStore } from '../../src/core/bulkProgress';

const A = ['111111111111', '222222222222', '333333333333', '444444444444'];

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulk-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('finished accounts survive a new store on the same folder; a torn last line does not count', withDir(async (dir) => {
  const store = createBulkStore(dir);
  const job = await store.start({ kind: 'credentialsAudit', label: 'Workloads / Prod', params: { mode: 'x' }, accounts: A });
  await Promise.all([job.finished(A[0]!, 'ok'), job.finished(A[2]!, 'failed')]);
  const progress = readdirSync(dir).find((n) => n.endsWith('.progress'))!;
  appendFileSync(join(dir, progress), A[1]!.slice(0, 7));
  const [again] = await createBulkStore(dir).unfinished();
  assert.deepEqual([...again!.done()], [[A[0], 'ok'], [A[2], 'failed']]);
  assert.deepEqual(again!.pending(), [A[1], A[3]]);
  assert.equal(again!.record.label, 'Workloads / Prod');
  await again!.finished(A[1]!, 'ok');
  await again!.finished(A[3]!, 'skipped');
  assert.deepEqual(await createBulkStore(dir).unfinished(), [], 'nothing pending: nothing to offer');
  await again!.complete();
  assert.deepEqual(readdirSync(dir), []);
}));

test('newest first; discard forgets; foreign or broken files are not jobs; no credentials are accepted as ids', withDir(async (dir) => {
  let t = Date.parse('2026-12-06T10:00:00Z');
  const store = createBulkStore(dir, () => new Date((t += 60_000)));
  const older = await store.start({ kind: 'scan', label: 'the organization', params: {}, accounts: A });
  const newer = await store.start({ kind: 'credentialsDelete', label: '2 accounts', params: {}, accounts: A.slice(0, 2) });
  writeFileSync(join(dir, 'not-a-job.json'), '{"version":1}');
  writeFileSync(join(dir, '../escape.json'), '{}');
  assert.deepEqual((await store.unfinished()).map((j) => j.record.id), [newer.record.id, older.record.id]);
  await store.discard(newer.record.id);
  assert.deepEqual((await store.unfinished()).map((j) => j.record.kind), ['scan']);
  await assert.rejects(store.start({ kind: 'scan', label: 'x', params: {}, accounts: ['ASIAEXAMPLEKEY123456'] }), /not a bulk progress record/);
  await assert.rejects(older.finished('secret', 'ok'), /not a progress line/);
  assert.doesNotMatch(readFileSync(join(dir, `${older.record.id}.json`), 'utf8'), /ASIA/);
  rmSync(join(dir, '../escape.json'), { force: true });
}));

test('a record that grows (a scan started while the organization is listed): a new store sees every account added, and the new params', withDir(async (dir) => {
  const store = createBulkStore(dir);
  const job = await store.start({ kind: 'scan', label: 'the organization', params: { mode: 'rootSession', listing: 'r-1' }, accounts: [] });
  await job.add([A[0]!, A[1]!]);
  await job.finished(A[0]!, 'ok');
  await job.add([A[1]!, A[2]!]);
  assert.deepEqual(job.record.accounts, [A[0], A[1], A[2]], 'an account added twice is listed once');
  const [again] = await createBulkStore(dir).unfinished();
  assert.deepEqual(again!.record.accounts, [A[0], A[1], A[2]]);
  assert.equal(again!.record.params.listing, 'r-1', 'still listing: a resume adds the scope');
  assert.deepEqual(again!.pending(), [A[1], A[2]]);
  await again!.add([], { mode: 'rootSession' });
  const [third] = await createBulkStore(dir).unfinished();
  assert.equal(third!.record.params.listing, undefined, 'the walk ended: the record holds the whole scope');
  await assert.rejects(job.add(['not-an-account']), /not a bulk progress record/);
}));
