// The locked-policy scan against the real sandbox: every lockout shape the generator makes must be
// flagged, nothing else, in both modes; every root session is preceded by a durable intent record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, sandboxControl, generateOrg, type SandboxHandle, type SeedOrg } from '../../sandbox';
import { createAwsContext, scanAccounts, type AccountScan, type ScanAudit, type ScanOptions } from '../../../src/aws';

const LOCKING_SIDS = new Set(['DenyEveryone', 'FreezePolicy', 'OnlyFormerAdmin', 'DenyUnlessNobody']);

interface Expected { account: string; kind: 's3' | 'sqs'; name: string; sid?: string }

function expectations(seed: SeedOrg): Expected[] {
  const out: Expected[] = [];
  const visit = (ous: SeedOrg['ous']) => {
    for (const ou of ous ?? []) {
      for (const a of ou.accounts ?? []) {
        for (const b of a.buckets ?? []) out.push({ account: a.id!, kind: 's3', name: b.name, sid: sidOf(b.policy) });
        for (const q of a.queues ?? []) out.push({ account: a.id!, kind: 'sqs', name: q.name, sid: sidOf(q.policy) });
      }
      visit(ou.ous);
    }
  };
  visit(seed.ous);
  return out;
}

function sidOf(policy: unknown): string | undefined {
  const p = typeof policy === 'string' ? JSON.parse(policy) : policy;
  return (p as { Statement?: Array<{ Sid?: string }> } | undefined)?.Statement?.[0]?.Sid;
}

function recorder(fail = false) {
  const events: Array<{ kind: string; task?: string; accountId?: string }> = [];
  const audit: ScanAudit = {
    recordIntent: async (e) => {
      if (fail) throw new Error('disk full');
      events.push(e);
    },
    record: async (e) => void events.push(e),
  };
  return { audit, events };
}

describe('locked-policy scan', () => {
  const seed = generateOrg({ accounts: 40, ous: 6, bucketsPerAccount: 6, queuesPerAccount: 4, seed: 3 });
  const expected = expectations(seed);
  const accounts = [...new Set(expected.map((e) => e.account))];
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({ seed });
  });
  after(() => sb?.close());

  const run = async (mode: ScanOptions['mode'], audit: ScanAudit) => {
    const { accessKeyId, secretAccessKey } = sb.management;
    const aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 8 }, { accessKeyId, secretAccessKey });
    const results: AccountScan[] = [];
    try {
      const summary = await scanAccounts(aws, accounts, { mode, roleName: 'OrganizationAccountAccessRole', regions: [], accountConcurrency: 4 }, audit, (r) => results.push(r));
      return { summary, results };
    } finally {
      aws.dispose();
    }
  };

  it('flags exactly the locking shapes with a root session per account and task', async () => {
    assert.ok(expected.some((e) => e.sid && LOCKING_SIDS.has(e.sid)), 'the generated org must contain lockouts');
    const control = sandboxControl(sb.endpoint);
    await control.clearRequests();
    const { audit, events } = recorder();
    const { summary, results } = await run('rootSession', audit);
    const errors = results.flatMap((r) => r.errors);
    // Only the home Region is scanned: buckets elsewhere are skipped, not errors.
    assert.deepEqual(errors, []);
    const flagged = new Map(results.flatMap((r) => r.resources).map((f) => [`${f.accountId}:${f.kind}:${f.name}`, f]));
    for (const e of expected) {
      const f = flagged.get(`${e.account}:${e.kind}:${e.name}`);
      const locking = !!e.sid && LOCKING_SIDS.has(e.sid);
      if (locking) {
        assert.ok(f && (f.verdict === 'locked' || f.verdict === 'suspected'), `${e.kind} ${e.name} (${e.sid}) should be flagged`);
        assert.match(f.reasons.join('\n'), new RegExp(`"Sid": "${e.sid}"`), `the reason quotes the locking statement: ${f.reasons.join('\n')}`);
      } else {
        assert.equal(f, undefined, `${e.kind} ${e.name} (${e.sid ?? 'no policy'}) must not be flagged`);
      }
    }
    const assumeRoots = await control.requests({ operation: 'AssumeRoot' });
    assert.equal(assumeRoots.length, accounts.length * 2, 'one S3 and one SQS root session per account');
    assert.equal(events.filter((e) => e.kind === 'intent').length, assumeRoots.length, 'an intent before every AssumeRoot');
    assert.equal(events.filter((e) => e.kind === 'session.ended').length, assumeRoots.length, 'every session ended');
    assert.ok(assumeRoots.every((r) => r.outcome === 'success'));
    console.log(`scanned ${summary.accounts} accounts with ${summary.calls} calls; ${flagged.size} flagged`);
  });

  it('role mode marks what the scan role cannot read as suspected', async () => {
    await sandboxControl(sb.endpoint).clearRequests();
    const { audit } = recorder();
    const { results } = await run('role', audit);
    const flagged = new Map(results.flatMap((r) => r.resources).map((f) => [`${f.accountId}:${f.kind}:${f.name}`, f]));
    for (const e of expected.filter((x) => x.sid === 'HideFromAuditors' || (x.sid && LOCKING_SIDS.has(x.sid)))) {
      const f = flagged.get(`${e.account}:${e.kind}:${e.name}`);
      assert.ok(f, `${e.kind} ${e.name} (${e.sid}) should be flagged in role mode`);
      if (e.sid === 'HideFromAuditors') assert.equal(f.verdict, 'suspected');
    }
    const assumeRoots = await sandboxControl(sb.endpoint).requests({ operation: 'AssumeRoot' });
    assert.equal(assumeRoots.length, 0, 'role mode takes no root session');
  });

  it('fails closed: no intent record, no AssumeRoot reaches the sandbox', async () => {
    const control = sandboxControl(sb.endpoint);
    await control.clearRequests();
    const { audit } = recorder(true);
    const { results } = await run('rootSession', audit);
    assert.ok(results.every((r) => r.errors.length === 2 && r.errors.every((e) => /disk full/.test(e))));
    assert.equal((await control.requests({ operation: 'AssumeRoot' })).length, 0);
  });

  it('a read record that cannot be written stops its session before the next read, and the account says why', async () => {
    const control = sandboxControl(sb.endpoint);
    await control.clearRequests();
    const written: string[] = [];
    const audit: ScanAudit = {
      recordIntent: async (e) => void written.push(e.kind),
      record: async (e) => {
        if (e.kind === 'aws.read') throw new Error('audit write failed (ENOSPC)');
        written.push(e.kind);
      },
    };
    const { results } = await run('rootSession', audit);
    assert.equal(results.length, accounts.length);
    for (const r of results) {
      // Each session made its first read, whose record failed; nothing was read after that.
      assert.equal(r.errors.length, 2, r.errors.join('; '));
      assert.ok(r.errors.every((e) => /ENOSPC/.test(e)), r.errors.join('; '));
    }
    const reads = await control.requests({ operation: 'GetBucketPolicy' });
    const queueReads = await control.requests({ operation: 'GetQueueAttributes' });
    assert.equal(reads.length, accounts.length, 'one bucket read per account');
    assert.equal(queueReads.length, accounts.length, 'one queue read per account');
    assert.equal(written.filter((k) => k === 'session.ended').length, 2 * accounts.length, 'every session still ends');
  });
});
