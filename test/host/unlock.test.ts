// The unlock flows in the real extension host against the sandbox's sample organization: each
// test drives the command (arguments instead of prompts where a person would click, the real
// editor-title actions where the diff is open) and ends with the sandbox's own state.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { UnlockResult } from '../../src/flows/unlock';
import { watchInputBoxes } from './support/prompts';
import { WHY, policyDiffTab, policyOf, queuePolicyOf, unlockHarness, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const STOREFRONT = '320000000002';
const RECEIPTS = 'acme-payments-prod-receipts';
const ASSETS = 'acme-storefront-prod-assets';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const DENY_ALL = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${RECEIPTS}`, `arn:aws:s3:::${RECEIPTS}/*`] };
const CI_READ = { Sid: 'CiRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::330000000001:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${RECEIPTS}/*` };
const MIXED = JSON.stringify({ Version: '2012-10-17', Statement: [CI_READ, DENY_ALL] });

const unlockBucket = (args: object) => vscode.commands.executeCommand<UnlockResult | undefined>('rootTasks.unlockBucketPolicy', { ...WHY, ...args });
const unlockQueue = (args: object) => vscode.commands.executeCommand<UnlockResult | undefined>('rootTasks.unlockQueuePolicy', { ...WHY, ...args });

describe('unlock S3 and SQS policies (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
  });
  afterEach(async () => {
    await h.resetSettings();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(h.api.rootTasks.sessions.size, 0, 'a root session outlived its task');
  });
  after(() => h?.dispose());

  it('fixes a locked bucket policy: locking statement removed, the rest kept, verified, in 5 calls', async () => {
    await h.control.setBucketPolicy(PAYMENTS, RECEIPTS, MIXED);
    await h.control.clearRequests();
    const result = await unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'apply' });
    assert.deepEqual(result, { outcome: 'applied', accountId: PAYMENTS, resource: `arn:aws:s3:::${RECEIPTS}`, identical: true }, h.errors());

    assert.deepEqual(policyOf(await h.control.account(PAYMENTS), RECEIPTS), { Version: '2012-10-17', Statement: [CI_READ] });
    const calls = await h.rootCalls();
    assert.deepEqual(calls.map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
    assert.ok(calls.every((c) => c.outcome === 'success'));
    assert.deepEqual(h.kinds(), ['intent', 'assumeRoot.granted', 'aws.read', 'preview.shown', 'decision', 'aws.read', 'aws.write', 'aws.read', 'verify', 'session.ended']);
    const write = h.events.find((e) => e.kind === 'aws.write')!;
    assert.equal(write.beforeSha256, sha256(MIXED));
    assert.equal(write.before, MIXED);
    assert.match(write.afterSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(write.requestId, calls[3].requestId);
    assert.equal(h.events[0].justification, WHY.justification);
    assert.equal(h.events[0].ticket, WHY.ticket);
    const finding = h.api.rootTasks.findings.get(PAYMENTS)?.resources.find((r) => r.name === RECEIPTS);
    assert.equal(finding?.verdict, 'fine');
  });

  it('unlocks a bucket by deleting its policy', async () => {
    const result = await unlockBucket({ accountId: STOREFRONT, bucket: ASSETS, decision: 'delete' });
    assert.equal(result?.outcome, 'deleted', h.errors());
    assert.equal(policyOf(await h.control.account(STOREFRONT), ASSETS), null);
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicy']);
    assert.equal(h.events.find((e) => e.kind === 'decision')?.decision, 'delete');
  });

  it('unlocks a queue with an edited policy (SetQueueAttributes), in 5 calls', async () => {
    const queueUrl = `${h.endpoint}/${PAYMENTS}/payments-settlement`;
    const edited = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Settle', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PAYMENTS}:root` }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${PAYMENTS}:payments-settlement` }],
    }, null, 2);
    // A proposal from the arguments is shown in the diff and written only once the person applies it there.
    const running = unlockQueue({ accountId: PAYMENTS, queueUrl, decision: 'apply', proposedText: edited });
    await until('the diff preview', () => h.kinds().includes('preview.shown'), Boolean);
    assert.ok(vscode.workspace.textDocuments.some((d) => d.getText() === edited), 'the proposal from the arguments is in the diff');
    assert.ok(!(await h.rootCalls()).some((c) => c.operation === 'SetQueueAttributes'), 'written before the person applied it');
    await vscode.commands.executeCommand('rootTasks.applyPolicyEdit');
    const result = await running;
    assert.equal(result?.outcome, 'applied', h.errors());
    assert.deepEqual(queuePolicyOf(await h.control.account(PAYMENTS), 'payments-settlement'), JSON.parse(edited));
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetQueueAttributes', 'GetQueueAttributes', 'SetQueueAttributes', 'GetQueueAttributes']);
  });

  it('removes a queue policy with Policy = "" when delete is chosen', async () => {
    const queueUrl = `${h.endpoint}/${PAYMENTS}/payments-settlement`;
    const result = await unlockQueue({ accountId: PAYMENTS, queueUrl, decision: 'delete' });
    assert.equal(result?.outcome, 'deleted', h.errors());
    assert.equal(queuePolicyOf(await h.control.account(PAYMENTS), 'payments-settlement'), null);
  });

  it('works from tree nodes: a bucket node, and a queue node whose scan recorded no URL', async () => {
    const bucket = await unlockBucket({ target: { kind: 'bucket', accountId: STOREFRONT, bucket: ASSETS, region: 'us-east-1' }, decision: 'delete' });
    assert.equal(bucket?.outcome, 'deleted', h.errors());
    const queue = await unlockQueue({ target: { kind: 'queue', accountId: PAYMENTS, queue: 'payments-settlement', queueUrl: '', region: 'us-east-1' }, decision: 'delete' });
    assert.equal(queue?.outcome, 'deleted', h.errors());
    const [storefront, payments] = await Promise.all([h.control.account(STOREFRONT), h.control.account(PAYMENTS)]);
    assert.equal(policyOf(storefront, ASSETS), null);
    assert.equal(queuePolicyOf(payments, 'payments-settlement'), null);
  });

  it('refuses when the policy changed between preview and apply (interactive: the editor-title Apply)', async () => {
    const running = unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS });
    await until('the diff preview', () => h.kinds().includes('preview.shown'), Boolean);
    const underneath = { Version: '2012-10-17', Statement: [{ ...DENY_ALL, Sid: 'SomeoneElse' }] };
    await h.control.setBucketPolicy(PAYMENTS, RECEIPTS, underneath);
    await vscode.commands.executeCommand('rootTasks.applyPolicyEdit');
    assert.equal(await running, undefined, 'the command reported success');

    assert.match(h.errors(), /changed since the preview; nothing was written/);
    assert.deepEqual(policyOf(await h.control.account(PAYMENTS), RECEIPTS), underneath);
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy']);
    assert.equal(policyDiffTab(), undefined, 'the preview was left open');
  });

  it('a session that expires while the preview is open ends the task: nothing written', async () => {
    await h.setSetting('session.durationSeconds', 4);
    await h.setSetting('session.minRemainingSeconds', 0);
    const running = unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS });
    // Normally the preview opens well within the session; on a starved machine the session may
    // run out first, which must end the task the same way.
    await until('the diff preview', () => h.kinds().some((k) => k === 'preview.shown' || k === 'session.expired'), Boolean);
    assert.equal(await running, undefined);
    assert.ok(h.kinds().includes('session.expired'), h.kinds().join(','));
    assert.match(h.errors(), /expired before the task finished/);
    assert.ok(!(await h.rootCalls()).some((c) => c.operation === 'PutBucketPolicy' || c.operation === 'DeleteBucketPolicy'));
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS), 'the policy is still there');
  });

  it('refuses a write when less than the minimum session lifetime remains', async () => {
    await h.setSetting('session.durationSeconds', 20);
    await h.setSetting('session.minRemainingSeconds', 60);
    assert.equal(await unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete' }), undefined);
    assert.match(h.errors(), /of the root session remain .*nothing was written/);
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS));
    assert.ok(!(await h.rootCalls()).some((c) => c.operation === 'DeleteBucketPolicy'));
  });

  it('a protected resource is refused before any AssumeRoot', async () => {
    await h.setSetting('guardrails.protectedResources', ['arn:aws:s3:::acme-payments-*']);
    assert.equal(await unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete' }), undefined);
    assert.deepEqual(h.kinds(), ['guardrail.refused']);
    assert.match(h.errors(), /protected by rootTasks.guardrails.protectedResources/);
    assert.deepEqual(await h.rootCalls(), []);
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS));
  });

  it('refuses edits that do not parse, are not a policy, or still lock; the person may then fix or cancel', async () => {
    for (const [proposedText, message] of [
      ['{ "Version": "2012-10-17", "Statement": [', /not valid JSON/],
      ['["not", "a", "policy"]', /not a valid bucket policy|must be a JSON object/],
      [JSON.stringify({ Version: '2012-10-17', Statement: [DENY_ALL] }), /still locks/],
      // A raw control character is quoted visibly: the refusal is recorded and the task goes on.
      [`{ "Version": "2012-10-17",\u0000 "Statement": [] }`, /found '\\u0000'/],
    ] as const) {
      h.events.length = 0;
      const running = unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'apply', proposedText });
      await until('the diff preview', () => h.kinds().includes('preview.shown'), Boolean);
      await vscode.commands.executeCommand('rootTasks.applyPolicyEdit');
      const denied = await until('the refusal', () => h.events.find((e) => e.kind === 'decision' && e.outcome === 'denied'), Boolean);
      assert.match(denied!.error ?? '', message);
      await vscode.commands.executeCommand('rootTasks.cancelPolicyEdit');
      assert.equal(await running, undefined);
      assert.deepEqual(h.events.filter((e) => e.kind === 'decision').map((e) => e.outcome), ['denied', 'cancelled']);
    }
    assert.ok(!(await h.rootCalls()).some((c) => c.operation === 'PutBucketPolicy'));
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS));
  });

  it('cancel at the preview: nothing written, session dropped', async () => {
    assert.equal(await unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'cancel' }), undefined);
    assert.equal(h.events.find((e) => e.kind === 'decision')?.outcome, 'cancelled');
    assert.equal(h.events.at(-1)?.kind, 'session.ended');
    assert.equal(h.events.at(-1)?.outcome, 'cancelled');
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy']);
  });

  it('closing the diff editor cancels (interactive)', async () => {
    const running = unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS });
    await until('the diff preview', () => h.kinds().includes('preview.shown'), Boolean);
    assert.ok(policyDiffTab(), 'no diff editor is open');
    // What a person does: Ctrl+W on the diff (it is the active editor).
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(await running, undefined);
    assert.equal(h.events.at(-1)?.outcome, 'cancelled');
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS));
  });

  it('ending the session from the status bar command stops the task: nothing written', async () => {
    const running = unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS });
    await until('the diff preview', () => h.kinds().includes('preview.shown'), Boolean);
    assert.equal(h.api.rootTasks.sessions.size, 1);
    // The status bar click asks first (a modal the e2e tier answers); confirm: true is that answer.
    await vscode.commands.executeCommand('rootTasks.endRootSession', { confirm: true });
    assert.equal(await running, undefined);
    assert.match(h.errors(), /was ended before the task finished; nothing more was written/);
    const ended = h.events.find((e) => e.kind === 'session.ended');
    assert.equal(ended?.detail?.reason, 'endedByUser');
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy']);
    assert.equal(policyDiffTab(), undefined);
  });

  it('cancel at the justification prompt: no AssumeRoot at all', async () => {
    const prompts = watchInputBoxes();
    try {
      let ended = false;
      const running = vscode.commands.executeCommand('rootTasks.unlockBucketPolicy', { accountId: PAYMENTS, bucket: RECEIPTS });
      const end = () => (ended = true);
      Promise.resolve(running).then(end, end);
      await until('the justification prompt', () => prompts.titles(), (t) => t.length > 0);
      // What a person does: Escape. The box opens in the workbench a round trip after it was asked
      // for, so Escape again until the command has ended.
      await until('the command to end after Escape on the prompt', async () => {
        if (!ended) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        return ended;
      }, Boolean, { intervalMs: 100 });
      assert.equal(await running, undefined);
      assert.deepEqual(prompts.titles(), ['Root task: justification — S3 unlock of the bucket acme-payments-prod-receipts in account 3200-0000-0001'], 'asked for the justification only (naming task, resource and account), then stopped');
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(h.events, []);
    assert.deepEqual(await h.rootCalls(), []);
  });

  it('bad targets are refused before any AssumeRoot: invalid id, management account, outside the organization', async () => {
    const management = (await h.api.rootTasks.getIndex()).organization.managementAccountId;
    for (const [accountId, message] of [
      ['12345', /not an AWS account id/],
      [management, /is the management account/],
      ['999999999999', /is not a member of organization/],
    ] as const) {
      h.events.length = 0;
      assert.equal(await unlockBucket({ accountId, bucket: RECEIPTS, decision: 'delete' }), undefined);
      assert.match(h.errors(), message);
      assert.deepEqual(h.kinds(), ['guardrail.refused']);
    }
    assert.deepEqual(await h.rootCalls(), []);
  });

  it('AssumeRoot denied because RootSessions is off: a message that says so, nothing written', async () => {
    await h.control.organization({ rootSessions: false });
    assert.equal(await unlockBucket({ accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete' }), undefined);
    assert.match(h.errors(), /RootSessions feature/);
    assert.deepEqual(h.kinds(), ['intent', 'assumeRoot.failed']);
    assert.ok(policyOf(await h.control.account(PAYMENTS), RECEIPTS));
  });

  it('a bucket without a policy: "nothing to unlock", no write', async () => {
    const result = await unlockBucket({ accountId: '330000000001', bucket: 'acme-payments-dev-scratch', decision: 'apply' });
    assert.equal(result?.outcome, 'noPolicy', h.errors());
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy']);
  });
});
