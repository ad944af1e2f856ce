// Root user credentials the way a person handles them, in the real workbench against the sandbox's
// sample organization: audit an OU from the palette (report webview, CSV export through the save
// dialog), delete one account's credentials from the tree's context menu after a modal naming the
// account, and allow password recovery. Each step has a screenshot; each test ends with the
// sandbox's own state.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AccountState, SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import { assertEveryRootSessionHadItsIntent } from './support/rootPath';
import { answerJustification, clickContextMenuItem, e2eRun, expandTreeRow, openViewContainer, openWorkbench, runCommand, treeRow, type Workbench } from './support/workbench';

const PAYMENTS = '320000000001';
const STOREFRONT = '320000000002';
const DATA_LAKE = '320000000003';

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Waits for the quick pick with this placeholder, filters it, waits for the row, Enter. */
async function pick(page: Page, placeholder: string, text: string, row: string): Promise<void> {
  const input = quickInput(page).locator(`.quick-input-box input[placeholder="${placeholder}"]`);
  await input.waitFor({ timeout: 60_000 });
  await input.fill(text);
  await quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Justification and ticket, as the runner's input boxes ask for them. */
const justify = (page: Page) => answerJustification(page, 'Quarterly root hygiene: remove root credentials', 'SEC-2207');

const toast = (page: Page, text: string) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
const webview = (page: Page) => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
const rootOf = (a: AccountState) => ({
  password: a.root.password !== null,
  accessKeys: a.root.accessKeys.map((k) => k.accessKeyId),
  signingCertificates: a.root.signingCertificates.map((c) => c.certificateId),
  mfaDevices: a.root.mfaDevices.map((m) => m.serialNumber),
});

describe('root user credentials in the workbench', () => {
  let wb: Workbench;
  let control: SandboxControl;

  before(async () => {
    control = await freshSandbox();
    wb = await openWorkbench('root-credentials');
    // The palette lists the extension's commands once the remote extension host has registered
    // them; the Root Tasks container appearing is the sign.
    await openViewContainer(wb.page, 'Root Tasks');
  });

  after(async () => {
    await wb?.close();
    await control?.reset();
  });

  it('audits an OU from the palette, shows the report and exports it as CSV', async () => {
    const { page } = wb;
    await control.clearRequests();
    await runCommand(page, 'Root Tasks: Audit Root User Credentials');
    await pick(page, 'Which accounts?', 'organizational unit', 'Accounts in an organizational unit');
    await pick(page, 'Search OUs by name, id or path', 'Prod', 'Workloads / Prod');
    await justify(page);

    const report = webview(page);
    const dataLake = report.locator(`tr[data-account="${DATA_LAKE}"]`);
    await dataLake.waitFor({ timeout: 90_000 });
    assert.match(await dataLake.innerText(), /Has root credentials[\s\S]*AKIADATALAKEROOTKEY1/);
    assert.match(await report.locator(`tr[data-account="${STOREFRONT}"]`).innerText(), /Clean/);
    assert.match(await report.locator(`tr[data-account="${PAYMENTS}"]`).innerText(), /GAHT12345678/);
    assert.equal(await report.locator('[data-count="With root credentials"] .n').innerText(), '2');
    await wb.screenshot('audit-report');

    await report.locator('button[data-action="exportCsv"]').click();
    // The save dialog proposes root-credentials-<date>.csv outside the workspace (here the run's
    // home folder, which has no Downloads): a report must not land in a repository. Accept it.
    await quickInput(page).locator('.quick-input-box input').waitFor({ timeout: 30_000 });
    await wb.screenshot('export-save-dialog');
    await page.keyboard.press('Enter');
    await toast(page, 'Root credential report (3 accounts) saved to').waitFor({ timeout: 30_000 });
    await wb.screenshot('exported');
    const name = `root-credentials-${new Date().toISOString().slice(0, 10)}.csv`;
    const file = join(e2eRun().dirs.home, name);
    assert.ok(existsSync(file), `${file} was written`);
    assert.ok(!existsSync(join(e2eRun().dirs.workspace, name)), 'the report was written into the workspace');
    const rows = readFileSync(file, 'utf8').split('\r\n');
    assert.match(rows[0], /^accountId,accountName,/);
    assert.match(rows.find((r) => r.startsWith(DATA_LAKE)) ?? '', /,has-credentials,no,1,1,AKIADATALAKEROOTKEY1,/);

    // An audit reads only: the sandbox saw no write, and the credentials are all still there.
    const writes = (await control.requests()).filter((r) => r.principalType === 'root-session' && /^(Delete|Create|Deactivate)/.test(r.operation));
    assert.deepEqual(writes, []);
    assert.equal(rootOf(await control.account(DATA_LAKE)).accessKeys.length, 1);
  });

  it('deletes one account\'s root credentials from the tree after a modal naming the account', async () => {
    const { page } = wb;
    await expandTreeRow(page, 'Organization', /^Workloads/);
    await expandTreeRow(page, 'Organization', /^Prod/);
    const account = treeRow(page, 'Organization', /^Data Lake Prod/);
    await account.click({ button: 'right', timeout: 60_000 });
    await clickContextMenuItem(page, 'Delete Root User Credentials');
    await justify(page).catch(async (err) => {
      await wb.screenshot('no-justification-prompt');
      throw err;
    });

    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.innerText();
    assert.match(text, /Delete the root user credentials of account "Data Lake Prod" \(3200-0000-0003\)\?/);
    assert.match(text, /Access key AKIADATALAKEROOTKEY1/);
    assert.match(text, /Signing certificate DATALAKEROOTSIGNINGCERT0000001/);
    await wb.screenshot('delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await toast(page, 'Root credentials: 1 deleted and verified').waitFor({ timeout: 60_000 });
    await wb.screenshot('deleted');

    assert.deepEqual(rootOf(await control.account(DATA_LAKE)), { password: false, accessKeys: [], signingCertificates: [], mfaDevices: [] });
  });

  it('allows root password recovery for an account without a password', async () => {
    const { page } = wb;
    await runCommand(page, 'Root Tasks: Allow Root Password Recovery');
    await pick(page, 'Search by name, account id or OU path', 'Storefront Prod', 'Storefront Prod');
    await justify(page);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.innerText(), /Allow root password recovery for account "Storefront Prod" \(3200-0000-0002\)\?/);
    await wb.screenshot('recovery-confirmation');
    await dialog.getByRole('button', { name: 'Allow Recovery', exact: true }).click();
    // The tree and report show the result: the status bar says it for a moment instead of a toast.
    await page.locator('.statusbar-item', { hasText: 'Root password recovery is allowed for account "Storefront Prod" (3200-0000-0002) (verified).' }).waitFor({ timeout: 60_000 });
    assert.equal(await toast(page, 'Root password recovery is allowed').count(), 0, 'no toast for a result shown in place');
    await wb.screenshot('recovery-allowed');
    // The tree says what AWS means: a login profile without a password, not "password" with a key.
    await expandTreeRow(page, 'Organization', /^Workloads/);
    await expandTreeRow(page, 'Organization', /^Prod/);
    await expandTreeRow(page, 'Organization', /^Storefront Prod/);
    const recovery = treeRow(page, 'Organization', 'password recovery enabled');
    await recovery.waitFor({ timeout: 30_000 });
    assert.equal(await recovery.locator('.codicon-key').count(), 0, 'no key icon: no password is set');
    await wb.screenshot('tree-password-recovery-enabled');

    const password = (await control.account(STOREFRONT)).root.password;
    assert.ok(password, 'the root user has a login profile');
    assert.equal(password.passwordSet, false, 'without a password');
  });

  it('took every root session through one intent with its task id', async () => {
    assert.ok(await assertEveryRootSessionHadItsIntent(control) > 0, 'the suite took root sessions');
  });
});
