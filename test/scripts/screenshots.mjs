// `npm run screenshots`: the README's pictures, taken by the e2e tests that show each feature
// (so they stay true) on the current stable VS Code, copied from .test-output/screenshots/<version>/
// into media/screenshots/.
// media/screenshots/ is left out of the .vsix (.vscodeignore).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VSCODE_TARGETS } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README picture ← the e2e test file, its screenshot folder and the step label. */
export const PICTURES = [
  { file: 'walkthrough.png', test: 'walkthrough', folder: 'walkthrough', step: 'walkthrough-done' },
  { file: 'organization-tree.png', test: 'explorer', folder: 'explorer', step: 'payments-prod-expanded' },
  { file: 'unlock-diff.png', test: 'unlock', folder: 'unlock-bucket', step: 'diff-preview' },
  { file: 'check-setup.png', test: 'setup', folder: 'setup', step: 'check-setup-green' },
  { file: 'root-credentials-report.png', test: 'rootCredentials', folder: 'root-credentials', step: 'audit-report' },
];

// The pictures show what people run today: the current stable VS Code.
const current = VSCODE_TARGETS.at(-1);
const tests = [...new Set(PICTURES.map((p) => p.test))].join(',');
const run = spawnSync(process.execPath, [join(root, 'test', 'scripts', 'test.mjs'), 'e2e'], {
  cwd: root, stdio: 'inherit', env: { ...process.env, ROOT_TASKS_E2E_ONLY: tests, ROOT_TASKS_VSCODE: current.vscode },
});
if (run.status !== 0) {
  console.error('[screenshots] the e2e tests failed: media/screenshots/ left as it was');
  process.exit(1);
}
const shots = join(root, '.test-output', 'screenshots', current.vscode);
const out = join(root, 'media', 'screenshots');
mkdirSync(out, { recursive: true });
let missing = 0;
for (const p of PICTURES) {
  const found = readdirSync(join(shots, p.folder)).find((n) => n.endsWith(`-${p.step}.png`));
  if (!found) {
    console.error(`[screenshots] ${p.folder}: no "${p.step}" screenshot`);
    missing++;
    continue;
  }
  copyFileSync(join(shots, p.folder, found), join(out, p.file));
  console.log(`[screenshots] media/screenshots/${p.file} (${(statSync(join(out, p.file)).size / 1024).toFixed(0)} KiB) ← ${p.folder}/${found}`);
}
process.exit(missing ? 1 : 0);
