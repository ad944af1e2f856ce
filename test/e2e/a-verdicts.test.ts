// One look tells the verdict, in the real workbench (named to run first: "not scanned" is only seen
// before any suite has scanned). Each state has its own icon: not scanned, skipped (a suspended
// account says "skipped: suspended", not "scan error"), scan error, locked, fine, suspected (a
// role-mode scan), and after Confirm with a Root Session locked or fine; fixed this session after
// an unlock. OU rows roll up what lies below; "problems only" shows just the flagged path.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import { assertEveryRootSessionHadItsIntent } from './support/rootPath';
import { assertNoReviewLeft, assertReviewLive, reviewAction, setMachineSettings } from './support/review';
import {
  answerJustification, clickContextMenuItem, expandTreeRow, openViewContainer, openWorkbench, scanAllFromPalette, treeRow, viewPane, type Workbench,
} from './support/workbench';

const DEMO_ACCOUNT = '340000000002';
/** The Sandbox OU (Sandbox Alice, Sandbox Bob): its SCP exempts root sessions, so the demo's tasks run there. */
const SANDBOX_OU = /^Sandbox(?! (Alice|Bob))/;
const row = (page: Page, text: string | RegExp) => treeRow(page, 'Organization', text);
const expand = (page: Page, text: string | RegExp) => expandTreeRow(page, 'Organization', text);
const toast = (page: Page, text: string | RegExp) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/**
 * A row under an expanded account (group labels repeat per account): the first row after the
 * account's row, in list order (monaco's rows carry data-index), whose text matches. Found again
 * on each call, since rows re-render as the tree changes.
 */
async function rowUnder(page: Page, account: string, text: RegExp): Promise<Locator> {
  const pane = viewPane(page, 'Organization');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await pane.locator('[role="treeitem"]').evaluateAll((els) =>
      els.map((e) => ({ index: Number(e.getAttribute('data-index')), text: (e as unknown as { innerText: string }).innerText.trim() })));
    rows.sort((a, b) => a.index - b.index);
    const start = rows.findIndex((r) => r.text.startsWith(account));
    const hit = start < 0 ? undefined : rows.slice(start + 1).find((r) => text.test(r.text));
    if (hit) return pane.locator(`[role="treeitem"][data-index="${hit.index}"]`);
    if (Date.now() > deadline) throw new Error(`no row ${text} under ${account}; rows: ${rows.map((r) => r.text.split('\n')[0]).join(' | ')}`);
    await page.waitForTimeout(250);
  }
}

/** Expands a group under an account (a group first drawn empty keeps its collapsed state). */
async function expandUnder(page: Page, account: string, text: RegExp): Promise<void> {
  const r = await rowUnder(page, account, text);
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.locator('.monaco-tl-twistie').click();
}

/** Collapses a row (keeps the list short: rows outside the view are not in the DOM). */
async function collapse(page: Page, text: RegExp): Promise<void> {
  const r = row(page, text);
  if ((await r.getAttribute('aria-expanded').catch(() => null)) === 'true') await r.locator('.monaco-tl-twistie').click();
}

async function hasIcon(r: Locator, icon: string): Promise<void> {
  await r.locator(`.codicon-${icon}`).first().waitFor({ timeout: 30_000 });
}

/** The row under an account shows the icon, found again while the tree refreshes (rows may reorder). */
async function iconUnder(page: Page, account: string, text: RegExp, icon: string): Promise<Locator> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await rowUnder(page, account, text);
    if (await r.locator(`.codicon-${icon}`).count()) return r;
    if (Date.now() > deadline) throw new Error(`${text} under ${account} never showed the ${icon} icon`);
    await page.waitForTimeout(250);
  }
}

async function description(r: Locator): Promise<string> {
  return (await r.locator('.label-description').first().innerText().catch(() => '')).trim();
}

const scanFromPalette = (page: Page, justify: boolean) =>
  scanAllFromPalette(page, justify ? { justification: 'Sweep for locked resource policies', ticket: 'SEC-2209' } : undefined);

describe('one look tells the verdict', () => {
  let wb: Workbench;
  let control: SandboxControl;
  let restoreSettings: (() => Promise<void>) | undefined;

  before(async () => {
    control = await freshSandbox();
    wb = await openWorkbench('verdicts');
    await openViewContainer(wb.page, 'Root Tasks');
  });

  after(async () => {
    await restoreSettings?.();
    await control?.faults({}).catch(() => undefined);
    await wb?.close();
    await control?.reset();
  });

  it('before any scan: "not scanned", with its own icon', async () => {
    const { page } = wb;
    await row(page, /^Organization o-acme7k2p9q4x/).waitFor({ timeout: 90_000 });
    await expand(page, SANDBOX_OU);
    await expand(page, /^Sandbox Bob/);
    const s3 = await rowUnder(page, 'Sandbox Bob', /^S3 bucket policies/);
    await s3.waitFor({ timeout: 30_000 });
    assert.match(await description(s3), /not scanned/);
    await hasIcon(s3, 'circle-large-outline');
    await wb.screenshot('not-scanned');
  });

  it('a root-session scan: locked, fine, skipped: suspended, scan error, and OU roll-ups', async () => {
    const { page } = wb;
    // One account's queue listing fails for good (500 after the SDK's retries): a scan error.
    await control.faults({ failTargets: ['arn:aws:sqs:us-east-1:330000000002:*'] });
    await scanFromPalette(page, true);
    await toast(page, /Scan finished/).waitFor({ timeout: 180_000 });
    await control.faults({});

    const sandboxOu = row(page, SANDBOX_OU);
    await page.waitForTimeout(500);
    assert.match(await description(sandboxOu), /4 locked/, "Alice's experiments, Bob's flow-logs, config and sandbox-alerts lie below");
    assert.match(await description(row(page, /^Workloads/)), /\d+ locked/);
    assert.match(await description(row(page, /^Organization o-acme7k2p9q4x/)), /\d+ locked/);
    await hasIcon(sandboxOu, 'folder');
    await wb.screenshot('ou-roll-ups');

    const s3 = await rowUnder(page, 'Sandbox Bob', /^S3 bucket policies/);
    assert.match(await description(s3), /^2 locked/);
    await hasIcon(s3, 'lock');
    await expandUnder(page, 'Sandbox Bob', /^S3 bucket policies/);
    await hasIcon(await rowUnder(page, 'Sandbox Bob', /^acme-sandbox-flow-logs/), 'lock');
    await hasIcon(row(page, /^Sandbox Bob/), 'lock');
    await wb.screenshot('locked');
    await collapse(page, SANDBOX_OU);

    await expand(page, /^Security/);
    await expand(page, /^Log Archive/);
    const fine = await rowUnder(page, 'Log Archive', /^S3 bucket policies/);
    assert.match(await description(fine), /none locked/);
    await hasIcon(fine, 'pass');
    await wb.screenshot('fine');
    await collapse(page, /^Security/);

    await expand(page, /^Suspended/);
    await expand(page, /^Legacy Marketing/);
    const skipped = await rowUnder(page, 'Legacy Marketing', /^S3 bucket policies/);
    assert.equal(await description(skipped), 'skipped: suspended');
    await hasIcon(skipped, 'circle-slash');
    await wb.screenshot('skipped-suspended');
    await collapse(page, /^Suspended/);

    await expand(page, /^Workloads/);
    await expand(page, /^Dev/);
    await expand(page, /^Storefront Dev/);
    const failed = await rowUnder(page, 'Storefront Dev', /^S3 bucket policies/);
    assert.match(await description(failed), /scan error/);
    await hasIcon(failed, 'error');
    await wb.screenshot('scan-error');
    await collapse(page, /^Dev/);
    await collapse(page, /^Workloads/);
  });

  it('suspected (role-mode scan) resolves with Confirm with a Root Session: locked, or fine', async () => {
    const { page } = wb;
    restoreSettings = await setMachineSettings(page, { 'rootTasks.scan.mode': 'role' });
    await expand(page, SANDBOX_OU);
    await expand(page, /^Sandbox Bob/);
    await row(page, /^Sandbox Bob/).click({ button: 'right' });
    await clickContextMenuItem(page, 'Scan for Locked Policies');
    await toast(page, /Scan finished: \d+ locked, \d+ suspected in 1 account of .*Sandbox Bob/).waitFor({ timeout: 120_000 });
    await expandUnder(page, 'Sandbox Bob', /^S3 bucket policies/);
    // The tree redraws shortly after the scan's message: wait for the new verdict.
    const config = await iconUnder(page, 'Sandbox Bob', /^acme-sandbox-config/, 'question');
    assert.match(await description(config), /^suspected/);
    await wb.screenshot('suspected');

    await config.click({ button: 'right' });
    await clickContextMenuItem(page, 'Confirm with a Root Session');
    await answerJustification(page, 'Confirm the suspected config bucket', 'SEC-2210');
    await toast(page, /Read with a root session: the bucket acme-sandbox-config \(account 3400-0000-0002\) is locked/).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    const confirmed = await iconUnder(page, 'Sandbox Bob', /^acme-sandbox-config/, 'lock');
    assert.match(await description(confirmed), /^locked/);
    await wb.screenshot('confirmed-locked');

    // A bucket only hidden from the scan role: suspected, then confirmed fine.
    await collapse(page, SANDBOX_OU);
    await expand(page, /^Workloads/);
    await expand(page, /^Prod/);
    await row(page, /^Payments Prod/).click({ button: 'right' });
    await clickContextMenuItem(page, 'Scan for Locked Policies');
    await toast(page, /Scan finished: \d+ locked, \d+ suspected in 1 account of .*Payments Prod/).waitFor({ timeout: 120_000 });
    await expand(page, /^Payments Prod/);
    await expandUnder(page, 'Payments Prod', /^S3 bucket policies/);
    const audit = await iconUnder(page, 'Payments Prod', /^acme-payments-prod-audit/, 'question');
    await audit.click({ button: 'right' });
    await clickContextMenuItem(page, 'Confirm with a Root Session');
    await answerJustification(page, 'Confirm the suspected audit bucket', 'SEC-2211');
    await toast(page, /acme-payments-prod-audit .* is fine/).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await iconUnder(page, 'Payments Prod', /^acme-payments-prod-audit/, 'pass');
    await wb.screenshot('confirmed-fine');
    await collapse(page, /^Workloads/);
    await restoreSettings();
    restoreSettings = undefined;
  });

  it('fixed this session after an unlock from the tree; the multi-statement policy keeps the rest', async () => {
    const { page } = wb;
    await expand(page, SANDBOX_OU);
    await expand(page, /^Sandbox Bob/);
    const flowLogs = await rowUnder(page, 'Sandbox Bob', /^acme-sandbox-flow-logs/);
    await flowLogs.click({ button: 'right' });
    await clickContextMenuItem(page, 'Unlock S3 Bucket Policy…');
    await answerJustification(page, 'Flow logs bucket locked by a bad deploy', 'INC-2042');
    await assertReviewLive(page);
    await wb.screenshot('review-from-tree');
    await reviewAction(page, 'Apply Proposed Policy').first().click();
    await toast(page, 'Unlocked the bucket acme-sandbox-flow-logs').waitFor({ timeout: 60_000 });
    await assertNoReviewLeft(page);
    const fixed = await iconUnder(page, 'Sandbox Bob', /^acme-sandbox-flow-logs/, 'verified-filled');
    assert.match(await description(fixed), /^fixed this session/);
    await wb.screenshot('fixed-this-session');
    const policy = (await control.account(DEMO_ACCOUNT)).buckets.find((b) => b.name === 'acme-sandbox-flow-logs')?.policy;
    assert.deepEqual(JSON.parse(policy ?? '{}').Statement.map((s: { Sid: string }) => s.Sid), ['AWSLogDeliveryWrite', 'SecurityToolingRead']);
  });

  it('"problems only" shows just the flagged resources and their path', async () => {
    const { page } = wb;
    await viewPane(page, 'Organization').hover();
    await page.locator('.sidebar .action-label[aria-label^="Show Problems Only"]:visible').first().click();
    await page.locator('.sidebar .action-label[aria-label^="Show All Accounts"]:visible').first().waitFor({ timeout: 30_000 });
    await row(page, /^acme-sandbox-config/).waitFor({ timeout: 30_000 });
    await row(page, /^Security/).waitFor({ timeout: 30_000 });
    await row(page, /^Suspended/).waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await row(page, /^Log Archive/).count(), 0);
    await wb.screenshot('problems-only');
    await page.locator('.sidebar .action-label[aria-label^="Show All Accounts"]:visible').first().click();
    await row(page, /^Suspended/).waitFor({ timeout: 30_000 });
  });

  it('took every root session through one intent with its task id', async () => {
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0);
  });
});
