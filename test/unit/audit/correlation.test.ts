// The CloudTrail correlation's retry rule with a scripted lookup: found on the n-th lookup, refused
// (no cloudtrail:LookupEvents: stop at once), thrown and then found (throttled: keep going),
// stopped by the window closing (nothing recorded), and the key id kept through the audit
// allow-list (its base32 shape would otherwise look like a TOTP seed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitize } from '../../../src/core/audit/sanitize';
import type { AuditInput } from '../../../src/core/audit/types';
import { correlateRootSession, type CorrelationDeps } from '../../../src/core/cloudTrailCorrelation';

const KEY = 'ASIAQWERTY23456ABCDE';
const SESSION = { accountId: '320000000001', accessKeyId: KEY, issuedAt: new Date('2026-01-01T00:00:00Z') };

function deps(answers: Array<'none' | 'found' | Error>, extra: Partial<CorrelationDeps> = {}) {
  const recorded: AuditInput[] = [];
  const asked: Date[] = [];
  const slept: number[] = [];
  let i = 0;
  const d: CorrelationDeps = {
    lookup: async (key, since) => {
      assert.equal(key, KEY);
      asked.push(since);
      const a = answers[Math.min(i++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return a === 'found' ? { eventId: 'ev-1', eventTime: new Date('2026-01-01T00:00:01Z') } : undefined;
    },
    record: async (e) => void recorded.push(sanitize(e)),
    sleep: async (ms) => void slept.push(ms),
    delaysMs: [10, 20, 30],
    ...extra,
  };
  return { d, recorded, asked, slept };
}

const named = (name: string) => Object.assign(new Error(name), { name });

describe('CloudTrail correlation', () => {
  test('found on the third lookup: one event with the id, the key and how to find the member actions', async () => {
    const { d, recorded, asked, slept } = deps(['none', 'none', 'found']);
    assert.equal(await correlateRootSession(d, SESSION), 'correlated');
    assert.deepEqual(slept, [10, 20]);
    assert.equal(asked.length, 3);
    assert.ok(asked[0]! < SESSION.issuedAt, 'looks from a little before the session, for clock skew');
    assert.equal(recorded.length, 1);
    const e = recorded[0]!;
    assert.equal(e.kind, 'cloudtrail.correlated');
    assert.equal(e.outcome, 'ok');
    assert.equal(e.accessKeyId, KEY);
    assert.equal(e.detail?.cloudTrailEventId, 'ev-1');
    assert.equal(e.detail?.lookups, 3);
    assert.match(String(e.detail?.memberAccountActions), /account 320000000001's CloudTrail event history, lookup attribute AccessKeyId/);
  });

  test('never found: bounded, then recorded with outcome error', async () => {
    const { d, recorded, asked } = deps(['none']);
    assert.equal(await correlateRootSession(d, SESSION), 'notFound');
    assert.equal(asked.length, 4);
    assert.equal(recorded[0]!.outcome, 'error');
    assert.match(recorded[0]!.error!, /after 4 lookups/);
  });

  test('a refusal stops at once; throttling is retried', async () => {
    const refused = deps([named('AccessDeniedException')]);
    assert.equal(await correlateRootSession(refused.d, SESSION), 'refused');
    assert.equal(refused.asked.length, 1);
    assert.match(refused.recorded[0]!.error!, /cloudtrail:LookupEvents/);

    const throttled = deps([named('ThrottlingException'), 'found']);
    assert.equal(await correlateRootSession(throttled.d, SESSION), 'correlated');
    assert.equal(throttled.asked.length, 2);
  });

  test('stopped (the window closes): no lookup after it and nothing recorded', async () => {
    const stop = new AbortController();
    const { d, recorded, asked } = deps(['none'], { signal: stop.signal, sleep: async () => stop.abort() });
    assert.equal(await correlateRootSession(d, SESSION), 'stopped');
    assert.equal(asked.length, 1);
    assert.equal(recorded.length, 0);
  });

  test('the key id field takes exactly an access key id; a secret-shaped value is refused', () => {
    assert.equal(sanitize({ kind: 'cloudtrail.correlated', accessKeyId: KEY }).accessKeyId, KEY);
    assert.throws(() => sanitize({ kind: 'cloudtrail.correlated', accessKeyId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }), /accessKeyId/);
    assert.throws(() => sanitize({ kind: 'cloudtrail.correlated', accessKeyId: 'ASIAqwerty23456abcde' }), /not well-formed/);
    assert.throws(() => sanitize({ kind: 'cloudtrail.correlated', detail: { key: KEY } }), /looks like/);
  });
});
