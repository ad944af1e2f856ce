// Helpers for the unlock review in the workbench: starting an unlock from the palette, the diff
// editor's decision actions, the decision line after the proposal's first line, and the check
// that nothing of a review is left on screen once its task ended.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { e2eRun } from './workbench';

export const ACTIONS = ['Apply Proposed Policy', 'Delete Policy Instead', 'Cancel Policy Unlock'] as const;
export type ReviewAction = (typeof ACTIONS)[number];

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** F1 → the command by the start of its title (the palette's filter does not match "…"). */
export async function runCommandStartingWith(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInput(page).locator('.quick-input-box input').waitFor({ timeout: 30_000 });
  await quickInput(page).locator('.quick-input-box input').fill(`>${title}`);
  const row = quickInput(page).locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: title }) }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** Types into the open quick input (pick or input box) once its title shows, then Enter. */
export async function answer(page: Page, title: RegExp, text: string, row?: string): Promise<void> {
  await quickInput(page).locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 60_000 });
  await quickInput(page).locator('.quick-input-box input').fill(text);
  if (row) await quickInput(page).locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Palette → account → justification → ticket → resource: the review opens. */
export async function startUnlock(page: Page, which: 'bucket' | 'queue', account: string, accountTitle: RegExp, resource: string): Promise<Locator> {
  await runCommandStartingWith(page, which === 'bucket' ? 'Root Tasks: Unlock S3 Bucket Policy' : 'Root Tasks: Unlock SQS Queue Policy');
  await answer(page, /choose the member account/, account, account);
  await answer(page, /justification/, 'Locked by a bad deploy; the service is down');
  await answer(page, /ticket/, 'INC-2041');
  await answer(page, accountTitle, resource, resource);
  const diff = page.locator('.monaco-diff-editor');
  await diff.waitFor({ timeout: 60_000 });
  return diff;
}

/**
 * The proposal's own text lines in the diff editor. When the editor is narrow (VS Code 1.139 opens
 * its Chat view beside it) the diff is inline, and the removed lines are a view zone inside the
 * modified editor (`.view-lines[monaco-view-zone]`): not part of the proposal.
 */
export function proposalLines(page: Page): Locator {
  return page.locator('.monaco-diff-editor .editor.modified .view-lines:not([monaco-view-zone])');
}

/** Removed lines holding `text`: the original side of a side-by-side diff, or the inline diff's removed-lines zone. */
export function removedLines(page: Page, text: string): Locator {
  return page.locator('.monaco-diff-editor')
    .locator('.editor.original .view-lines, .editor.modified .view-lines[monaco-view-zone]', { hasText: text })
    .filter({ visible: true }).first();
}

/** A decision action in the diff editor's title bar. */
export function reviewAction(page: Page, action: ReviewAction): Locator {
  return page.locator(`.editor-actions .action-label[aria-label^="${action}"]`);
}

/**
 * The decision line: an `after` decoration on the proposal's first line, drawn by CSS (::after),
 * so read from the computed style of the modified editor's line spans.
 */
export async function decisionLine(page: Page): Promise<string> {
  // Runs in the page (the DOM's types are not in this project's lib, hence the narrow shapes).
  const spans = proposalLines(page).locator('.view-line span');
  const contents = await spans.evaluateAll((els) => els.map((el) => {
    const view = (el as unknown as { ownerDocument: { defaultView: { getComputedStyle(e: unknown, pseudo: string): { content: string } } } }).ownerDocument.defaultView;
    return view.getComputedStyle(el, '::after').content;
  }));
  return contents.filter((c) => c && c !== 'none' && c !== 'normal').join('\n');
}

export async function waitForDecisionLine(page: Page, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await decisionLine(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(200);
  }
  const ced = await page.locator('.monaco-diff-editor [class*="ced-"]').evaluateAll((els) => els.map((e) => (e as unknown as { outerHTML: string }).outerHTML).join(' | ')).catch(() => '');
  await page.screenshot({ path: join(e2eRun().screenshots, `decision-line-missing-${Date.now()}.png`) });
  throw new Error(`the decision line never matched ${pattern}; it was: ${text || '(none)'}; decorated: ${ced.slice(0, 1500) || '(nothing)'}`);
}

/** The review is open and can act: the three title actions and the decision line are there. */
export async function assertReviewLive(page: Page): Promise<void> {
  for (const action of ACTIONS) await reviewAction(page, action).first().waitFor({ timeout: 30_000 });
  await waitForDecisionLine(page, /Apply will/);
}

/** Nothing of the review is left: no diff, no decision action, no toast with decision buttons. */
export async function assertNoReviewLeft(page: Page): Promise<void> {
  await page.locator('.monaco-diff-editor').waitFor({ state: 'detached', timeout: 60_000 });
  for (const action of ACTIONS) {
    assert.equal(await page.locator(`.action-label[aria-label^="${action}"]`).count(), 0, `"${action}" is still on screen`);
  }
  const buttons = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: /^(Apply|Delete Policy Instead|Cancel)$/ });
  assert.equal(await buttons.count(), 0, 'a toast still offers a decision');
  assert.equal(await decisionLine(page), '', 'a decision line is still drawn');
}

/**
 * Machine-scoped settings (where the tier writes the sandbox endpoint): merged into the remote
 * settings file the server watches; returns a function that restores the previous values.
 */
export async function setMachineSettings(page: Page, values: Record<string, unknown>): Promise<() => Promise<void>> {
  // Machine-scoped keys are read from the remote (Machine) file, window-scoped ones from User too.
  const files = ['Machine', 'User'].map((scope) => join(e2eRun().dirs.userData, scope, 'settings.json'));
  const before = files.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : '{}'));
  files.forEach((file, i) => writeFileSync(file, JSON.stringify({ ...(JSON.parse(before[i]) as object), ...values }, null, 2)));
  // The workbench reloads the files on their change events; give it a moment.
  await page.waitForTimeout(3_000);
  return async () => {
    files.forEach((file, i) => writeFileSync(file, before[i]));
    await page.waitForTimeout(3_000);
  };
}
