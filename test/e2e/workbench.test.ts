// The user's first look at the product in the real workbench: the Root Tasks container opens,
// the Organization view shows its welcome content (no credentials yet), and a command runs from
// the command palette. One screenshot per step.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { openViewContainer, openWorkbench, runCommand, viewPane, type Workbench } from './support/workbench';

describe('the Root Tasks container', () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench('workbench');
    await wb.screenshot('workbench-loaded');
  });

  after(async () => {
    await wb?.close();
  });

  it('opens from the activity bar with the Organization view', async () => {
    await openViewContainer(wb.page, 'Root Tasks');
    await viewPane(wb.page, 'Organization').waitFor({ timeout: 30_000 });
    await wb.screenshot('container-open');
  });

  it('shows the welcome content in the Organization view', async () => {
    const welcome = viewPane(wb.page, 'Organization').locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 60_000 });
    await wb.screenshot('organization-welcome');
    assert.ok((await welcome.innerText()).trim().length > 0, 'the welcome content is empty');
  });

  it('runs "Root Tasks: Show Log" from the command palette and shows the log', async () => {
    await runCommand(wb.page, 'Root Tasks: Show Log');
    const panel = wb.page.locator('.part.panel');
    await panel.locator('.view-lines', { hasText: '[activate]' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('log-shown');
    const channel = await panel.locator('select.monaco-select-box option:checked').first().textContent();
    assert.equal(channel, 'AWS Root Tasks');
  });
});
