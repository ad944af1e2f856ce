// The root-credential flows in the real extension host against the sandbox's sample organization:
// audit an OU (report view + CSV/JSON export), delete one account's credentials, allow password
// recovery, and a bulk delete in which one account fails. Each test ends with the sandbox state.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditOutcome } from '../../src/flows/credentials/audit';
import type { DeleteOutcome } from '../../src/flows/credentials/delete';
import type { ExportResult } from '../../src/commands/rootCredentials/reportExport';
import type { AccountState } from '../sandbox/controlClient';
import { WHY, unlockHarness, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const STOREFRONT = '320000000002';
const DATA_LAKE = '320000000003';
const LOG_ARCHIVE = '310000000002';
const SANDBOX_BOB = '340000000002';
const LEGACY_SUSPENDED = '350000000001';
const AUDIT_ARN = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';
const DELETE_ARN = 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials';

const rootArn = (id: string) => `arn:aws:iam::${id}:root`;
const run = <T>(command: string, args: object) => vscode.commands.executeCommand<T | undefined>(command, { ...WHY, ...args });

/** What the sandbox says the root user has, in the shape the listing uses. */
function rootOf(a: AccountState) {
  return {
    password: a.root.password !== null,
    accessKeys: a.root.accessKeys.map((k) => k.accessKeyId),
    signingCertificates: a.root.signingCertificates.map((c) => c.certificateId),
    mfaDevices: a.root.mfaDevices.map((m) => m.serialNumber),
  };
}

describe('root user credentials (host, sandbox)', function () {
  this.timeout(90_000);
  let h: UnlockHarness;
  const written: string[] = [];

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(h.api.rootTasks.sessions.size, 0, 'a root session outlived its task');
  });
  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await h?.control.reset();
    h?.dispose();
  });

  it('audits an OU: one audit session per account, results equal the sandbox state, report shown and exported', async () => {
    const { ous } = await h.control.state();
    const ou = ous.find((o) => o.name === 'Prod' && ous.find((p) => p.id === o.parentId)?.name === 'Workloads');
    assert.ok(ou, 'the sample org has a Workloads / Prod OU');
    const outcome = await run<AuditOutcome>('rootTasks.auditRootCredentials', { ouId: ou.id });
    assert.ok(outcome, `the audit failed: ${h.errors()}`);
    assert.deepEqual(outcome.results.map((r) => r.accountId).sort(), [PAYMENTS, STOREFRONT, DATA_LAKE]);
    for (const r of outcome.results) {
      assert.equal(r.error, undefined, `${r.accountId}: ${r.error}`);
      const l = r.listing!;
      const listed = {
        password: l.password.present,
        accessKeys: l.accessKeys.map((k) => k.id),
        signingCertificates: l.signingCertificates.map((c) => c.id),
        mfaDevices: l.mfaDevices.map((m) => m.serialNumber),
      };
      assert.deepEqual(listed, rootOf(await h.control.account(r.accountId)), r.accountId);
    }
    assert.deepEqual(outcome.summary, {
      accounts: 3, audited: 3, errors: 0, clean: 1, withAnyCredential: 2,
      withPassword: 1, withAccessKeys: 2, withSigningCertificates: 1, withMfa: 1,
    });

    const assumed = (await h.rootCalls()).filter((c) => c.operation === 'AssumeRoot');
    assert.deepEqual(assumed.map((c) => c.target).sort(), [PAYMENTS, STOREFRONT, DATA_LAKE].sort().map(rootArn));
    assert.deepEqual(assumed.map((c) => c.detail?.taskPolicyArn), [AUDIT_ARN, AUDIT_ARN, AUDIT_ARN]);
    const writes = (await h.rootCalls()).filter((c) => /^(Delete|Create|Deactivate|Update)/.test(c.operation));
    assert.deepEqual(writes, [], 'an audit writes nothing');
    assert.equal(h.events.filter((e) => e.kind === 'intent').length, 3);
    assert.equal(h.events.filter((e) => e.kind === 'session.ended' && e.outcome === 'ok').length, 3);
    assert.equal(h.api.rootTasks.findings.get(DATA_LAKE)?.root?.accessKeys, 1);

    const shown = await vscode.commands.executeCommand<{ html: string }>('rootTasks.showRootCredentialReport');
    await until('the report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs), (tabs) =>
      tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Root Credential Report'));
    assert.match(shown.html, /Data Lake Prod/);
    assert.match(shown.html, /AKIADATALAKEROOTKEY1/);

    const csvPath = path.join(os.tmpdir(), `root-report-${process.pid}.csv`);
    const jsonPath = path.join(os.tmpdir(), `root-report-${process.pid}.json`);
    written.push(csvPath, jsonPath);
    const csv = await vscode.commands.executeCommand<ExportResult>('rootTasks.exportRootCredentialReport', { format: 'csv', outputPath: csvPath });
    assert.deepEqual(csv, { path: csvPath, format: 'csv', accounts: 3 });
    const lines = fs.readFileSync(csvPath, 'utf8').split('\r\n');
    assert.match(lines[0], /^accountId,accountName,path,status,password,accessKeys/);
    assert.match(lines.find((l) => l.startsWith(DATA_LAKE)) ?? '', /,Data Lake Prod,.*,has-credentials,no,1,1,AKIADATALAKEROOTKEY1,/);
    assert.match(lines.find((l) => l.startsWith(STOREFRONT)) ?? '', /,clean,no,0,0,/);
    await vscode.commands.executeCommand('rootTasks.exportRootCredentialReport', { format: 'json', outputPath: jsonPath });
    const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    assert.equal(json.summary.withAnyCredential, 2);
    assert.equal(json.accounts.find((a: { accountId: string }) => a.accountId === PAYMENTS).listing.accessKeys[0].lastUsed.service, 's3');
  });

  it('deletes one account\'s root credentials: listed, deleted, re-listed and verified', async () => {
    const before = rootOf(await h.control.account(DATA_LAKE));
    assert.deepEqual(before, { password: false, accessKeys: ['AKIADATALAKEROOTKEY1'], signingCertificates: ['DATALAKEROOTSIGNINGCERT0000001'], mfaDevices: [] });
    const outcome = await run<DeleteOutcome>('rootTasks.deleteRootCredentials', { accountIds: [DATA_LAKE], confirm: true });
    assert.ok(outcome, `the delete failed: ${h.errors()}`);
    assert.equal(outcome.accounts[0].outcome, 'deleted');
    assert.deepEqual(outcome.accounts[0].remaining, []);
    assert.deepEqual(rootOf(await h.control.account(DATA_LAKE)), { password: false, accessKeys: [], signingCertificates: [], mfaDevices: [] });

    const calls = (await h.rootCalls()).map((c) => c.operation);
    assert.deepEqual(calls.filter((op) => op.startsWith('Delete')), ['DeleteAccessKey', 'DeleteSigningCertificate']);
    assert.ok(!calls.includes('GetAccountSummary'), 'the delete task does not call what its policy denies');
    assert.deepEqual(h.kinds().filter((k) => ['preview.shown', 'decision', 'verify'].includes(k)), ['preview.shown', 'decision', 'verify']);
    assert.equal(h.events.find((e) => e.kind === 'verify')?.outcome, 'ok');
    assert.equal(h.events.find((e) => e.kind === 'intent')?.task, 'IAMDeleteRootUserCredentials');
    assert.equal(h.api.rootTasks.findings.get(DATA_LAKE)?.root?.accessKeys, 0);
    assert.deepEqual((await h.rootCalls()).filter((c) => c.operation === 'AssumeRoot').map((c) => c.detail?.taskPolicyArn), [DELETE_ARN]);
  });

  it('allows password recovery only where the root user has no password', async () => {
    const outcome = await run<{ outcome: string; accountId: string }>('rootTasks.allowRootPasswordRecovery', { accountId: STOREFRONT, confirm: true });
    assert.deepEqual(outcome && { outcome: outcome.outcome, accountId: outcome.accountId }, { outcome: 'enabled', accountId: STOREFRONT }, h.errors());
    const password = (await h.control.account(STOREFRONT)).root.password;
    assert.ok(password, 'a login profile exists');
    assert.equal(password.passwordSet, false, 'no password was set');
    // What the person reads: recovery enabled, not a password (and not a root credential).
    const status = h.api.explorer.findings.get(STOREFRONT)?.root;
    assert.ok(status?.passwordRecovery, 'the tree knows the login profile has no password');
    const account = h.api.explorer.tree.accountNode(STOREFRONT);
    assert.ok(account);
    const [rootRow] = await h.api.explorer.tree.getChildren(account);
    const item = h.api.explorer.tree.getTreeItem(rootRow);
    assert.match(String(item.description), /^password recovery enabled/);
    assert.doesNotMatch(String(item.description), /^password(,|$)/);
    // A later audit sees the same login profile: still recovery-only, the report says so.
    const audit = await run<AuditOutcome>('rootTasks.auditRootCredentials', { accountIds: [STOREFRONT] });
    assert.equal(audit?.results[0]?.listing?.password.recoveryOnly, true, h.errors());
    assert.equal(audit?.summary.withPassword, 0, 'a login profile without a password is not counted as a password');
    const [again] = await h.api.explorer.tree.getChildren(account);
    assert.match(String(h.api.explorer.tree.getTreeItem(again).description), /^password recovery enabled/);

    await h.control.clearRequests();
    const bobBefore = (await h.control.account(SANDBOX_BOB)).root.password;
    const refused = await run<{ outcome: string }>('rootTasks.allowRootPasswordRecovery', { accountId: SANDBOX_BOB, confirm: true });
    assert.equal(refused?.outcome, 'has-password');
    assert.deepEqual((await h.control.account(SANDBOX_BOB)).root.password, bobBefore);
    assert.ok(!(await h.rootCalls()).some((c) => c.operation === 'CreateLoginProfile'), 'nothing was written');
  });

  it('bulk delete: failing accounts are reported, the others are still deleted and verified', async () => {
    // Two ways to fail: a suspended account (AssumeRoot refused) and an injected permanent 5xx on
    // everything that targets one account's root user (the SDK retries, then gives up).
    await h.control.faults({ failTargets: [rootArn(PAYMENTS)] });
    const outcome = await run<DeleteOutcome>('rootTasks.deleteRootCredentials', { accountIds: [SANDBOX_BOB, LEGACY_SUSPENDED, PAYMENTS, LOG_ARCHIVE], confirm: true });
    assert.ok(outcome, `the bulk delete failed as a whole: ${h.errors()}`);
    const by = Object.fromEntries(outcome.accounts.map((a) => [a.accountId, a]));
    assert.equal(by[SANDBOX_BOB].outcome, 'deleted');
    assert.equal(by[LOG_ARCHIVE].outcome, 'deleted');
    assert.equal(by[LEGACY_SUSPENDED].outcome, 'failed');
    assert.match(by[LEGACY_SUSPENDED].error ?? '', /AssumeRoot|suspend|not active|denied/i);
    assert.equal(by[PAYMENTS].outcome, 'failed');
    assert.match(by[PAYMENTS].error ?? '', /InternalFailure|ServiceFailure|Injected/i);
    assert.deepEqual(outcome.counts, { deleted: 2, 'nothing-to-delete': 0, skipped: 0, incomplete: 0, failed: 2, cancelled: 0 });

    assert.deepEqual(rootOf(await h.control.account(SANDBOX_BOB)), { password: false, accessKeys: [], signingCertificates: [], mfaDevices: [] });
    const archive = await h.control.account(LOG_ARCHIVE);
    assert.deepEqual(rootOf(archive), { password: false, accessKeys: [], signingCertificates: [], mfaDevices: [] });
    assert.ok(!archive.virtualMfaDevices.some((d) => d.serialNumber.endsWith(':mfa/root-account-mfa-device')), 'the virtual MFA device is deleted too');
    assert.equal(rootOf(await h.control.account(LEGACY_SUSPENDED)).accessKeys.length, 2, 'the suspended account is untouched');
    assert.deepEqual(rootOf(await h.control.account(PAYMENTS)).accessKeys, ['AKIAPAYMENTSROOTKEY1'], 'the failing account is untouched');
    for (const id of [LEGACY_SUSPENDED, PAYMENTS]) assert.ok(h.events.some((e) => e.accountId === id && e.kind === 'assumeRoot.failed'), id);
  });
});
