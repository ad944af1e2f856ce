// Helpers for e2e tests: a real Chromium on the real workbench of the code-server that
// test/scripts/lib/tier-e2e.mjs started with the packaged extension installed. Selectors work on
// every tested VS Code version (test/scripts/lib/tools.mjs; shared/notes/vscode-offline.md).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, type Chromium } from '../../support/browser';
import { installExtension, startCodeServer, type CodeServerInstall } from '../../support/codeServer';
import { createRunDirs, type RunDirs } from '../../support/isolation';

/** What the e2e tier hands the test process (env ROOT_TASKS_E2E). */
export interface E2eRun {
  root: string;
  /** The workbench URL (with the run's workspace folder) of the tier's code-server. */
  url: string;
  dirs: RunDirs;
  screenshots: string;
  /** The code-server and the packaged extension, for tests that need a server of their own. */
  codeServer: CodeServerInstall;
  vsix: string;
  /** The tier's machine settings (the sandbox endpoint and region) and its fixtures' variable names. */
  machineSettings: Record<string, unknown>;
  fixtureEnvKeys: string[];
  /** The VS Code version under test (e.g. 1.139.1). */
  vscodeVersion: string;
}

export interface OpenOptions {
  /**
   * A first-time user's workbench: its own code-server with the extension installed but none of
   * the tier's fixtures (no sandbox, no AWS credentials). Costs a few seconds to start.
   */
  bare?: boolean;
  /**
   * A first run against the sandbox: its own code-server with the extension installed and the
   * tier's fixtures (credentials, endpoint), but nothing the earlier tests left in the tier's
   * server (global state, tokens, settings). Costs a few seconds to start.
   */
  firstRun?: boolean;
}

export const E2E_ENV = 'ROOT_TASKS_E2E';

export function e2eRun(): E2eRun {
  const raw = process.env[E2E_ENV];
  if (!raw) throw new Error(`${E2E_ENV} is not set: run e2e tests through \`npm test -- e2e\``);
  return JSON.parse(raw) as E2eRun;
}

export interface Workbench {
  readonly page: Page;
  /** Its code-server's user data folder (User/ and Machine/ settings.json are there). */
  readonly userData: string;
  /** Saves `<screenshots>/<name>/<NN>-<step>.png` and returns its path. */
  screenshot(step: string): Promise<string>;
  close(): Promise<void>;
}

/** Its own code-server, without fixtures (OpenOptions.bare) or with them (OpenOptions.firstRun). */
async function ownServer(run: E2eRun, name: string, withFixtures: boolean) {
  const dirs = createRunDirs(join(run.dirs.base, `${withFixtures ? 'first-run' : 'bare'}-${name}`));
  installExtension(run.codeServer, dirs, run.vsix);
  const env = Object.fromEntries(run.fixtureEnvKeys.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])));
  const server = await startCodeServer({ ...run.codeServer, dirs, ...(withFixtures ? { env, machineSettings: run.machineSettings } : {}) });
  return { dirs, url: server.workbenchUrl(), stop: () => server.stop() };
}

/** A fresh browser on the workbench, ready for input. `name` names its screenshots folder. */
export async function openWorkbench(name: string, options: OpenOptions = {}): Promise<Workbench> {
  const run = e2eRun();
  const server = options.bare || options.firstRun ? await ownServer(run, name, !!options.firstRun) : { dirs: run.dirs, url: run.url, stop: async () => undefined };
  let chromium: Chromium | undefined;
  const stop = async () => {
    await chromium?.stop();
    await server.stop();
  };
  try {
    chromium = await launchChromium(run.root, server.dirs, `chromium-${name}`);
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url, { timeout: 120_000 });
    // The activity bar and status bar show before the remote extensions are scanned; the Root
    // Tasks container appears once the extension's contributions (commands too) are known.
    await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    await activityItem(page, PRODUCT_CONTAINER).waitFor({ timeout: 90_000 });
    const folder = join(run.screenshots, name);
    mkdirSync(folder, { recursive: true });
    let step = 0;
    return {
      page,
      userData: server.dirs.userData,
      async screenshot(label) {
        const file = join(folder, `${String(++step).padStart(2, '0')}-${label.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      close: stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

const PRODUCT_CONTAINER = 'Root Tasks';

function activityItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item:has(.action-label[aria-label^="${title}"])`).first();
}

/** Clicks a view container in the activity bar (by its title) unless it is already open. */
export async function openViewContainer(page: Page, title: string): Promise<void> {
  const item = activityItem(page, title);
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

/**
 * Runs a command from the command palette by its full title, e.g. "Root Tasks: Show Log". The
 * palette lists the commands known when it opens (and F1 can be lost while focus moves on a
 * busy machine), so it is reopened a few times before giving up.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const row = widget.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ timeout: 15_000 });
      await input.fill(`>${title}`);
      await row.waitFor({ timeout: 15_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await row.click();
  // Done when the palette closed or the command replaced it with its own quick input.
  const deadline = Date.now() + 30_000;
  while ((await widget.isVisible()) && (await input.inputValue().catch(() => '')) === `>${title}`) {
    if (Date.now() > deadline) throw new Error(`the command palette did not run "${title}"`);
    await page.waitForTimeout(100);
  }
}

/** A row of a tree view by its visible text (a row's accessible name also carries its tooltip, which varies). */
export function treeRow(page: Page, view: string, text: string | RegExp): Locator {
  return viewPane(page, view).locator('[role="treeitem"]').filter({ hasText: text }).first();
}

/**
 * Expands a tree row unless it is already expanded. Clicking a row toggles it, and a workbench
 * restores the expansion state an earlier test left, so a plain click may collapse it instead.
 */
export async function expandTreeRow(page: Page, view: string, text: string | RegExp): Promise<Locator> {
  const row = treeRow(page, view, text);
  const expanded = viewPane(page, view).locator('[role="treeitem"][aria-expanded="true"]').filter({ hasText: text }).first();
  // The list reuses row elements: when the parent's listing finishes (its Loading row replaced)
  // just as the twistie is clicked, the click can land on a neighbour. Look again and retry.
  for (let attempt = 0; attempt < 4; attempt++) {
    await row.waitFor({ timeout: 60_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    if (await expanded.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return row;
  }
  await expanded.waitFor({ timeout: 30_000 });
  return row;
}

/**
 * Clicks an entry of the open context menu. The workbench ignores a click that comes too soon
 * after the menu opened (a guard against the right-click's own mouse-up), which a busy machine
 * makes likely: click again while the menu is still open.
 */
export async function clickContextMenuItem(page: Page, label: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const item = menu.locator('.action-label', { hasText: label }).first();
  await item.waitFor({ timeout: 30_000 });
  for (let attempt = 0; attempt < 5; attempt++) {
    await item.click({ timeout: 10_000 }).catch(() => undefined);
    if (await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false)) return;
  }
  throw new Error(`the context menu entry "${label}" did not run`);
}

/** Answers the runner's justification and ticket input boxes (the guardrail's questions). */
export async function answerJustification(page: Page, justification: string, ticket: string): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  for (const [title, text] of [[/justification/, justification], [/ticket/, ticket]] as const) {
    await quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 60_000 });
    await quickInput.locator('.quick-input-box input').fill(text);
    await page.keyboard.press('Enter');
  }
}

/**
 * Scan for Locked Policies → All member accounts, from the palette. Its scope quick pick replaces
 * the palette at once, so the palette is not waited on to close. A root-session scan is one task:
 * `why` answers its one justification and ticket.
 */
export async function scanAllFromPalette(page: Page, why?: { justification: string; ticket: string }): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  await quickInput.locator('.quick-input-box input').waitFor({ timeout: 30_000 });
  await quickInput.locator('.quick-input-box input').fill('>Root Tasks: Scan for Locked Policies');
  await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Root Tasks: Scan for Locked Policies' }).first().click();
  await quickInput.locator('.quick-input-title', { hasText: 'Scan for locked policies' }).waitFor({ timeout: 60_000 });
  const all = quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'All member accounts' }).first();
  await all.waitFor({ timeout: 30_000 });
  await all.click();
  if (why) await answerJustification(page, why.justification, why.ticket);
}
