// The log cannot silently lose its newest events: the chain head is kept outside the log (here a
// map standing in for the extension's secret storage), a reopened trail (a window reload) reports
// a log shorter than that head, no seq is ever reused, root tasks refuse a log that does not
// verify in full, and acknowledging the damage starts a new chain linked to the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditWriteError, type AuditTrail } from '../../../src/core/audit';
import { keyValueHeadStore, type HeadStore } from '../../../src/core/audit/headStore';
import { newTrail, tempDir } from './fixtures';

/** Secret storage as the extension has it: a key-value store that outlives the window. */
function secretStorage(): HeadStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  const store = keyValueHeadStore({ get: async (k) => raw.get(k), store: async (k, v) => void raw.set(k, v) }, 'rootTasks.audit.chainHead');
  return Object.assign(store, { raw });
}

const segmentFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();
const INTENT = { kind: 'intent' as const, task: 'S3UnlockBucketPolicy', accountId: '320000000001', justification: 'locked bucket', ticket: 'INC-1' };

async function window(dir: string, headStore: HeadStore, events = 0): Promise<AuditTrail> {
  const trail = newTrail(dir, { headStore });
  for (let i = 0; i < events; i++) await trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', detail: { i } });
  return trail;
}

test('the head is kept outside the log after every write', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  await window(dir, store, 3);
  const last = JSON.parse(readFileSync(join(dir, segmentFiles(dir)[0]!), 'utf8').trim().split('\n').at(-1)!);
  assert.deepEqual(await store.load(), { seq: 3, hash: last.hash });
});

test('tail deleted, then a reload: Verify and the writer report the missing events; no seq is reused', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  await window(dir, store, 10);
  const file = join(dir, segmentFiles(dir)[0]!);
  writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 7).join('\n') + '\n');

  const reloaded = await window(dir, store);
  const verified = await reloaded.verify();
  assert.equal(verified.ok, false);
  assert.match(verified.problem!, /the log ends at seq 7 but the chain head kept outside the log recorded seq 10/);
  await assert.rejects(reloaded.record({ kind: 'aws.read' }), (err: Error) => err instanceof AuditWriteError && /ends at seq 7, but event seq 10 .* is gone/.test(err.message));
  await assert.rejects(reloaded.recordIntent(INTENT), AuditWriteError);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 7, 'nothing was appended (seq 8 would be reused)');
});

test('the whole folder deleted, then a reload: reported, nothing written from seq 1 again', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  await window(dir, store, 5);
  rmSync(dir, { recursive: true, force: true });

  const reloaded = await window(dir, store);
  assert.match((await reloaded.verify()).problem!, /the log ends at seq 0 but the chain head kept outside the log recorded seq 5/);
  await assert.rejects(reloaded.recordIntent(INTENT), /damaged: .*seq 5/);
  assert.deepEqual(segmentFiles(dir), [], 'no new chain from seq 1');
});

test('root tasks refuse a log broken anywhere, not only at its last line', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  const trail = await window(dir, store, 10);
  await trail.recordIntent(INTENT);
  const file = join(dir, segmentFiles(dir)[0]!);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  lines[2] = lines[2]!.replace('GetBucketPolicy', 'PutBucketPolicy');
  writeFileSync(file, lines.join('\n') + '\n');
  // The last line is intact, so plain records still append; an intent checks the whole chain.
  await assert.rejects(trail.recordIntent(INTENT), /damaged: audit-000000000001.jsonl line 3: seq 3: the content does not match its hash/);
  await assert.rejects((await window(dir, store)).recordIntent(INTENT), /line 3/);
});

test('an intact log is verified in full once, then kept verified across this window\'s own appends', async (t) => {
  const dir = tempDir(t);
  const trail = await window(dir, secretStorage(), 3);
  for (let i = 0; i < 3; i++) await trail.recordIntent({ ...INTENT, ticket: `INC-${i}` });
  assert.deepEqual(await trail.verify(), { ok: true, events: 6, problem: undefined });
});

test('acknowledging the damage starts a new chain: linked, no seq reused, itself recorded, and root tasks run again', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  await window(dir, store, 10);
  const oldHead = (await store.load())!;
  rmSync(dir, { recursive: true, force: true });

  const reloaded = await window(dir, store);
  await assert.rejects(reloaded.recordIntent(INTENT), AuditWriteError);
  const ack = await reloaded.acknowledgeDamage();
  assert.ok(ack.restarted);
  assert.equal(ack.event.kind, 'audit.chainRestarted');
  assert.equal(ack.event.seq, 11, 'the new chain starts past every seq ever written');
  assert.equal(ack.event.prevHash, oldHead.hash, 'and links to the last head known');
  assert.match(String(ack.event.detail?.problem), /the log ends at seq 0/);

  const intent = await reloaded.recordIntent(INTENT);
  assert.equal(intent.seq, 12);
  assert.deepEqual(await reloaded.verify(), { ok: true, events: 2, problem: undefined });
  assert.deepEqual(await (await window(dir, store)).verify(), { ok: true, events: 2, problem: undefined }, 'after another reload too');
  assert.deepEqual(await reloaded.acknowledgeDamage(), { restarted: false }, 'nothing to acknowledge on an intact log');
  await assert.rejects(reloaded.record({ kind: 'audit.chainRestarted' }), /acknowledging a damaged log only/);
});

test('acknowledging a log edited in the middle keeps the damaged files aside, untouched', async (t) => {
  const dir = tempDir(t);
  const store = secretStorage();
  await window(dir, store, 6);
  const file = join(dir, segmentFiles(dir)[0]!);
  const edited = readFileSync(file, 'utf8').replace('"i":1', '"i":9');
  writeFileSync(file, edited);
  const ack = await (await window(dir, store)).acknowledgeDamage();
  assert.ok(ack.restarted);
  assert.equal(ack.event.seq, 7);
  assert.equal(readFileSync(join(dir, ack.archive, 'audit-000000000001.jsonl'), 'utf8'), edited);
  assert.deepEqual(segmentFiles(dir), ['audit-000000000007.jsonl']);
});
