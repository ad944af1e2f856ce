// TOTP as a person adds it: the break-glass root MFA seed of the sandbox sample org's management
// account typed into the three input boxes; the status bar then shows the code RFC 6238 gives for
// this moment (computed here with otplib), with the seconds left.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { SAMPLE_SEED_PATH } from '../sandbox';
import { openWorkbench, openViewContainer, runCommand, type Workbench } from './support/workbench';
import { base32Bytes } from '../support/base32';

interface Seed { management: { id: string; root: { mfaDevices: Array<{ totpSeed?: string }> } } }

async function type(page: Page, title: RegExp, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 60_000 });
  await widget.locator('.quick-input-box input').fill(text);
  await page.keyboard.press('Enter');
}

describe('status-bar TOTP in the workbench', () => {
  let wb: Workbench;
  const seed = JSON.parse(readFileSync(SAMPLE_SEED_PATH, 'utf8')) as Seed;
  const secret = seed.management.root.mfaDevices.find((d) => d.totpSeed)?.totpSeed;

  before(async () => {
    assert.ok(secret, 'the sample org gives the management root an MFA seed');
    wb = await openWorkbench('totp');
  });

  after(async () => {
    await wb?.close();
  });

  it('adds the management root token and shows its current code in the status bar', async () => {
    const { page } = wb;
    await openViewContainer(page, 'Root Tasks');
    await runCommand(page, 'Root Tasks: Add TOTP Token');
    await type(page, /Add TOTP Token \(1\/3\)/, 'mgmt-root');
    await type(page, /Add TOTP Token \(2\/3\)/, seed.management.id);
    await type(page, /Add TOTP Token \(3\/3\)/, secret!);
    // A status bar item's element id is <publisher>.<name>.<item id>.
    const item = page.locator('[id="aws-root-tasks.aws-root-tasks.rootTasks.totp"]', { hasText: /mgmt-root \d{3} \d{3}/ });
    await item.waitFor({ timeout: 30_000 });
    // Read the code and compute the expected ones around the same moment (a step may turn over).
    const before = Date.now();
    const text = await item.innerText();
    const after = Date.now();
    const shown = /mgmt-root (\d{3}) (\d{3}) · (\d+)s/.exec(text);
    assert.ok(shown, `status bar text: ${text}`);
    const expected = [before, after].map((ms) => generateSync({ strategy: 'totp', secret: base32Bytes(secret!), epoch: Math.floor(ms / 1000) }));
    assert.ok(expected.includes(`${shown[1]}${shown[2]}`), `shown ${shown[1]}${shown[2]}, otplib says ${expected.join(' or ')}`);
    assert.ok(Number(shown[3]) >= 1 && Number(shown[3]) <= 30);
    await wb.screenshot('status-bar-totp');
  });
});
