// Two people for root in the real extension host against the sandbox: the unlock command saves
// the reviewed change as a request, a second person's ssh-keygen key approves it through the
// Approve command, Run applies it (sandbox state checked); the same kind of request edited after
// approval is refused before any AssumeRoot; break-glass acknowledged by a real HTTPS receiver.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { canonicalRequest, parseRequest } from '../../src/core/approval/request';
import { sha256Hex } from '../../src/core/audit/hash';
import type { UnlockResult } from '../../src/flows/unlock';
import { makeKeyring, type TestKeyring } from '../support/sshKeys';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver';
import { WHY, policyOf, unlockHarness, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';
const DENY_ALL = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${RECEIPTS}`, `arn:aws:s3:::${RECEIPTS}/*`] };
const CI_READ = { Sid: 'CiRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::330000000001:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${RECEIPTS}/*` };

describe('approvals: request, approve with a second key, run (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;
  let ring: TestKeyring;
  let dir: string;

  before(async () => {
    h = await unlockHarness();
    ring = makeKeyring({ bob: { principal: 'bob@example.com', type: 'ed25519', allowed: true } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-task-requests-'));
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
    await h.setSetting('approvals.required', 1);
    await h.setSetting('approvals.allowedSignersFile', ring.allowedSigners);
  });
  afterEach(async () => {
    await h.resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(h.api.rootTasks.sessions.size, 0, 'a root session outlived its task');
  });
  after(() => {
    h?.dispose();
    ring?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const saveRequest = async (name: string): Promise<string> => {
    await h.control.setBucketPolicy(PAYMENTS, RECEIPTS, JSON.stringify({ Version: '2012-10-17', Statement: [CI_READ, DENY_ALL] }));
    const file = path.join(dir, `${name}.roottask.json`);
    const result = await vscode.commands.executeCommand<UnlockResult & { requestFile?: string }>('rootTasks.unlockBucketPolicy',
      { ...WHY, accountId: PAYMENTS, bucket: RECEIPTS, decision: 'request', requestFile: file });
    assert.equal(result?.outcome, 'requested', `${h.errors()}\n${h.logErrors()}`);
    assert.equal(result?.requestFile, file);
    return file;
  };
  const approve = (file: string) => vscode.commands.executeCommand<{ signatureFile: string; signer?: string }>('rootTasks.approveRequest', { file, keyFile: ring.keys.bob!.file });

  it('request saved, approved with a second key, run: the approved policy is in the sandbox', async () => {
    const file = await saveRequest('receipts');
    assert.ok(!(await h.rootCalls()).some((c) => c.operation.startsWith('Put')), 'making the request wrote nothing');
    assert.ok(h.kinds().includes('approval.requested'));

    const approval = await approve(file);
    assert.equal(approval?.signer, 'bob@example.com', h.logErrors());
    assert.ok(fs.existsSync(approval!.signatureFile));

    await h.control.clearRequests();
    h.events.length = 0;
    const ran = await vscode.commands.executeCommand<{ outcome: string }>('rootTasks.runRequest', { file });
    assert.equal(ran?.outcome, 'applied', `${h.errors()}\n${h.logErrors()}`);
    assert.deepEqual(policyOf(await h.control.account(PAYMENTS), RECEIPTS), { Version: '2012-10-17', Statement: [CI_READ] });
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'ListBuckets', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
    const verified = h.events.find((e) => e.kind === 'approval.verified');
    assert.equal(verified?.signer, 'bob@example.com');
    assert.match(verified?.keyFingerprint ?? '', /^SHA256:/);

    await h.control.clearRequests();
    assert.equal(await vscode.commands.executeCommand('rootTasks.runRequest', { file }), undefined, 'a second run fails');
    assert.deepEqual(await h.rootCalls(), [], 'no AssumeRoot for a used request');
  });

  it('credentials: Request Root Credential Deletion names each credential; approved with a second key and run, they are gone', async () => {
    const DATALAKE = '320000000003';
    const file = path.join(dir, 'datalake-credentials.roottask.json');
    const made = await vscode.commands.executeCommand<{ requestFile: string }>('rootTasks.requestRootCredentialDeletion', { ...WHY, accountIds: [DATALAKE], requestFile: file });
    assert.equal(made?.requestFile, file, `${h.errors()}\n${h.logErrors()}`);
    const request = parseRequest(fs.readFileSync(file, 'utf8')).request;
    assert.ok(request.credentials?.accessKeyIds.includes('AKIADATALAKEROOTKEY1'), JSON.stringify(request.credentials));
    assert.ok((await h.control.account(DATALAKE)).root.accessKeys.length > 0, 'making the request deleted nothing');
    await approve(file);
    const ran = await vscode.commands.executeCommand<{ outcome: string }>('rootTasks.runRequest', { file });
    assert.equal(ran?.outcome, 'deleted', `${h.errors()}\n${h.logErrors()}`);
    const root = (await h.control.account(DATALAKE)).root;
    assert.deepEqual([root.accessKeys.length, root.signingCertificates.length, root.password], [0, 0, null]);
  });

  it('a request file shows CodeLens Review / Approve / Run; Review opens the same diff, read-only on both sides', async () => {
    const file = await saveRequest('lenses');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((l) => l.command?.command.startsWith('rootTasks.'));
    assert.deepEqual(ours.map((l) => [l.command!.title, l.command!.command]), [
      ['Review', 'rootTasks.reviewRequest'], ['Approve', 'rootTasks.approveRequest'], ['Run', 'rootTasks.runRequest'],
    ]);
    await vscode.commands.executeCommand('rootTasks.reviewRequest', uri);
    const tab = await until('the review diff opens', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff), (t) => !!t, 10_000);
    const input = tab!.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'root-tasks-policy');
    assert.equal(input.modified.scheme, 'root-tasks-policy', 'the approver cannot edit what is approved');
    const request = parseRequest(fs.readFileSync(file, 'utf8')).request;
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), request.policy!.document);
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), request.policy!.before);
  });

  it('the same request edited after approval is refused before any AssumeRoot, and the log says why', async () => {
    const file = await saveRequest('edited');
    await approve(file);
    const parsed = parseRequest(fs.readFileSync(file, 'utf8'));
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ ...CI_READ, Principal: '*' }] });
    fs.writeFileSync(file, canonicalRequest({ ...parsed.request, policy: { ...parsed.request.policy!, document, afterSha256: sha256Hex(document) } }));

    await h.control.clearRequests();
    h.events.length = 0;
    assert.equal(await vscode.commands.executeCommand('rootTasks.runRequest', { file }), undefined);
    assert.deepEqual(await h.rootCalls(), [], 'no AssumeRoot');
    const voided = h.events.find((e) => e.kind === 'approval.voided');
    assert.match(voided?.error ?? '', /edited after it was approved/);
    assert.ok(!h.kinds().includes('intent'));
    assert.match(JSON.stringify((await h.control.account(PAYMENTS)).buckets.find((b) => b.name === RECEIPTS)?.policy), /DenyEveryone/);
  });
});

describe('break-glass (host, sandbox, a real HTTPS receiver as the audit sink)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;
  let receiver: WebhookReceiver;

  before(async () => {
    h = await unlockHarness();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    receiver = await startWebhookReceiver({ secrets: [secret] });
    await vscode.commands.executeCommand('rootTasks.setAuditSinkSecret', { action: 'set', secret });
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
  });
  afterEach(async () => {
    await h.resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await vscode.commands.executeCommand('rootTasks.setAuditSinkSecret', { action: 'remove' });
    await receiver?.close();
    h?.dispose();
  });

  it('with approvals required, breaking glass is recorded high-severity, acknowledged by the receiver, then the unlock runs', async () => {
    await h.setSetting('approvals.required', 1);
    await h.setSetting('audit.caFile', receiver.caFile);
    await h.setSetting('audit.sinkUrl', receiver.url);
    // The sink is set up asynchronously after the setting changes: its first delivery says it is.
    await until('the audit sink delivers', () => receiver.events().length, (n) => n > 0, 20_000);
    await h.control.setBucketPolicy(PAYMENTS, RECEIPTS, JSON.stringify({ Version: '2012-10-17', Statement: [CI_READ, DENY_ALL] }));
    const reason = 'payments are down and no approver answers';
    const result = await vscode.commands.executeCommand<UnlockResult>('rootTasks.unlockBucketPolicy', { ...WHY, accountId: PAYMENTS, bucket: RECEIPTS, decision: 'apply', breakGlass: reason });
    assert.equal(result?.outcome, 'applied', `${h.errors()}\n${h.logErrors()}`);
    assert.deepEqual(policyOf(await h.control.account(PAYMENTS), RECEIPTS), { Version: '2012-10-17', Statement: [CI_READ] });
    const notice = receiver.events().find((e) => e.kind === 'breakGlass' && e.justification === reason);
    assert.ok(notice, 'the receiver acknowledged the break-glass notice before AssumeRoot');
    assert.deepEqual(notice.detail, { severity: 'high', notice: 'break-glass', approvalsRequired: 1 });
    const kinds = h.kinds();
    assert.ok(kinds.indexOf('breakGlass') < kinds.indexOf('intent') && kinds.indexOf('intent') < kinds.indexOf('assumeRoot.granted'), kinds.join(' '));
  });

  it('without an audit sink, break-glass is refused before any AssumeRoot', async () => {
    await h.setSetting('approvals.required', 1);
    const result = await vscode.commands.executeCommand('rootTasks.unlockBucketPolicy', { ...WHY, accountId: PAYMENTS, bucket: RECEIPTS, decision: 'apply', breakGlass: 'payments are down and no approver answers' });
    assert.equal(result, undefined);
    assert.deepEqual(await h.rootCalls(), []);
    assert.ok(h.events.some((e) => e.kind === 'guardrail.refused' && e.detail?.reason === 'strictAckWithoutSink'), h.kinds().join(' '));
  });
});
