// The Splunk HTTP Event Collector preset of the webhook destination: the Authorization header
// with the token, one {time, host, source, sourcetype, event} envelope per event, the same batch
// sent again after HEC's 503 (server busy) until a 200, the cursor moved only then, OCSF events
// inside the envelope with format ocsf, and no token: waiting, nothing sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, SinkController, type AuditEvent, type SinkStatus } from '../../../src/core/audit';
import { eventHash } from '../../../src/core/audit/chain';
import { loadSchema, validateOcsf } from '../ocsf/validate';

const TOKEN = '6f2c1e0a-3b4d-4c5e-9f70-81a2b3c4d5e6';

async function hecScenario(t: { after: (fn: () => unknown) => void }, answers: number[], opts: { format?: 'native' | 'ocsf'; secrets?: string[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rt-hec-'));
  const posts: { body: string; headers: Record<string, string> }[] = [];
  const statuses: SinkStatus[] = [];
  const sink = new SinkController({
    dir,
    logHead: async () => (await trail.head()).seq,
    onStatus: (s) => statuses.push(s),
    worker: { backoff: { baseMs: 5, maxMs: 20 }, pollMs: 30 },
    makeTransport: () => ({
      post: async (body, headers) => {
        posts.push({ body: body.toString('utf8'), headers });
        return { status: answers[Math.min(posts.length - 1, answers.length - 1)]! };
      },
      dispose: () => undefined,
    }),
  });
  t.after(async () => {
    await sink.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::210987654321:user/alice', delivery: () => sink.port() });
  trail.onDidRecord((e) => sink.notify(e.seq));
  await sink.configure({ url: 'https://splunk.example.com:8088/services/collector/event', preset: 'splunkHec', hecHost: 'ws-1', format: opts.format, secrets: () => opts.secrets ?? [TOKEN] });
  return { trail, sink, posts, statuses };
}

async function delivered(sink: SinkController, seq: number) {
  const until = Date.now() + 10_000;
  while ((await sink.port()!.deliveredSeq()) < seq) {
    assert.ok(Date.now() < until, 'delivered in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('HEC preset: Splunk authorization, one envelope per event, 503 retried with the same batch', async (t) => {
  const s = await hecScenario(t, [503, 503, 200]);
  for (let i = 0; i < 3; i++) await s.trail.record({ kind: 'aws.read', operation: 'GetBucketPolicy', resource: `arn:aws:s3:::b-${i}`, outcome: 'ok' });
  await delivered(s.sink, 3);
  assert.ok(s.posts.length >= 3);
  const first = s.posts[0]!;
  assert.equal(first.headers.authorization, `Splunk ${TOKEN}`);
  assert.equal(first.headers['content-type'], 'application/json');
  assert.equal(first.headers['webhook-signature'], undefined, 'no Standard Webhooks headers');
  // Retries until the 200 are the same body.
  assert.equal(s.posts[1]!.body, first.body);
  assert.equal(s.posts[2]!.body, first.body);
  const envelopes = s.posts.flatMap((p) => p.body.split('\n')).map((l) => JSON.parse(l) as { time: number; host: string; source: string; sourcetype: string; event: AuditEvent });
  for (const env of envelopes) {
    assert.deepEqual(Object.keys(env), ['time', 'host', 'source', 'sourcetype', 'event']);
    assert.equal(env.host, 'ws-1');
    assert.equal(env.source, 'aws-root-tasks');
    assert.equal(env.sourcetype, 'aws:root-tasks:audit');
    assert.equal(env.time, Math.round(Date.parse(env.event.time)) / 1000);
    assert.equal(eventHash(env.event), env.event.hash, 'the native event inside, hash intact');
  }
  assert.deepEqual([...new Set(envelopes.map((e) => e.event.seq))].sort(), [1, 2, 3]);
  assert.ok(s.statuses.some((x) => x.configured && x.lastError?.includes('Splunk HEC answered HTTP 503')));
});

test('HEC preset with OCSF: the envelope carries valid OCSF events; a rejected token is reported', async (t) => {
  const s = await hecScenario(t, [403, 200], { format: 'ocsf' });
  await s.trail.record({ kind: 'assumeRoot.granted', taskId: 't', task: 'S3UnlockBucketPolicy', accountId: '320000000001', outcome: 'ok', expiresAt: new Date().toISOString() });
  await delivered(s.sink, 1);
  assert.ok(s.statuses.some((x) => x.configured && /HTTP 403 \(the HEC token is missing, invalid or disabled\)/.test(x.lastError ?? '')));
  const env = JSON.parse(s.posts.at(-1)!.body) as { sourcetype: string; event: Record<string, unknown> };
  assert.equal(env.sourcetype, 'ocsf');
  assert.deepEqual(validateOcsf(loadSchema(), env.event), []);
  assert.equal(env.event.class_uid, 3003);
});

test('HEC preset without a token waits and sends nothing', async (t) => {
  const s = await hecScenario(t, [200], { secrets: [] });
  await s.trail.record({ kind: 'aws.read', operation: 'ListBuckets', outcome: 'ok' });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(s.posts.length, 0);
  assert.ok(s.statuses.some((x) => x.configured && /no HEC token/.test(x.lastError ?? '')));
});
