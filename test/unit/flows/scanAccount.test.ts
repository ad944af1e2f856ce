// One account's scan (src/flows/scanAccount.ts): a part's policies are read at once — the limiter,
// not the account, decides how many go — and what they found is kept in listing order; a read
// whose record cannot be written ends the part (fail closed) only after every read of it has ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionOps } from '../../../src/aws/sessionOps';
import { createGate } from '../../../src/core/gate';
import { scanAccount, type SessionOpener } from '../../../src/flows/scanAccount';

const LOCKED = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }] });

function fakeOps(buckets: string[], policyOf: (bucket: string) => Promise<string | undefined>) {
  const ops = {
    listBuckets: async () => ({ buckets: buckets.map((name) => ({ name, region: 'us-east-1', arn: `arn:aws:s3:::${name}` })) }),
    getBucketPolicy: async (name: string) => ({ text: await policyOf(name) }),
    listQueues: async () => ({ queues: [] }),
    getQueuePolicy: async () => ({ text: undefined }),
  };
  return ops as unknown as SessionOps;
}

function opener(ops: SessionOps, record: (op: string) => Promise<void> = async () => undefined): { open: SessionOpener } {
  const open: SessionOpener = async (_account, _task, read) => {
    const gate = createGate({ record: (e) => record(e.operation!), limiter: { run: (fn) => fn() }, pipelineReads: true });
    try {
      await read({ ops, gate });
    } finally {
      await gate.settle();
    }
  };
  return { open };
}

test("a part's policy reads are in flight together; findings keep the listing's order", async () => {
  let inFlight = 0;
  let most = 0;
  const names = ['b0', 'b1', 'b2', 'b3', 'b4'];
  const ops = fakeOps(names, async (name) => {
    inFlight++;
    most = Math.max(most, inFlight);
    // Later buckets answer first.
    await new Promise((r) => setTimeout(r, 5 * (names.length - names.indexOf(name))));
    inFlight--;
    return name === 'b1' || name === 'b3' ? LOCKED : undefined;
  });
  const result = await scanAccount(opener(ops).open, '111111111111', { mode: 'rootSession', regions: ['us-east-1'] });
  assert.equal(most, names.length, 'every read of the part was in flight at once');
  assert.deepEqual(result.resources.map((r) => [r.name, r.verdict]), [['b1', 'locked'], ['b3', 'locked']]);
  assert.deepEqual(result.errors, []);
  assert.equal(result.buckets, 5);
  assert.equal(result.calls, 2 + 1 + 5 + 1, 'two sessions, ListBuckets, five policies, ListQueues');
});

test('a read whose record fails ends the part, after every read of it has ended', async () => {
  let open = 0;
  let endedOpen = -1;
  const ops = fakeOps(['b0', 'b1', 'b2'], async (name) => {
    open++;
    await new Promise((r) => setTimeout(r, name === 'b2' ? 30 : 1));
    open--;
    return undefined;
  });
  const { open: opener0 } = opener(ops, async (op) => {
    if (op === 'GetBucketPolicy') throw new Error('ENOSPC');
  });
  const wrapped: SessionOpener = async (a, t, read) => {
    try {
      await opener0(a, t, read);
    } finally {
      if (t === 'S3UnlockBucketPolicy') endedOpen = open;
    }
  };
  const result = await scanAccount(wrapped, '111111111111', { mode: 'rootSession', regions: ['us-east-1'] });
  assert.equal(endedOpen, 0, 'no read outlived its session');
  assert.match(result.errors[0] ?? '', /^S3: .*ENOSPC/);
});
