// The unlock decision lives exactly as long as its task, in the real workbench: the diff editor's
// title actions and the decision line ("Apply will write this policy …") are there while the
// review can act, and gone — nothing clickable left — after Apply, Cancel, a refusal because the
// policy changed since the preview, the session expiring, and the person ending the session from
// the status bar (asked first, then told "ended by you", not a red error). The sample org's
// multi-statement bucket keeps its non-locking statements after Apply (sandbox state checked).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import { assertEveryRootSessionHadItsIntent } from './support/rootPath';
import {
  assertNoReviewLeft, assertReviewLive, decisionLine, proposalLines, reviewAction, setMachineSettings, startUnlock,
  waitForDecisionLine,
} from './support/review';
import { openViewContainer, openWorkbench, type Workbench } from './support/workbench';

const DEMO_ACCOUNT = '340000000002';
const FLOW_LOGS = 'acme-sandbox-flow-logs';
const ALERTS = 'sandbox-alerts';
const BUCKET_PICK = /Unlock bucket policy in 3400-0000-0002/;
const QUEUE_PICK = /Unlock queue policy in 3400-0000-0002/;

const toast = (page: Page, text: string | RegExp) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
const sids = (policy: string | null | undefined) => (JSON.parse(policy ?? '{"Statement":[]}') as { Statement: Array<{ Sid?: string }> }).Statement.map((s) => s.Sid);

describe('the unlock review lives exactly as long as its task', () => {
  let wb: Workbench;
  let control: SandboxControl;
  const flowLogsPolicy = async () => (await control.account(DEMO_ACCOUNT)).buckets.find((b) => b.name === FLOW_LOGS)?.policy;

  before(async () => {
    control = await freshSandbox();
    wb = await openWorkbench('review');
    await openViewContainer(wb.page, 'Root Tasks');
  });

  after(async () => {
    await wb?.close();
    await control?.reset();
  });

  it('Apply: the review says what Apply does now, follows an edit, and is gone after; the other statements are kept', async () => {
    const { page } = wb;
    await startUnlock(page, 'bucket', 'Sandbox Bob', BUCKET_PICK, FLOW_LOGS);
    await assertReviewLive(page);
    const line = await waitForDecisionLine(page, /^"?Apply will write this policy \(2 statements\)\. 1 locking statement removed, everything else kept\./);
    assert.doesNotMatch(line, /delete the policy/);
    await wb.screenshot('review-live');

    // Empty the proposal: the line now says Apply deletes the policy. Undo: back to writing it.
    await proposalLines(page).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await waitForDecisionLine(page, /Apply will delete the policy \(the proposal is empty\)/);
    await wb.screenshot('review-emptied-apply-deletes');
    await page.keyboard.press('Control+Z');
    await waitForDecisionLine(page, /Apply will write this policy \(2 statements\)/);

    await reviewAction(page, 'Apply Proposed Policy').first().click();
    await toast(page, `Unlocked the bucket ${FLOW_LOGS}`).waitFor({ timeout: 60_000 });
    await assertNoReviewLeft(page);
    await wb.screenshot('applied-nothing-left');
    assert.deepEqual(sids(await flowLogsPolicy()), ['AWSLogDeliveryWrite', 'SecurityToolingRead'], 'the sandbox kept the non-locking statements');
  });

  it('Cancel: nothing written, nothing left', async () => {
    const { page } = wb;
    await control.reset();
    await startUnlock(page, 'queue', 'Sandbox Bob', QUEUE_PICK, ALERTS);
    await assertReviewLive(page);
    await wb.screenshot('queue-review');
    await reviewAction(page, 'Cancel Policy Unlock').first().click();
    await assertNoReviewLeft(page);
    await wb.screenshot('cancelled-nothing-left');
    const queue = (await control.account(DEMO_ACCOUNT)).queues.find((q) => q.name === ALERTS);
    assert.match(queue?.policy ?? '', /DenyEveryone/, 'nothing was written');
  });

  it('changed since the preview: refused, and nothing is left that looks clickable', async () => {
    const { page } = wb;
    await control.reset();
    await startUnlock(page, 'bucket', 'Sandbox Bob', BUCKET_PICK, FLOW_LOGS);
    await assertReviewLive(page);
    const theirs = { Version: '2012-10-17', Statement: [{ Sid: 'SomeoneElsesFix', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEMO_ACCOUNT}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${FLOW_LOGS}/*` }] };
    await control.setBucketPolicy(DEMO_ACCOUNT, FLOW_LOGS, theirs);
    await reviewAction(page, 'Apply Proposed Policy').first().click();
    await toast(page, /changed since the preview/).waitFor({ timeout: 60_000 });
    await assertNoReviewLeft(page);
    await wb.screenshot('stale-refused-nothing-left');
    assert.deepEqual(sids(await flowLogsPolicy()), ['SomeoneElsesFix'], 'their change was not overwritten');
  });

  it('the session expires during the review: it closes by itself', async () => {
    const { page } = wb;
    await control.reset();
    const restore = await setMachineSettings(page, { 'rootTasks.session.durationSeconds': 25, 'rootTasks.session.minRemainingSeconds': 0 });
    try {
      await startUnlock(page, 'bucket', 'Sandbox Bob', BUCKET_PICK, FLOW_LOGS);
      await assertReviewLive(page);
      await wb.screenshot('review-before-expiry');
      await toast(page, /expired before the task finished/).waitFor({ timeout: 60_000 });
      await assertNoReviewLeft(page);
      await wb.screenshot('expired-nothing-left');
    } finally {
      await restore();
    }
    assert.match((await flowLogsPolicy()) ?? '', /DenyEveryone/, 'nothing was written');
  });

  it('ending the session from the status bar asks first, then says "ended by you" (not an error); nothing left', async () => {
    const { page } = wb;
    await control.reset();
    await startUnlock(page, 'bucket', 'Sandbox Bob', BUCKET_PICK, FLOW_LOGS);
    await assertReviewLive(page);
    const status = page.locator('.statusbar-item', { hasText: 'root · S3 unlock · 3400-0000-0002' });
    await status.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /End the root session of S3 unlock on account 3400-0000-0002 \(arn:aws:s3:::acme-sandbox-flow-logs\)\?/);
    await wb.screenshot('end-session-asks');
    await dialog.getByRole('button', { name: 'End Session', exact: true }).click();
    const ended = toast(page, /ended by you; nothing more was written/);
    await ended.waitFor({ timeout: 60_000 });
    assert.equal(await ended.locator('.codicon-error').count(), 0, 'told as news, not as an error');
    assert.equal(await ended.locator('.codicon-info').count(), 1);
    await assertNoReviewLeft(page);
    await wb.screenshot('ended-by-you-nothing-left');
    assert.equal(await decisionLine(page), '');
    assert.match((await flowLogsPolicy()) ?? '', /DenyEveryone/, 'nothing was written');
  });

  it('took every root session through one intent with its task id', async () => {
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0);
  });
});
