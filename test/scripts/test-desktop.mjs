// `npm run test:desktop`: the host suite (test/host) in desktop VS Code through
// @vscode/test-electron, for a machine where VS Code 1.100.3 can be downloaded (into
// .tools/vscode-test) or is given with VSCODE_EXECUTABLE_PATH. Not part of `npm test`: these
// machines cannot download VS Code, so there the host tier runs the same suite in code-server.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeDeps } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
ensureNodeDeps(root);
const { runTests } = await import('@vscode/test-electron');
const { build, loadSupport, runDir } = await import('./lib/harness.mjs');
const { buildHostTests } = await import('./lib/build-host-tests.mjs');
const { createRunDirs, removeRunDirs, isolatedEnv } = await loadSupport('isolation');
const { startFixtures } = await loadSupport('fixtures');
const { USER_SETTINGS } = await loadSupport('codeServer');

build(root);
const testsModule = await buildHostTests(root);
const dirs = createRunDirs(runDir(root, 'desktop'));
const resultFile = join(root, '.test-output', 'desktop.json');
const fixtures = await startFixtures({ root, runDir: dirs.base });
mkdirSync(join(dirs.userData, 'User'), { recursive: true });
writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...fixtures.machineSettings, 'rootTasks.audit.cloudTrailCorrelation': false }, null, 2));

// The same isolation as in code-server: own HOME/XDG/TMPDIR, no inherited AWS_* or VSCODE_*
// variables (undefined removes a variable from the launched VS Code's environment).
const env = isolatedEnv(dirs, { ...fixtures.env, ROOT_TASKS_HOST_RESULT: join(dirs.base, 'host-result.json') });
const extensionTestsEnv = Object.fromEntries(Object.keys({ ...process.env, ...env }).map((k) => [k, env[k]]));

let failed = true;
try {
  await runTests({
    version: '1.100.3',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    cachePath: join(root, '.tools', 'vscode-test'),
    extensionDevelopmentPath: root,
    extensionTestsPath: testsModule,
    extensionTestsEnv,
    launchArgs: [
      dirs.workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      `--user-data-dir=${dirs.userData}`, `--extensions-dir=${dirs.extensions}`,
    ],
  });
  failed = false;
} catch (err) {
  console.error(`[desktop] ${err?.message ?? err}`);
} finally {
  await fixtures.stop();
}
const hostResult = join(dirs.base, 'host-result.json');
const counts = existsSync(hostResult) ? JSON.parse(readFileSync(hostResult, 'utf8')) : { passed: 0, failed: 1, skipped: 0, failures: ['the suite did not run'] };
writeFileSync(resultFile, JSON.stringify(counts));
removeRunDirs(dirs, failed);
for (const f of counts.failures ?? []) console.log(`failed: ${f}`);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(failed || counts.failed ? 1 : 0);
