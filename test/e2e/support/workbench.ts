// Helpers for e2e tests: a real Chromium on the real workbench of the code-server that
// scripts/lib/tier-e2e.mjs started with the packaged extension installed. Selectors are the ones
// that work on VS Code 1.100.3 (shared/notes/vscode-offline.md).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Chromium } from '../../support/browser';
import type { RunDirs } from '../../support/isolation';

/** What the e2e tier hands the test process (env ROOT_TASKS_E2E). */
export interface E2eRun {
  root: string;
  /** The workbench URL with the run's workspace folder. */
  url: string;
  dirs: RunDirs;
  screenshots: string;
}

export const E2E_ENV = 'ROOT_TASKS_E2E';

export function e2eRun(): E2eRun {
  const raw = process.env[E2E_ENV];
  if (!raw) throw new Error(`${E2E_ENV} is not set: run e2e tests through \`npm test -- e2e\``);
  return JSON.parse(raw) as E2eRun;
}

export interface Workbench {
  readonly page: Page;
  /** Saves `<screenshots>/<name>/<NN>-<step>.png` and returns its path. */
  screenshot(step: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh browser on the workbench, ready for input. `name` names its screenshots folder. */
export async function openWorkbench(name: string): Promise<Workbench> {
  const run = e2eRun();
  const chromium: Chromium = await launchChromium(run.root, run.dirs, `chromium-${name}`);
  try {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(run.url, { timeout: 120_000 });
    // The activity bar shows once the workbench has restored its layout and the extension
    // host has registered the contributed containers.
    await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    const folder = join(run.screenshots, name);
    mkdirSync(folder, { recursive: true });
    let step = 0;
    return {
      page,
      async screenshot(label) {
        const file = join(folder, `${String(++step).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close: () => chromium.stop(),
    };
  } catch (err) {
    await chromium.stop();
    throw err;
  }
}

/** Clicks a view container in the activity bar (by its title) unless it is already open. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator(`.activitybar .action-item:has(.action-label[aria-label^="${title}"])`).first();
  await item.waitFor({ timeout: 60_000 });
  if ((await item.getAttribute('class'))?.includes('checked')) return;
  await item.locator('.action-label').click();
  await page.locator(`.sidebar .composite.title h2[title^="${title}"], .sidebar .title-label h2:has-text("${title}")`).first()
    .waitFor({ timeout: 30_000 });
}

/** The pane of a view (by its name) in the open side bar container. */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${name}"]`) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs a command from the command palette by its full title, e.g. "Root Tasks: Show Log". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
}
