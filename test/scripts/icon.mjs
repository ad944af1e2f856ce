// `npm run icon`: media/icon.png (the marketplace icon, 128×128) rendered from media/icon.svg
// (the activity bar's shield on a dark tile) by Chromium through playwright-core from .tools/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = await ensureTools(root);
const { chromium } = createRequire(join(tools.playwrightCore, 'package.json'))('playwright-core');
const svg = readFileSync(join(root, 'media', 'icon.svg'), 'utf8');
// Chromium writes its profile under HOME/XDG folders: a temporary one, never the home directory.
const home = mkdtempSync(join(tmpdir(), 'rt-icon-'));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, XDG_DATA_HOME: home };
const browser = await chromium.launch({ executablePath: tools.chromium, args: ['--no-sandbox', '--disable-gpu'], env });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(root, 'media', 'icon.png'), omitBackground: true });
  console.log('media/icon.png written');
} finally {
  await browser.close();
  rmSync(home, { recursive: true, force: true });
}
