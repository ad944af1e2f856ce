// The locked-policy scan flow (src/flows/scan.ts) against the real sandbox, through the product's
// runner (src/flows/env.ts): every lockout shape the generator makes must be flagged, nothing else,
// in both modes; a scan is one task for the person (one justification, its id on every session);
// accounts the guardrails refuse are skipped and never sessioned; every root session is preceded by
// a durable intent record.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, sandboxControl, generateOrg, type SandboxHandle, type SeedOrg } from '../../sandbox';
import { createAwsContext, type AwsContext } from '../../../src/aws';
import type { AuditInput } from '../../../src/core/audit/types';
import type { OrgAccount, OrgIndex } from '../../../src/core/orgIndex';
import { RootSessionRegistry } from '../../../src/core/sessionRegistry';
import { createScanEnv, type FlowDeps } from '../../../src/flows/env';
import { scanForLockedPolicies, type ScanMode } from '../../../src/flows/scan';
import type { GuardrailSettings } from '../../../src/core/guardrails';
import { flowDeps, listOrganization, memoryAudit, quietProgress, scriptedPerson } from './sandboxFlows';

/** The account an AssumeRoot in the sandbox's request log was for (its target principal). */
const targetOf = (r: { target?: string }) => /^arn:aws:iam::(\d{12}):root$/.exec(r.target ?? '')?.[1];

const LOCKING_SIDS = new Set(['DenyEveryone', 'FreezePolicy', 'OnlyFormerAdmin', 'DenyUnlessNobody']);

interface Expected { account: string; kind: 's3' | 'sqs'; name: string; sid?: string }

function expectations(seed: SeedOrg): Expected[] {
  const out: Expected[] = [];
  const visit = (ous: SeedOrg['ous']) => {
    for (const ou of ous ?? []) {
      for (const a of ou.accounts ?? []) {
        if (a.state && a.state !== 'ACTIVE') continue;
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

describe('locked-policy scan flow', () => {
  const seed = generateOrg({ accounts: 40, ous: 6, bucketsPerAccount: 6, queuesPerAccount: 4, seed: 3 });
  const expected = expectations(seed);
  let sb: SandboxHandle;
  let aws: AwsContext;
  let index: OrgIndex;
  let members: OrgAccount[];
  before(async () => {
    sb = await startSandbox({ seed });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 8 }, sb.management);
    index = await listOrganization(aws);
    members = index.memberAccounts();
  });
  beforeEach(async () => {
    await sandboxControl(sb.endpoint).clearRequests();
  });
  after(async () => {
    aws?.dispose();
    await sb?.close();
  });

  const scan = async (
    mode: ScanMode,
    opts: { accounts?: OrgAccount[]; scope?: string; guardrails?: Partial<GuardrailSettings>; audit?: ReturnType<typeof memoryAudit>; sessions?: RootSessionRegistry; signal?: AbortSignal; onReport?: (done: number) => void } = {},
  ) => {
    const audit = opts.audit ?? memoryAudit();
    const deps: FlowDeps = flowDeps(aws, index, audit.audit, { guardrails: opts.guardrails, sessions: opts.sessions });
    const who = scriptedPerson();
    const summary = await scanForLockedPolicies(createScanEnv(deps), who.person, quietProgress(opts.signal, opts.onReport), {
      accounts: opts.accounts ?? members, scope: opts.scope ?? 'the organization', mode, roleName: 'OrganizationAccountAccessRole',
      regions: [], homeRegion: sb.region, accountConcurrency: 4,
    });
    return { summary, events: audit.events, findings: deps.findings, asked: who.asked() };
  };
  const active = () => members.filter((a) => a.state === 'ACTIVE');

  it('flags exactly the locking shapes with a root session per account and task, all under the scan', async () => {
    assert.ok(expected.some((e) => e.sid && LOCKING_SIDS.has(e.sid)), 'the generated org must contain lockouts');
    const control = sandboxControl(sb.endpoint);
    const { summary, events, findings } = await scan('rootSession');
    const errors = [...findings.all().values()].flatMap((f) => f.scanError && !/^Not scanned/.test(f.scanError) ? [f.scanError] : []);
    // Only the home Region is scanned: buckets elsewhere are skipped, not errors.
    assert.deepEqual(errors, []);
    const flagged = new Map([...findings.all().values()].flatMap((f) => f.resources).map((f) => [`${f.accountId}:${f.kind}:${f.name}`, f]));
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
    assert.equal(assumeRoots.length, active().length * 2, 'one S3 and one SQS root session per active account');
    assert.ok(assumeRoots.every((r) => r.outcome === 'success'));
    const started = events.filter((e) => e.kind === 'scan.started');
    assert.equal(started.length, 1);
    const scanId = started[0].taskId;
    const intents = events.filter((e) => e.kind === 'intent');
    assert.equal(intents.length, assumeRoots.length, 'an intent before every AssumeRoot');
    assert.ok(intents.every((e) => e.parentTaskId === scanId && e.taskId !== scanId), 'each session has its own task id under the scan');
    assert.equal(new Set(intents.map((e) => e.taskId)).size, intents.length);
    assert.equal(events.filter((e) => e.kind === 'session.ended').length, assumeRoots.length, 'every session ended, and recorded before the scan returned');
    assert.ok(events.every((e) => e.kind === 'scan.started' || e.kind === 'scan.finished' || e.parentTaskId === scanId), 'every event carries the scan id');
    assert.equal(summary.skipped.length, members.length - active().length, 'inactive accounts are skipped');
    console.log(`scanned ${summary.scanned} accounts with ${summary.calls} calls; ${flagged.size} flagged`);
  });

  it('with the justification guardrail on, asks once and records it in the scan intent and every session', async () => {
    const { events, asked } = await scan('rootSession', { accounts: active().slice(0, 5), guardrails: { requireJustification: true } });
    assert.equal(asked, 1, 'one justification and ticket for the whole scan');
    const started = events.find((e) => e.kind === 'scan.started')!;
    assert.equal(started.justification, 'quarterly lockout sweep');
    assert.equal(started.ticket, 'SEC-42');
    const intents = events.filter((e) => e.kind === 'intent');
    assert.equal(intents.length, 10);
    assert.ok(intents.every((e) => e.justification === 'quarterly lockout sweep' && e.ticket === 'SEC-42'));
  });

  it('an OU with a denied account: that account is skipped, reported, and never sessioned', async () => {
    const ou = [...index.ous.values()].find((o) => index.accountsUnder(o.id).filter((a) => a.state === 'ACTIVE').length >= 3)!;
    assert.ok(ou, 'the generated org has an OU with three active accounts');
    const under = index.accountsUnder(ou.id);
    const denied = under.find((a) => a.state === 'ACTIVE')!;
    const { summary, events } = await scan('rootSession', { accounts: under, scope: index.pathOf(ou.id), guardrails: { deniedAccounts: [denied.id] } });
    assert.match(summary.skipped.find((s) => s.accountId === denied.id)?.reason ?? '', /deniedAccounts/);
    const control = sandboxControl(sb.endpoint);
    const assumeRoots = await control.requests({ operation: 'AssumeRoot' });
    assert.ok(assumeRoots.every((r) => targetOf(r)), 'the request log names each AssumeRoot target');
    assert.equal(assumeRoots.filter((r) => targetOf(r) === denied.id).length, 0, 'no session in the denied account');
    assert.equal(assumeRoots.length, 2 * under.filter((a) => a.state === 'ACTIVE' && a.id !== denied.id).length, 'every other active account was scanned');
    assert.ok(!events.some((e) => e.accountId === denied.id && e.kind !== 'guardrail.refused'), 'nothing recorded against the denied account but a refusal');
  });

  it('allowedAccounts: accounts outside the list are skipped and never sessioned; with none left, no scan starts', async () => {
    const [allowed, other] = active();
    const { summary } = await scan('rootSession', { accounts: [allowed, other], guardrails: { allowedAccounts: [allowed.id] } });
    assert.deepEqual(summary.skipped.map((s) => s.accountId), [other.id]);
    assert.match(summary.skipped[0].reason, /allowedAccounts/);
    const assumeRoots = await sandboxControl(sb.endpoint).requests({ operation: 'AssumeRoot' });
    assert.deepEqual([...new Set(assumeRoots.map(targetOf))], [allowed.id]);
    await sandboxControl(sb.endpoint).clearRequests();
    const none = await scan('rootSession', { accounts: [other], guardrails: { allowedAccounts: [allowed.id], requireJustification: true } });
    assert.equal(none.asked, 0, 'nothing to scan: the person is not asked');
    assert.equal(none.events.length, 0);
    assert.equal((await sandboxControl(sb.endpoint).requests({ operation: 'AssumeRoot' })).length, 0);
  });

  it('role mode marks what the scan role cannot read as suspected, and takes no root session', async () => {
    const { findings, events } = await scan('role');
    const flagged = new Map([...findings.all().values()].flatMap((f) => f.resources).map((f) => [`${f.accountId}:${f.kind}:${f.name}`, f]));
    for (const e of expected.filter((x) => x.sid === 'HideFromAuditors' || (x.sid && LOCKING_SIDS.has(x.sid)))) {
      const f = flagged.get(`${e.account}:${e.kind}:${e.name}`);
      assert.ok(f, `${e.kind} ${e.name} (${e.sid}) should be flagged in role mode`);
      if (e.sid === 'HideFromAuditors') assert.equal(f.verdict, 'suspected');
    }
    const control = sandboxControl(sb.endpoint);
    assert.equal((await control.requests({ operation: 'AssumeRoot' })).length, 0, 'role mode takes no root session');
    const assumeRoles = await control.requests({ operation: 'AssumeRole' });
    const scanId = events.find((e) => e.kind === 'scan.started')!.taskId;
    const roleReads = events.filter((e) => e.kind === 'aws.read' && e.operation === 'AssumeRole');
    assert.equal(roleReads.length, assumeRoles.length, 'every AssumeRole is audited');
    assert.ok(roleReads.every((e) => e.taskId === scanId));
  });

  it('fails closed: no scan intent, no AssumeRoot reaches the sandbox', async () => {
    const audit = memoryAudit({ failIntent: () => true });
    await assert.rejects(scan('rootSession', { audit }), /disk full/);
    assert.equal((await sandboxControl(sb.endpoint).requests({ operation: 'AssumeRoot' })).length, 0);
  });

  it('fails closed per session: a session intent that cannot be written takes no credentials, and the account says why', async () => {
    const audit = memoryAudit({ failIntent: (e: AuditInput) => e.kind === 'intent' });
    const { findings } = await scan('rootSession', { audit, accounts: active().slice(0, 4) });
    for (const a of active().slice(0, 4)) assert.match(findings.get(a.id)?.scanError ?? '', /disk full/);
    assert.equal((await sandboxControl(sb.endpoint).requests({ operation: 'AssumeRoot' })).length, 0);
  });

  it('a read record that cannot be written stops its session, and the account says why', async () => {
    const accounts = active().slice(0, 6);
    const audit = memoryAudit({ failRecord: (e) => e.kind === 'aws.read' });
    const { findings, events } = await scan('rootSession', { audit, accounts });
    for (const a of accounts) {
      const error = findings.get(a.id)?.scanError ?? '';
      // Each session's first read (the listing) had its record fail; the session stopped there.
      assert.equal(error.split('\n').length, 2, error);
      assert.match(error, /ENOSPC/);
    }
    const control = sandboxControl(sb.endpoint);
    assert.equal((await control.requests({ operation: 'ListBuckets' })).length, accounts.length, 'one bucket listing per account');
    // Read records are pipelined (a scan does not wait for each fsync), so the one read already
    // started when the failure lands may finish; none starts after it.
    assert.ok((await control.requests({ operation: 'GetBucketPolicy' })).length <= accounts.length, 'at most one read after the failed record per session');
    assert.ok((await control.requests({ operation: 'GetQueueAttributes' })).length <= accounts.length);
    assert.equal(events.filter((e) => e.kind === 'session.ended').length, 2 * accounts.length, 'every session still ends');
  });

  it('cancel stops the sessions already running at their next call, and they end as cancelled', async () => {
    const controller = new AbortController();
    const base = memoryAudit();
    // The person cancels while the first sessions are reading their bucket policies.
    const audit = { ...base, audit: { ...base.audit, record: async (e: AuditInput) => {
      if (e.kind === 'aws.read' && e.operation === 'GetBucketPolicy') controller.abort();
      return base.audit.record(e);
    } } };
    const { summary, events, findings } = await scan('rootSession', { audit, signal: controller.signal });
    assert.equal(summary.cancelled, true);
    // An account the cancel stopped midway is not a scan error, and its half-read state is not kept.
    assert.ok(summary.interrupted > 0, 'some accounts were stopped midway');
    assert.equal(summary.failed, 0, 'a cancel is not an account error');
    assert.equal(summary.scanned + summary.interrupted <= active().length, true);
    const errors = [...findings.all().values()].flatMap((f) => f.scanError ? [f.scanError] : []);
    assert.deepEqual(errors.filter((e) => !/^Not scanned|^Skipped/.test(e)), [], 'no account shows "scan error" after a cancel');
    const reads = (await sandboxControl(sb.endpoint).requests({ operation: 'GetBucketPolicy' })).length;
    const started = events.filter((e) => e.kind === 'assumeRoot.granted').length;
    assert.ok(started < 2 * active().length, 'no account starts after the cancel');
    assert.ok(reads < started * 6, `the running sessions stopped reading (${reads} reads in ${started} sessions of 6 buckets)`);
    const ended = events.filter((e) => e.kind === 'session.ended');
    assert.equal(ended.length, started, 'every session that started ended');
    assert.ok(ended.some((e) => e.outcome === 'cancelled'));
  });

  it('the scan is one group in the registry; ending the group ends every session and stops the scan', async () => {
    const sessions = new RootSessionRegistry();
    const seen: string[] = [];
    let ended = false;
    const { summary, events } = await scan('rootSession', {
      sessions,
      onReport: (done) => {
        const items = sessions.summary();
        seen.push(items.map((i) => i.kind).join(','));
        const group = items.find((i) => i.kind === 'group');
        if (done >= 2 && group?.kind === 'group' && !ended) {
          ended = true;
          sessions.endGroup(group.group.id, 'endedByUser');
        }
      },
    });
    assert.ok(seen.some((s) => s === 'group'), `the status bar's items while the scan ran: ${seen.join(' | ')}`);
    assert.ok(seen.every((s) => !s.includes('session')), 'no session shown on its own');
    assert.equal(summary.endedByUser, true);
    assert.ok(summary.scanned < active().length, 'the scan stopped');
    assert.equal(sessions.summary().length, 0, 'nothing left open');
    const granted = events.filter((e) => e.kind === 'assumeRoot.granted').length;
    assert.equal(events.filter((e) => e.kind === 'session.ended').length, granted, 'every session that started ended');
  });
});
