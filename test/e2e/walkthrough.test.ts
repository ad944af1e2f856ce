// The first-run walkthrough on a first run against the sandbox (a server of its own: nothing the
// other tests did is in its state). Each step is done the way a person does it (the step's own
// button where it has one), and its checkmark must then appear by itself: the extension sets
// the step's context key from what really happened. Screenshots: the walkthrough before and
// after (the README shows them, `npm run screenshots`).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Page } from 'playwright-core';
import type { SandboxControl } from '../sandbox/controlClient';
import { SAMPLE_SEED_PATH } from '../sandbox';
import { readFixture } from '../support/fixtures';
import { freshSandbox } from '../support/freshSandbox';
import type { SandboxFixtureInfo } from '../support/sandboxFixture';
import { answerJustification, openWorkbench, runCommand, scanAllFromPalette, type Workbench } from './support/workbench';

const WALKTHROUGH = 'AWS Root Tasks: Get Started';
const LOG_GROUP = '/security/root-tasks-walkthrough';
const why = { justification: 'First run of the walkthrough', ticket: 'SEC-1801' };

const step = (page: Page, id: string) => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
/** The step's checkbox: VS Code draws it checked (.complete) when the step's completion event fired. */
const checkbox = (page: Page, id: string) => page.locator(`.getting-started-step [x-dispatch$="#${id}"][role="checkbox"]`);

async function showWalkthrough(page: Page): Promise<void> {
  if (await page.locator('.gettingStartedContainer .getting-started-category', { hasText: WALKTHROUGH }).first().isVisible().catch(() => false)) return;
  const tab = page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first();
  if (await tab.isVisible().catch(() => false)) await tab.click();
  else {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: WALKTHROUGH }).first().click();
  }
  await step(page, 'credentials').waitFor({ timeout: 30_000 });
}

/** Opens a step (an open one is a disabled button). */
async function openStep(page: Page, id: string): Promise<void> {
  if ((await step(page, id).getAttribute('aria-expanded')) !== 'true') await step(page, id).click();
}

/** The walkthrough alone on screen, one step open: what the README shows. */
async function screenshotWalkthrough(wb: Workbench, label: string, open: string): Promise<void> {
  await runCommand(wb.page, 'Notifications: Clear All Notifications');
  if (await wb.page.locator('.part.sidebar').isVisible()) await runCommand(wb.page, 'View: Toggle Primary Side Bar Visibility');
  // Tall enough for all six steps with one open.
  await wb.page.setViewportSize({ width: 1280, height: 1000 });
  await showWalkthrough(wb.page);
  await openStep(wb.page, open);
  await wb.page.waitForTimeout(500);
  await wb.screenshot(label);
  await wb.page.setViewportSize({ width: 1280, height: 800 });
  await runCommand(wb.page, 'View: Toggle Primary Side Bar Visibility');
}

async function expectDone(page: Page, id: string): Promise<void> {
  await showWalkthrough(page);
  const checked = page.locator(`button.getting-started-step[data-step-id$="#${id}"][aria-checked="true"]`);
  try {
    await checked.waitFor({ state: 'attached', timeout: 30_000 });
  } catch {
    // Once in a loaded CI run (VS Code 1.100), an open page kept an unchecked step although the
    // organization had answered; reopened, as a person would, it shows what the context key says.
    await runCommand(page, 'View: Close Editor');
    await showWalkthrough(page);
    await checked.waitFor({ state: 'attached', timeout: 60_000 });
  }
  assert.match(await checkbox(page, id).getAttribute('class') ?? '', /\bcomplete\b/, `${id} checked`);
}

async function expectNotDone(page: Page, id: string): Promise<void> {
  assert.equal(await step(page, id).getAttribute('aria-checked'), 'false', `${id} not done yet`);
}

/** Opens a step and clicks one of the buttons in its description. */
async function clickStepButton(page: Page, id: string, label: string): Promise<void> {
  await showWalkthrough(page);
  await openStep(page, id);
  const button = page.locator(`[x-step-description-for$="#${id}"]`).getByRole('button', { name: label });
  await button.waitFor({ timeout: 15_000 });
  await button.click();
}

describe('the first-run walkthrough', () => {
  let wb: Workbench;
  let control: SandboxControl;
  let logs: CloudWatchLogsClient;

  before(async () => {
    control = await freshSandbox();
    // A new organization: centralized root access not enabled yet.
    await control.organization({ rootCredentialsManagement: false, rootSessions: false, trustedAccessForIam: false });
    const sb = readFixture<SandboxFixtureInfo>('sandbox')!;
    logs = new CloudWatchLogsClient({ endpoint: sb.endpoint, region: sb.region, credentials: { accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    wb = await openWorkbench('walkthrough', { firstRun: true });
  });

  after(async () => {
    logs?.destroy();
    await wb?.close();
    await control?.reset();
  });

  it('opens with no step done', async () => {
    await showWalkthrough(wb.page);
    for (const id of ['credentials', 'checkSetup', 'features', 'scan', 'auditDestination', 'totp']) await expectNotDone(wb.page, id);
    await screenshotWalkthrough(wb, 'walkthrough-start', 'credentials');
  });

  it('credentials: done when the organization answers the sandbox credentials', async () => {
    await clickStepButton(wb.page, 'credentials', 'Refresh Organization');
    await expectDone(wb.page, 'credentials');
    await expectNotDone(wb.page, 'checkSetup');
  });

  it('Check Setup: done when the check has run', async () => {
    await clickStepButton(wb.page, 'checkSetup', 'Check Setup');
    const doctor = wb.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await doctor.locator('[data-item="rootSessions"].fail').waitFor({ timeout: 60_000 });
    await expectDone(wb.page, 'checkSetup');
    await expectNotDone(wb.page, 'features');
  });

  it('centralized root access: done when trusted access and both features are on', async () => {
    await clickStepButton(wb.page, 'features', 'Enable Centralized Root Access Features');
    await answerJustification(wb.page, why.justification, why.ticket);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Enable', exact: true }).click();
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: '(verified)' }).waitFor({ timeout: 60_000 });
    await expectDone(wb.page, 'features');
    assert.deepEqual((await control.state()).organization.features, { RootCredentialsManagement: true, RootSessions: true });
  });

  it('first scan: done when a scan has finished', async () => {
    await expectNotDone(wb.page, 'scan');
    await scanAllFromPalette(wb.page, why);
    await wb.page.locator('.notifications-toasts .notification-toast', { hasText: /Scan finished/ }).first().waitFor({ timeout: 120_000 });
    await expectDone(wb.page, 'scan');
  });

  it('audit destination: done when CloudWatch Logs has taken a delivery', async () => {
    await expectNotDone(wb.page, 'auditDestination');
    const file = join(wb.userData, 'Machine', 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...settings, 'rootTasks.audit.cloudWatchLogs.logGroup': LOG_GROUP }, null, 2));
    await expectDone(wb.page, 'auditDestination');
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'aws-root-tasks' }));
    assert.ok((events.events ?? []).length > 0, 'the log group holds the audit events');
  });

  it('TOTP token: done when a token is added', async () => {
    await expectNotDone(wb.page, 'totp');
    const seed = JSON.parse(readFileSync(SAMPLE_SEED_PATH, 'utf8')) as { management: { id: string; root: { mfaDevices: Array<{ totpSeed?: string }> } } };
    const secret = seed.management.root.mfaDevices.find((d) => d.totpSeed)!.totpSeed!;
    await clickStepButton(wb.page, 'totp', 'Add TOTP Token');
    const widget = wb.page.locator('.quick-input-widget');
    for (const [title, text] of [[/\(1\/3\)/, 'mgmt-root'], [/\(2\/3\)/, seed.management.id], [/\(3\/3\)/, secret]] as const) {
      await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 60_000 });
      await widget.locator('.quick-input-box input').fill(text);
      await wb.page.keyboard.press('Enter');
    }
    await expectDone(wb.page, 'totp');
    for (const id of ['credentials', 'checkSetup', 'features', 'scan', 'auditDestination']) await expectDone(wb.page, id);
    await screenshotWalkthrough(wb, 'walkthrough-done', 'totp');
  });
});
