// E2E tier: the packaged .vsix installed into code-server's own extensions folder, and the tests
// of test/e2e (node:test through tsx) driving Debian's Chromium against the real workbench.
// Screenshots go to .test-output/screenshots/<test>/.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureTools } from './tools.mjs';
import { findTests } from './tier-unit.mjs';
import { loadSupport, runDir, seconds, writeSetupFailure } from './harness.mjs';
import { packageExtension } from '../package.mjs';

const RUN_TIMEOUT_MS = Number(process.env.ROOT_TASKS_E2E_TIMEOUT_MS) || 15 * 60_000;

function runTests(root, resultFile, env) {
  // ROOT_TASKS_E2E_ONLY=<text>[,<text>...]: only the e2e files whose path contains one of them.
  const only = process.env.ROOT_TASKS_E2E_ONLY?.split(',').filter(Boolean);
  const files = findTests(join(root, 'test/e2e')).map((f) => relative(root, f)).filter((f) => !only?.length || only.some((o) => f.includes(o)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--import', 'tsx',
      '--test', '--test-concurrency=1', '--test-timeout=300000',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=./test/scripts/lib/count-reporter.mjs', `--test-reporter-destination=${resultFile}`,
      ...files,
    ], { cwd: root, stdio: 'inherit', env });
    const timer = setTimeout(() => {
      console.error(`[e2e] tests still running after ${RUN_TIMEOUT_MS / 1000} s: stopping them`);
      child.kill('SIGTERM');
    }, RUN_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export async function run(root, resultFile, target) {
  const started = Date.now();
  const { createRunDirs, removeRunDirs, isolatedEnv } = await loadSupport('isolation');
  const dirs = createRunDirs(runDir(root, `e2e-${target.vscode}`));
  const stops = [];
  let exitCode = 1;
  try {
    await ensureTools(root, [target]);
    const codeServer = { entry: target.entry, nodePath: target.nodePath, serverMain: target.serverMain };
    const { vsix, bytes } = packageExtension(root, join(dirs.base, 'aws-root-tasks.vsix'));
    console.log(`[e2e] packaged ${(bytes / 1024).toFixed(1)} KiB after ${seconds(started)}`);
    const { installExtension, startCodeServer } = await loadSupport('codeServer');
    const { startFixtures } = await loadSupport('fixtures');
    installExtension(codeServer, dirs, vsix);
    const fixtures = await startFixtures({ root, runDir: dirs.base });
    stops.push(() => fixtures.stop());
    const machineSettings = { ...fixtures.machineSettings, 'rootTasks.audit.cloudTrailCorrelation': false };
    const server = await startCodeServer({ ...codeServer, dirs, env: fixtures.env, machineSettings });
    stops.push(() => server.stop());
    console.log(`[e2e] code-server ${target.codeServer} (${target.label}) ${server.url} ready after ${seconds(started)}`);

    // One folder per version: the README's screenshots come from the current one.
    const screenshots = join(root, '.test-output', 'screenshots', target.vscode);
    rmSync(screenshots, { recursive: true, force: true });
    exitCode = await runTests(root, resultFile, {
      ...isolatedEnv(dirs, fixtures.env),
      // A test's own server with the fixtures (OpenOptions.firstRun) reads their variables' values
      // from its environment: only their names go here.
      ROOT_TASKS_E2E: JSON.stringify({ root, url: server.workbenchUrl(), dirs, screenshots, codeServer, vscodeVersion: target.vscode, vsix, machineSettings, fixtureEnvKeys: Object.keys(fixtures.env) }),
    });
    console.log(`[e2e] tests exited with ${exitCode} after ${seconds(started)}; screenshots in ${relative(root, screenshots)}/`);
  } catch (err) {
    console.error(`[e2e] ${err?.message ?? err}`);
    console.error(`[e2e] run folder kept for inspection: ${dirs.base}`);
    writeSetupFailure(resultFile, 'e2e', err);
    exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(`[e2e] stopping: ${err.message}`));
  }
  removeRunDirs(dirs, exitCode !== 0);
  return exitCode;
}
