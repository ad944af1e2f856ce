// A first-time user's look at the product in the real workbench (no AWS credentials, no
// sandbox): the Root Tasks container opens, the Organization view shows its welcome content, and
// a command runs from the command palette. One screenshot per step.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { openViewContainer, openWorkbench, runCommand, viewPane, type Workbench } from './support/workbench';

describe('the Root Tasks container', () => {
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench('first-run', { bare: true });
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

  it('shows the welcome content that says what to do without credentials', async () => {
    // Before activation the empty view shows the general welcome; once the extension has tried
    // to list the organization without credentials, the welcome says how to sign in.
    const welcome = viewPane(wb.page, 'Organization').locator('.welcome-view-content', { hasText: 'No AWS credentials were found' });
    await welcome.waitFor({ timeout: 90_000 });
    await wb.screenshot('organization-welcome');
    await welcome.getByRole('button', { name: 'Refresh Organization' }).waitFor({ timeout: 10_000 });
  });

  it('runs "Root Tasks: Show Log" from the command palette and shows the log', async () => {
    await runCommand(wb.page, 'Root Tasks: Show Log');
    const panel = wb.page.locator('.part.panel');
    // The channel picker names the shown channel; its lines carry the LogOutputChannel levels.
    await panel.locator('select.monaco-select-box option:checked', { hasText: 'AWS Root Tasks' }).first().waitFor({ state: 'attached', timeout: 30_000 });
    await panel.locator('.view-lines', { hasText: /\[(info|warning|error)\]/ }).waitFor({ timeout: 30_000 });
    await wb.screenshot('log-shown');
    const channel = await panel.locator('select.monaco-select-box option:checked').first().textContent();
    assert.equal(channel, 'AWS Root Tasks');
  });
});
