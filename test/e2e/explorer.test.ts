// The organization explorer as a person sees it: the tree of the sandbox sample org, a scan run
// from the palette with its progress, the locked bucket flagged with its statement in the tooltip,
// and a scan cancelled half way.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import { expandTreeRow, openViewContainer, openWorkbench, scanAllFromPalette, treeRow, type Workbench } from './support/workbench';
import { assertEveryRootSessionHadItsIntent } from './support/rootPath';

const row = (page: Page, name: string | RegExp) => treeRow(page, 'Organization', name);
const expand = (page: Page, name: string | RegExp) => expandTreeRow(page, 'Organization', name);


/** Everything, from the palette, with the scan's one justification and ticket. */
const startScan = (page: Page) => scanAllFromPalette(page, { justification: 'Quarterly sweep for locked resource policies', ticket: 'SEC-2209' });

describe('organization explorer in the workbench', () => {
  let wb: Workbench;
  let control: SandboxControl;

  before(async () => {
    control = await freshSandbox();
    await control.faults({});
    wb = await openWorkbench('explorer');
  });

  after(async () => {
    await control?.faults({}).catch(() => undefined);
    await wb?.close();
  });

  it('shows the organization tree', async () => {
    const { page } = wb;
    await openViewContainer(page, 'Root Tasks');
    await row(page, /^Organization o-acme7k2p9q4x/).waitFor({ timeout: 90_000 });
    await expand(page, /^Workloads/);
    await expand(page, /^Prod/);
    await row(page, /^Payments Prod/).waitFor({ timeout: 30_000 });
    await wb.screenshot('organization-tree');
  });

  it('scans from the palette and flags the locked bucket with its statement', async () => {
    const { page } = wb;
    await startScan(page);
    const done = page.locator('.notifications-toasts .notification-toast', { hasText: /Scan finished/ });
    await done.waitFor({ timeout: 120_000 });
    assert.match(await done.innerText(), /locked/);
    // Every account's sessions went through the runner, under the scan's one intent.
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0, 'the scan took root sessions');
    await wb.screenshot('scan-finished');
    await expand(page, /^Payments Prod/);
    await wb.screenshot('payments-prod-expanded');
    await expand(page, /^S3 bucket policies/);
    const bucket = row(page, /^acme-payments-prod-receipts/);
    await bucket.waitFor({ timeout: 30_000 });
    await bucket.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'DenyEveryone' }).first();
    await hover.waitFor({ timeout: 30_000 });
    await wb.screenshot('locked-bucket-tooltip');
  });

  it('cancels a slow scan and says so', async () => {
    const { page } = wb;
    // Slow every call so the scan is still running when Cancel is clicked.
    await control.faults({ latencyMs: 400 });
    await startScan(page);
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: /Scanning the organization/ });
    await progress.waitFor({ timeout: 60_000 });
    // The scan's sessions are one status bar item (count, soonest expiry), not one per session.
    const group = page.locator('.statusbar-item', { hasText: /root · scan of the organization · \d+ sessions? · \d+:\d\d left/ });
    await group.waitFor({ timeout: 60_000 });
    await wb.screenshot('scan-progress');
    await progress.hover();
    await progress.locator('.monaco-button, .action-label', { hasText: 'Cancel' }).first().click();
    // A stop the person asked for is said in the status bar for a moment, not as a toast that stacks.
    const cancelled = page.locator('.statusbar-item', { hasText: /Scan cancelled after \d+ of \d+ accounts?: \d+ locked, \d+ suspected/ });
    await cancelled.waitFor({ timeout: 90_000 });
    await progress.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await page.locator('.notifications-toasts .notification-toast', { hasText: /Scan cancelled/ }).count(), 0, 'no toast for a cancel');
    await wb.screenshot('scan-cancelled');
    // A cancelled scan too: each session it took had its intent, and was recorded.
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0);
  });
});
