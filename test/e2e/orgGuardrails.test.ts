// The organization's SCPs in the workbench: the sample organization's OU Infrastructure sits under a
// Control Tower-style root deny without the aws:AssumedRoot exemption, so its account is marked in
// the tree, and its tooltip names the policy and the fix.
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { freshSandbox } from '../support/freshSandbox';
import { expandTreeRow, openViewContainer, openWorkbench, runCommand, treeRow, type Workbench } from './support/workbench';

const row = (page: Page, name: string | RegExp) => treeRow(page, 'Organization', name);

describe('organization guardrails in the workbench', () => {
  let wb: Workbench;

  before(async () => {
    await freshSandbox();
    wb = await openWorkbench('org-guardrails');
  });
  after(async () => {
    await wb?.close();
  });

  it('marks the account a root deny blocks, with the policy and the exemption in its tooltip', async () => {
    const { page } = wb;
    await openViewContainer(page, 'Root Tasks');
    await row(page, /^Organization o-acme7k2p9q4x/).waitFor({ timeout: 90_000 });
    // The policies are read with the organization (a refresh, or the first full listing).
    await runCommand(page, 'Root Tasks: Refresh Organization');
    await expandTreeRow(page, 'Organization', /^Infrastructure/);
    const hub = row(page, /^Network Hub[\s\S]*blocked by org policy: all root tasks/);
    await hub.waitFor({ timeout: 60_000 });
    await hub.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'aws-guardrails-restrict-root-user' }).filter({ hasText: 'aws:AssumedRoot' }).first();
    await hover.waitFor({ timeout: 30_000 });
    await wb.screenshot('blocked-account-tooltip');
  });
});
