// Host tier: the mocha suite of test/host runs inside the real extension host of VS Code 1.100.3
// (code-server). Chromium opens the workbench with a payload naming the extension under
// development and the tests module; the page reports the exit code through codeAutomationExit,
// the suite writes its counts to ROOT_TASKS_HOST_RESULT.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { ensureTools } from './tools.mjs';
import { buildHostTests } from './build-host-tests.mjs';
import { build, loadSupport, runDir, seconds, withTimeout, writeSetupFailure } from './harness.mjs';

const RUN_TIMEOUT_MS = Number(process.env.ROOT_TASKS_HOST_TIMEOUT_MS) || 10 * 60_000;
// The workbench's own chatter on the same console: connection set-up and the offline gallery.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore:)|open-vsx\.org|vsda|^\s+at .*\/static\/out\/vs\//;

export async function run(root, resultFile) {
  const started = Date.now();
  const { createRunDirs, removeRunDirs } = await loadSupport('isolation');
  const dirs = createRunDirs(runDir(root, 'host'));
  const base = dirs.base;
  const hostResult = join(base, 'host-result.json');
  const stops = [];
  let exitCode = 1;
  try {
    const tools = await ensureTools(root);
    build(root);
    const testsModule = await buildHostTests(root);
    const { startFixtures } = await loadSupport('fixtures');
    const { startCodeServer } = await loadSupport('codeServer');
    const { launchChromium } = await loadSupport('browser');

    const fixtures = await startFixtures({ root, runDir: base });
    stops.push(() => fixtures.stop());
    const server = await startCodeServer({
      entry: tools.codeServer,
      dirs,
      env: { ...fixtures.env, ROOT_TASKS_HOST_RESULT: hostResult },
      machineSettings: fixtures.machineSettings,
    });
    stops.push(() => server.stop());
    console.log(`[host] code-server ${server.url} ready after ${seconds(started)}`);

    const chromium = await launchChromium(root, dirs);
    stops.push(() => chromium.stop());
    const page = await (await chromium.browser.newContext()).newPage();
    let settle;
    const exit = new Promise((resolve, reject) => (settle = { resolve, reject }));
    exit.catch(() => undefined); // awaited below; a rejection before that is not unhandled
    await page.exposeFunction('codeAutomationExit', (code) => settle.resolve(code));
    page.on('crash', () => settle.reject(new Error('the workbench page crashed')));
    void server.exited.then((code) => settle.reject(new Error(`code-server exited (${code}):\n${server.tail()}`)));
    // The extension host's console (mocha's report) arrives here as (level, [args]).
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = format(...(Array.isArray(args) ? args : [args])).replace(/\n$/, '');
      const lines = text.split('\n').filter((line) => !WORKBENCH_NOISE.test(line));
      if (lines.length) (level === 'error' ? console.error : console.log)(lines.join('\n'));
    });
    page.on('pageerror', (err) => console.error(`[host] page error: ${err.message}`));
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', `vscode-remote://remote${root}`],
      ['extensionTestsPath', `vscode-remote://remote${testsModule}`],
    ]), { timeout: 120_000 });
    exitCode = Number(await withTimeout(exit, RUN_TIMEOUT_MS, 'the host test run'));
    console.log(`[host] extension host tests exited with ${exitCode} after ${seconds(started)}`);
    if (!existsSync(hostResult)) throw new Error(`the suite wrote no result; code-server's last output:\n${server.tail()}`);
    copyFileSync(hostResult, resultFile);
  } catch (err) {
    console.error(`[host] ${err?.message ?? err}`);
    console.error(`[host] run folder kept for inspection: ${base}`);
    writeSetupFailure(resultFile, 'host', err);
    exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(`[host] stopping: ${err.message}`));
  }
  removeRunDirs(dirs, exitCode !== 0);
  return exitCode;
}
