// The root-credential flows (src/flows/credentials) against the sandbox through their ports and
// the product's runner: each account is its own root session with its own intent; a refused
// account is a row, not the end; the person's answers decide what is written.
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBulkStore } from '../../../src/core/bulkProgress';
import assert from 'node:assert/strict';
import { isCancellation } from '../../../src/core/errors';
import type { OrgAccount } from '../../../src/core/orgIndex';
import { RootAuditResults } from '../../../src/core/rootReport';
import { createRootFlowEnv, type FlowDeps } from '../../../src/flows/env';
import { auditRootCredentials, type CredentialEnv } from '../../../src/flows/credentials/audit';
import { deleteRootCredentials, type DeleteChoice } from '../../../src/flows/credentials/delete';
import { allowRootPasswordRecovery } from '../../../src/flows/credentials/recovery';
import type { GuardrailSettings } from '../../../src/core/guardrails';
import { flowDeps, memoryAudit, quietProgress, sampleOrgSuite, scriptedPerson } from './sandboxFlows';

const PAYMENTS = '320000000001';
const DATALAKE = '320000000003';
const ALICE = '340000000001';
const NETWORK_HUB = '310000000003';
const targetOf = (r: { target?: string }) => /^arn:aws:iam::(\d{12}):root$/.exec(r.target ?? '')?.[1];

describe('root-credential flows through their ports', () => {
  const suite = sampleOrgSuite();

  const setup = (guardrails?: Partial<GuardrailSettings>) => {
    const audit = memoryAudit();
    const deps: FlowDeps = flowDeps(suite.aws, suite.index, audit.audit, { guardrails });
    const env: CredentialEnv = { ...createRootFlowEnv(deps), results: new RootAuditResults(), concurrency: 4 };
    return { env, events: audit.events, who: scriptedPerson() };
  };
  const account = (id: string): OrgAccount => suite.index.accounts.get(id)!;
  const active = () => suite.index.memberAccounts().filter((a) => a.state === 'ACTIVE');

  // Network Hub sits under the sample organization's root deny without the AssumeRoot exemption.
  it('audit: one root session per account with its own intent; denied and SCP-blocked accounts are error rows, never sessioned', async () => {
    const { env, events, who } = setup({ deniedAccounts: [ALICE] });
    const out = await auditRootCredentials(env, who.person, quietProgress(), { accounts: active(), inactive: [] });
    assert.equal(who.asked(), 1, 'one justification for the whole audit');
    assert.equal(out.results.length, active().length);
    assert.match(out.results.find((r) => r.accountId === ALICE)?.error ?? '', /deniedAccounts/);
    const payments = out.results.find((r) => r.accountId === PAYMENTS)!;
    assert.equal(payments.listing?.password.present, true);
    assert.deepEqual(payments.listing?.accessKeys.map((k) => k.id), ['AKIAPAYMENTSROOTKEY1']);
    assert.match(out.results.find((r) => r.accountId === NETWORK_HUB)?.error ?? '', /aws-guardrails-restrict-root-user/);
    const assumeRoots = await suite.control.requests({ operation: 'AssumeRoot' });
    assert.equal(assumeRoots.length, active().length - 2);
    assert.ok(!assumeRoots.some((r) => targetOf(r) === ALICE || targetOf(r) === NETWORK_HUB), 'no session in the denied or blocked account');
    const intents = events.filter((e) => e.kind === 'intent');
    assert.equal(intents.length, assumeRoots.length, 'an intent before every AssumeRoot');
    assert.equal(new Set(intents.map((e) => e.taskId)).size, intents.length, 'each account its own task');
    assert.equal(env.findings.get(PAYMENTS)?.root?.password, true, 'the tree shows the result');
  });

  it('delete: the person sees each account\'s plan; skipped stays, confirmed is deleted and verified empty', async () => {
    const { env, who } = setup();
    const plans: Array<[string, string[]]> = [];
    const answers: Record<string, DeleteChoice> = { [PAYMENTS]: 'skip', [DATALAKE]: 'delete' };
    const person = { ...who.person, confirmPlan: async (a: OrgAccount, items: string[]) => (plans.push([a.id, items]), answers[a.id]) };
    const out = await deleteRootCredentials(env, person, quietProgress(), [account(PAYMENTS), account(DATALAKE)]);
    assert.deepEqual(out.accounts.map((a) => [a.accountId, a.outcome]), [[PAYMENTS, 'skipped'], [DATALAKE, 'deleted']]);
    assert.ok(plans.find(([id]) => id === DATALAKE)![1].some((i) => /AKIADATALAKEROOTKEY1/.test(i)), 'the plan names each credential');
    const datalake = (await suite.control.account(DATALAKE)).root;
    assert.deepEqual([datalake.accessKeys.length, datalake.signingCertificates.length, datalake.password], [0, 0, null]);
    const payments = (await suite.control.account(PAYMENTS)).root;
    assert.equal(payments.accessKeys.length, 1, 'the skipped account keeps its credentials');
  });

  it('recovery: declined changes nothing; confirmed creates a login profile without a password', async () => {
    const declined = setup();
    const no = await allowRootPasswordRecovery(declined.env, { ...declined.who.person, confirmRecovery: async () => false }, account(ALICE))
      .then(() => undefined, (err: unknown) => err);
    assert.ok(isCancellation(no), 'declining cancels');
    assert.equal((await suite.control.account(ALICE)).root.password, null);
    assert.deepEqual(declined.events.filter((e) => e.kind === 'decision').map((e) => e.outcome), ['cancelled']);

    const confirmed = setup();
    const yes = await allowRootPasswordRecovery(confirmed.env, { ...confirmed.who.person, confirmRecovery: async () => true }, account(ALICE));
    assert.equal(yes.outcome, 'enabled');
    assert.notEqual((await suite.control.account(ALICE)).root.password, null);
    assert.equal(confirmed.env.findings.get(ALICE)?.root?.password, true);
  });
  it('audit: cut short, resumed from its progress record — every account audited once, results of the first part kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulk-audit-'));
    try {
      const { env } = setup();
      const store = createBulkStore(dir);
      const kill = new AbortController();
      const first = await auditRootCredentials({ ...env, concurrency: 1, progressStore: store }, scriptedPerson().person,
        quietProgress(kill.signal, (done) => { if (done >= 3) kill.abort(); }), { accounts: active(), inactive: [], label: 'the organization' });
      assert.ok(first.notAudited.length > 0, 'the audit was cut short');
      const firstSessions = (await suite.control.requests({ operation: 'AssumeRoot' })).map(targetOf);
      const [journal] = await createBulkStore(dir).unfinished();
      assert.equal(journal!.record.kind, 'credentialsAudit');
      assert.equal(journal!.done().size, first.results.length);
      assert.ok(first.results.every((r) => env.results.report().rows.some((row) => row.accountId === r.accountId)), 'the first part is in the report already');
      await suite.control.clearRequests();
      const doneFirst = new Set(journal!.done().keys());
      const pending = journal!.pending().map(account);
      const second = await auditRootCredentials({ ...env, progressStore: store }, scriptedPerson().person, quietProgress(), { accounts: pending, inactive: [], resume: journal });
      assert.deepEqual(second.notAudited, []);
      const secondSessions = (await suite.control.requests({ operation: 'AssumeRoot' })).map(targetOf);
      assert.deepEqual(secondSessions.filter((a) => a && doneFirst.has(a)), [], 'no account finished in the first part is sessioned again');
      assert.ok(firstSessions.length > 0);
      assert.deepEqual([...first.results, ...second.results].map((r) => r.accountId).sort(), active().map((a) => a.id).sort(), 'every account audited exactly once');
      assert.deepEqual(await store.unfinished(), [], 'the record is gone once every account is done');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('delete: cut short, resumed from its progress record — each account\'s credentials deleted once, the first part\'s results kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulk-delete-'));
    const credentialsOf = async (id: string) => {
      const r = (await suite.control.account(id)).root;
      return [...(r.password ? ['password'] : []), ...r.accessKeys.map((k) => k.accessKeyId), ...r.signingCertificates.map((c) => c.certificateId), ...r.mfaDevices.map((m) => m.serialNumber)];
    };
    // The credential writes each run made, per member account (the caller of a root session's calls).
    const writesPerAccount = async () => {
      const out = new Map<string, string[]>();
      for (const e of await suite.control.requests({ service: 'iam', outcome: 'success' })) {
        if (!/^(Delete|Deactivate)/.test(e.operation) || !e.accountId) continue;
        out.set(e.accountId, [...(out.get(e.accountId) ?? []), e.operation]);
      }
      return out;
    };
    try {
      const { env, who } = setup();
      const accounts = active();
      const held = new Map(await Promise.all(accounts.map(async (a) => [a.id, await credentialsOf(a.id)] as const)));
      assert.ok([...held.values()].filter((c) => c.length).length >= 3, 'several accounts have root credentials to delete');
      const store = createBulkStore(dir);
      const stop = new AbortController();
      await suite.control.clearRequests();
      const first = await deleteRootCredentials({ ...env, concurrency: 1, progressStore: store }, who.person,
        quietProgress(stop.signal, (done) => { if (done >= 2) stop.abort(); }), accounts, { label: 'the organization' });
      const firstDone = first.accounts.filter((o) => o.outcome !== 'cancelled');
      assert.ok(firstDone.length >= 2 && first.counts.cancelled > 0, `cut short after ${firstDone.length} accounts`);
      const firstWrites = await writesPerAccount();

      const [journal, ...others] = await createBulkStore(dir).unfinished();
      assert.ok(journal && !others.length);
      assert.equal(journal.record.kind, 'credentialsDelete');
      assert.deepEqual([...journal.done().keys()].sort(), firstDone.map((o) => o.accountId).sort(), 'the record holds exactly the accounts finished');
      const reported = () => new Map(env.results.report().rows.map((row) => [row.accountId, row]));
      const keptFirst = firstDone.filter((o) => o.outcome === 'deleted' || o.outcome === 'nothing-to-delete').map((o) => o.accountId);
      assert.ok(keptFirst.every((id) => reported().has(id)), 'the finished accounts are in the report');

      await suite.control.clearRequests();
      const second = await deleteRootCredentials({ ...env, progressStore: store }, who.person, quietProgress(), journal.pending().map(account), { resume: journal });
      assert.equal(second.counts.cancelled, 0);
      assert.ok(first.counts.deleted > 0 && second.counts.deleted > 0, 'each run deleted credentials');
      const secondWrites = await writesPerAccount();

      assert.deepEqual([...secondWrites.keys()].filter((id) => firstWrites.has(id)), [], 'no account\'s credentials are deleted in both runs');
      assert.deepEqual([...firstDone, ...second.accounts].map((o) => o.accountId).sort(), accounts.map((a) => a.id).sort(), 'every account done exactly once');
      for (const o of [...firstDone, ...second.accounts]) {
        const had = held.get(o.accountId)!;
        const writes = [...(firstWrites.get(o.accountId) ?? []), ...(secondWrites.get(o.accountId) ?? [])];
        if (o.outcome === 'deleted') {
          assert.deepEqual(await credentialsOf(o.accountId), [], `${o.accountId}: nothing left`);
          // One delete per credential (a virtual MFA device is deactivated, then deleted).
          assert.equal(writes.filter((w) => w !== 'DeleteVirtualMFADevice').length, had.length, `${o.accountId}: each credential deleted once`);
        } else {
          assert.equal(writes.length, 0, `${o.accountId} (${o.outcome}): nothing deleted`);
        }
      }
      assert.ok(keptFirst.every((id) => reported().has(id)), 'the first part\'s results are still in the report after the resume');
      assert.deepEqual(await store.unfinished(), [], 'the record is gone once every account is done');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
