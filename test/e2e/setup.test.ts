// Centralized root access setup in the real workbench against the sandbox: with both features off
// the Organization view says so; its "Check Setup" opens the doctor (each item with what to do);
// with trusted access off as well, enabling from the palette asks once (modal) for all three and
// the doctor then reports them ok. Screenshots per step; ends with the sandbox's organization state.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SandboxControl } from '../sandbox/controlClient';
import { freshSandbox } from '../support/freshSandbox';
import { answerJustification, openViewContainer, openWorkbench, runCommand, viewPane, type Workbench } from './support/workbench';

const webview = (page: Page) => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

const justify = (page: Page) => answerJustification(page, 'Turn on centralized root access for the org', 'SEC-2208');

describe('centralized root access setup in the workbench', () => {
  let wb: Workbench;
  let control: SandboxControl;

  before(async () => {
    control = await freshSandbox();
    await control.organization({ rootCredentialsManagement: false, rootSessions: false });
    wb = await openWorkbench('setup');
  });

  after(async () => {
    await wb?.close();
    await control?.reset();
  });

  it('the Organization view says the features are off and its Check Setup explains what to do', async () => {
    const { page } = wb;
    await openViewContainer(page, 'Root Tasks');
    // The organization may have been cached by an earlier run in this workbench: read it again.
    await runCommand(page, 'Root Tasks: Refresh Organization');
    const welcome = viewPane(page, 'Organization').locator('.welcome-view-content', { hasText: 'Centralized root access is off' });
    await welcome.waitFor({ timeout: 60_000 });
    await wb.screenshot('features-off');
    await welcome.getByRole('button', { name: 'Check Setup' }).click();

    const doctor = webview(page);
    await doctor.locator('.verdict', { hasText: 'Not ready' }).waitFor({ timeout: 60_000 });
    for (const id of ['rootCredentialsManagement', 'rootSessions']) {
      assert.match(await doctor.locator(`[data-item="${id}"]`).getAttribute('class') ?? '', /\bfail\b/, id);
      assert.match(await doctor.locator(`[data-item="${id}"] .todo`).innerText(), /Enable Centralized Root Access Features/);
    }
    for (const id of ['credentials', 'caller', 'allFeatures', 'trustedAccess']) {
      assert.match(await doctor.locator(`[data-item="${id}"]`).getAttribute('class') ?? '', /\bok\b/, id);
    }
    await wb.screenshot('check-setup-failing');
    assert.deepEqual((await control.state()).organization.features, { RootCredentialsManagement: false, RootSessions: false });
  });

  it('enables trusted access and both features after one confirmation, then the doctor is green', async () => {
    const { page } = wb;
    await control.organization({ trustedAccessForIam: false });
    await runCommand(page, 'Root Tasks: Enable Centralized Root Access Features');
    await justify(page);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.innerText();
    assert.match(text, /Enable centralized root access for organization o-/);
    assert.match(text, /Trusted access for IAM/);
    assert.match(text, /Privileged root actions/);
    await wb.screenshot('enable-confirmation');
    await dialog.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.locator('.notifications-toasts .notification-toast', { hasText: '(verified)' }).waitFor({ timeout: 60_000 });
    await wb.screenshot('features-enabled');

    const org = (await control.state()).organization;
    assert.deepEqual(org.features, { RootCredentialsManagement: true, RootSessions: true });
    assert.ok(org.trustedServices.includes('iam.amazonaws.com'));

    await runCommand(page, 'Root Tasks: Check Setup');
    const doctor = webview(page);
    await doctor.locator('[data-item="rootSessions"].ok').waitFor({ timeout: 60_000 });
    for (const id of ['credentials', 'caller', 'allFeatures', 'trustedAccess', 'rootCredentialsManagement', 'regionalEndpoint']) {
      assert.match(await doctor.locator(`[data-item="${id}"]`).getAttribute('class') ?? '', /\bok\b/, id);
    }
    await wb.screenshot('check-setup-green');
  });
});
