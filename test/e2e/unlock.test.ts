// Unlocking a locked bucket policy the way a person does it, in the real workbench: palette →
// account quick pick → justification → ticket → bucket (listed with the root session) → diff
// preview (screenshot) → Apply → verified. Ends with the bucket's policy read from the sandbox.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import {
  answer, assertNoReviewLeft, proposalLines, removedLines, reviewAction, runCommandStartingWith, waitForDecisionLine,
} from './support/review';
import { assertEveryRootSessionHadItsIntent } from './support/rootPath';
import { openViewContainer, openWorkbench, type Workbench } from './support/workbench';

const PAYMENTS = '320000000001';
const BUCKET = 'acme-payments-prod-receipts';
const DENY_ALL = { Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] };
const CI_READ = { Sid: 'CiRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::330000000001:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` };


describe('unlock an S3 bucket policy in the workbench', () => {
  let wb: Workbench;
  let control: SandboxControl;

  before(async () => {
    control = await freshSandbox();
    await control.setBucketPolicy(PAYMENTS, BUCKET, { Version: '2012-10-17', Statement: [CI_READ, DENY_ALL] });
    wb = await openWorkbench('unlock-bucket');
  });

  after(async () => {
    await wb?.close();
  });

  it('previews the fix as a diff, applies it on Apply, and the sandbox has the fixed policy', async () => {
    const { page } = wb;
    // The extension's contributions are there once its container shows in the activity bar.
    await openViewContainer(page, 'Root Tasks');
    await runCommandStartingWith(page, 'Root Tasks: Unlock S3 Bucket Policy');
    await answer(page, /choose the member account/, 'Payments Prod', 'Payments Prod');
    await answer(page, /justification/, 'Receipts bucket locked by a bad deploy, payments failing');
    await answer(page, /ticket/, 'INC-2041');
    await answer(page, /Unlock bucket policy in 3200-0000-0001/, BUCKET, BUCKET);

    const diff = page.locator('.monaco-diff-editor');
    await diff.waitFor({ timeout: 60_000 });
    // The removed statement shows on the original side; the kept one is unchanged context.
    await removedLines(page, 'DenyEveryone').waitFor({ timeout: 30_000 });
    await proposalLines(page).filter({ hasText: 'CiRead' }).waitFor({ timeout: 30_000 });
    const status = page.locator('.statusbar-item', { hasText: 'root · S3 unlock · 3200-0000-0001' });
    await status.waitFor({ timeout: 10_000 });
    assert.match(await status.innerText(), /\d+:\d\d left/);
    await wb.screenshot('diff-preview');

    // The decision is in the review itself: the line says what Apply will do, the title bar acts.
    await waitForDecisionLine(page, /Apply will write this policy \(1 statement\)\. 1 locking statement removed, everything else kept\./);
    await reviewAction(page, 'Apply Proposed Policy').first().click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: `Unlocked the bucket ${BUCKET}` }).waitFor({ timeout: 60_000 });
    await assertNoReviewLeft(page);
    await status.waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.screenshot('unlocked');

    const account = await control.account(PAYMENTS);
    const policy = account.buckets.find((b) => b.name === BUCKET)?.policy;
    assert.deepEqual(JSON.parse(policy ?? 'null'), { Version: '2012-10-17', Statement: [CI_READ] });
    const calls = (await control.requests()).filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session');
    assert.deepEqual(calls.map((c) => c.operation), ['AssumeRoot', 'ListBuckets', 'GetBucketPolicy', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
  });

  it('took every root session through one intent with its task id', async () => {
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0, 'the suite took a root session');
  });
});
