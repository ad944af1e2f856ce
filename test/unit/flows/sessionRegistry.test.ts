import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RootSessionRegistry, type EndableSession, type SessionEndReason } from '../../../src/core/sessionRegistry';

function session(ms: number): EndableSession & { endCalls: number } {
  let ended = false;
  return {
    accountId: '222222222222',
    task: 'S3UnlockBucketPolicy',
    expiresAt: new Date(Date.now() + ms),
    get ended() {
      return ended;
    },
    endCalls: 0,
    end() {
      ended = true;
      this.endCalls++;
    },
  };
}

test('one task per resource; the holder may re-claim; release frees all claims of a task', () => {
  const r = new RootSessionRegistry();
  assert.equal(r.claim('arn:aws:s3:::a', 't1'), true);
  assert.equal(r.claim('arn:aws:s3:::a', 't1'), true);
  assert.equal(r.claim('arn:aws:s3:::a', 't2'), false);
  assert.equal(r.claim('arn:aws:s3:::b', 't1'), true);
  r.release('t1');
  assert.equal(r.holderOf('arn:aws:s3:::a'), undefined);
  assert.equal(r.claim('arn:aws:s3:::a', 't2'), true);
});

test('ending drops the credentials, aborts the signal, reports once, and the first reason wins', () => {
  const r = new RootSessionRegistry();
  const s = session(60_000);
  const reasons: SessionEndReason[] = [];
  let changes = 0;
  r.onDidChange(() => changes++);
  const reg = r.add('t1', s, (why) => reasons.push(why));
  assert.equal(r.size, 1);
  assert.equal(r.end('t1', 'endedByUser'), 'endedByUser');
  assert.equal(r.end('t1', 'finished'), undefined);
  assert.deepEqual(reasons, ['endedByUser']);
  assert.equal(s.ended, true);
  assert.equal(s.endCalls, 1);
  assert.equal(reg.signal.aborted, true);
  assert.equal(reg.signal.reason, 'endedByUser');
  assert.equal(r.size, 0);
  assert.equal(changes, 2);
});

test('a session ends by itself when it expires', async () => {
  const r = new RootSessionRegistry();
  const s = session(40);
  const reasons: SessionEndReason[] = [];
  const reg = r.add('t1', s, (why) => reasons.push(why));
  await new Promise((done) => reg.signal.addEventListener('abort', done));
  assert.deepEqual(reasons, ['expired']);
  assert.equal(s.ended, true);
  assert.equal(r.list().length, 0);
});

test('list is ordered by expiry and dispose ends everything', () => {
  const r = new RootSessionRegistry();
  const reasons: string[] = [];
  r.add('late', session(90_000), (why) => reasons.push(`late:${why}`));
  r.add('soon', session(30_000), (why) => reasons.push(`soon:${why}`));
  assert.deepEqual(r.list().map((s) => s.taskId), ['soon', 'late']);
  assert.throws(() => r.add('soon', session(1000), () => undefined));
  r.dispose();
  assert.deepEqual(reasons.sort(), ['late:shutdown', 'soon:shutdown']);
});

test('a group shows as one entry (count, soonest expiry) and ending it ends its sessions and aborts its signal', () => {
  const r = new RootSessionRegistry();
  const group = { id: 'scan-1', label: 'scan of Workloads' };
  const handle = r.openGroup(group);
  const ended: string[] = [];
  const a = session(120_000);
  const b = session(60_000);
  const alone = session(90_000);
  r.add('t-a', a, (why) => ended.push(`a:${why}`), group);
  r.add('t-b', b, (why) => ended.push(`b:${why}`), group);
  r.add('t-alone', alone, (why) => ended.push(`alone:${why}`));
  const items = r.summary();
  assert.deepEqual(items.map((i) => i.kind), ['group', 'session'], 'soonest expiry first: the group (60 s) then the lone session (90 s)');
  const g = items[0];
  assert.ok(g.kind === 'group');
  assert.equal(g.sessions.length, 2);
  assert.equal(g.expiresAt.getTime(), b.expiresAt.getTime(), 'the group shows its oldest expiry');
  assert.equal(r.endGroup('scan-1', 'endedByUser'), 2);
  assert.equal(handle.signal.aborted, true, 'the scan starts no new session');
  assert.deepEqual(ended.sort(), ['a:endedByUser', 'b:endedByUser']);
  assert.ok(a.ended && b.ended && !alone.ended, 'only the group ended');
  assert.deepEqual(r.summary().map((i) => i.kind), ['session']);
  handle.dispose();
  r.dispose();
});

test('a disposed group handle is not aborted by a later endGroup of the same id', () => {
  const r = new RootSessionRegistry();
  const handle = r.openGroup({ id: 'scan-2', label: 'scan' });
  handle.dispose();
  assert.equal(r.endGroup('scan-2', 'endedByUser'), 0);
  assert.equal(handle.signal.aborted, false);
});
