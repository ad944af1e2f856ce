// TOTP import of a QR code copied as an image: a PNG generated here (qrcode) from a known otpauth
// URI is written to the browser's real clipboard (navigator.clipboard.write, with the clipboard
// permissions granted), the import command's "Paste an image from the clipboard" opens the paste
// target, Ctrl+V pastes into it, and the token picked is added: the status bar shows the code
// otplib computes for the seed. The paste target closes itself, and no file written meanwhile
// holds the image or the URI, nor, outside the browser profile (the web workbench's side of
// SecretStorage), the seed.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { generateSync } from 'otplib';
import QRCode from 'qrcode';
import { base32Bytes } from '../support/base32';
import { e2eRun, openWorkbench, openViewContainer, runCommand, type Workbench } from './support/workbench';

const SECRET = 'KZXW6YTBOI4DQMZSGEYTCNBTGQ3DMNZQ';
const LABEL = 'PasteTest:paste-root';
const URI = `otpauth://totp/PasteTest:paste-root?secret=${SECRET}&issuer=PasteTest`;
const STATUS_ITEM = '[id="aws-root-tasks.aws-root-tasks.rootTasks.totp"]';
const PASTE_LANGUAGE = 'roottasks-qr-paste';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

/** Every file of the run folder with its modification time and size. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files(dir)) {
    try {
      const s = statSync(f);
      out.set(f, `${s.mtimeMs}:${s.size}`);
    } catch {
      // Removed while listed (a browser cache entry): not written by the import.
    }
  }
  return out;
}

describe('TOTP import of a QR code image pasted from the clipboard', () => {
  let wb: Workbench;
  let png: Buffer;

  before(async () => {
    png = await QRCode.toBuffer(URI, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
    wb = await openWorkbench('totp-paste');
    await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(wb.page.url()).origin });
  });

  after(async () => {
    await wb?.close();
  });

  it('pastes the image into the paste target, adds the picked token, shows its code and writes no file', async () => {
    const { page } = wb;
    const run = e2eRun();
    await openViewContainer(page, 'Root Tasks');
    const workspaceBefore = [...files(run.dirs.workspace)];
    const filesBefore = snapshot(run.dirs.base);

    // The real clipboard of the browser (headless Chromium keeps its own), written as a page would.
    await page.bringToFront();
    // Page code as text: the tests compile without the DOM library.
    const written = await page.evaluate<string[]>(`(async () => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(png.toString('base64'))}), (c) => c.charCodeAt(0));
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
      return (await navigator.clipboard.read()).flatMap((item) => item.types);
    })()`);
    assert.deepEqual(written, ['image/png'], 'the clipboard holds the PNG');

    await runCommand(page, 'Root Tasks: Import TOTP Tokens (QR Image or otpauth URI)…');
    const quickInput = page.locator('.quick-input-widget');
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'Paste an image from the clipboard' }).first().click();
    // The paste target: an editor of the paste language (the editor widget's element carries the language id).
    const target = page.locator(`[data-mode-id="${PASTE_LANGUAGE}"]`).first();
    await target.waitFor({ timeout: 30_000 });
    await page.locator('.statusbar', { hasText: 'Waiting for a QR code image to be pasted' }).waitFor({ timeout: 10_000 });
    await wb.screenshot('paste-target');
    await target.locator('.view-lines').click();
    await page.keyboard.press('Control+V');

    await quickInput.locator('.quick-input-title', { hasText: 'Import TOTP Tokens' }).waitFor({ timeout: 60_000 });
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: LABEL }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('pick-token');
    await page.keyboard.press('Enter');

    const item = page.locator(STATUS_ITEM, { hasText: new RegExp(`${LABEL} \\d{3} \\d{3}`) });
    await item.waitFor({ timeout: 30_000 });
    const started = Date.now();
    const text = await item.innerText();
    const ended = Date.now();
    const shown = /(\d{3}) (\d{3}) · (\d+)s/.exec(text);
    assert.ok(shown, `status bar text: ${text}`);
    const expected = [started, ended].map((ms) => generateSync({ strategy: 'totp', secret: base32Bytes(SECRET), epoch: Math.floor(ms / 1000) }));
    assert.ok(expected.includes(`${shown[1]}${shown[2]}`), `shown ${shown[1]}${shown[2]}, otplib says ${expected.join(' or ')}`);
    await wb.screenshot('status-bar-code');

    // The paste target closed by itself (no save prompt), and nothing of the import reached a file.
    await target.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no save prompt');
    assert.deepEqual([...files(run.dirs.workspace)], workspaceBefore, 'the workspace gained no file');
    const needles = [png, Buffer.from(URI), Buffer.from(SECRET)];
    const found: string[] = [];
    let changed = 0;
    for (const [file, stamp] of snapshot(run.dirs.base)) {
      if (filesBefore.get(file) === stamp || statSync(file).size > 64 * 1024 * 1024) continue;
      const bytes = readFileSync(file);
      changed++;
      const inProfile = relative(run.dirs.base, file).split(sep)[0]!.endsWith('-profile');
      const image = bytes.subarray(0, 4).equals(png.subarray(0, 4));
      // SecretStorage of the web workbench lives in the browser profile: the seed may be there, the image and URI not.
      if (image || needles.some((n, i) => (i < 2 || !inProfile) && bytes.includes(n))) found.push(relative(run.dirs.base, file));
    }
    console.log(`looked for the image, the URI and the seed in the ${changed} files written during the import`);
    assert.deepEqual(found, [], 'files written during the import that hold the image, the URI or the seed');
  });
});
