// Host tier: the mocha suite of test/host runs inside the real extension host of one VS Code
// version (code-server; test/scripts/lib/tools.mjs lists the versions). Chromium opens the
// workbench with a payload naming the extension under development and the tests module; the page
// reports the exit code through codeAutomationExit, the suite writes its counts to
// ROOT_TASKS_HOST_RESULT.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { ensureTools } from './tools.mjs';
import { buildHostTests } from './build-host-tests.mjs';
import { build, loadSupport, runDir, seconds, withTimeout, writeSetupFailure } from './harness.mjs';

const RUN_TIMEOUT_MS = Number(process.env.ROOT_TASKS_HOST_TIMEOUT_MS) || 10 * 60_000;
// The workbench's own chatter on the same console: connection set-up, the offline gallery, and
// (1.139) the chat and agent features looking for a GitHub sign-in this machine never has.
const WORKBENCH_NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore:|\[ChatModelSelection\]|\[AgentHost|\[AccountPolicyGate\]|\[reconnection-grace-time\]|Timed out waiting for authentication provider 'github')|open-vsx\.org|vsda|^\s+at .*\/static\/out\/vs\//;

// The untrusted pass: the suites that check what a workspace may not change run again in a
// workspace VS Code itself leaves untrusted (restricted mode), so both trust states are covered.
const UNTRUSTED_GREP = 'workspace settings cannot redirect or loosen';

export async function run(root, resultFile, target) {
  const started = Date.now();
  const trusted = await runPass(root, target, { name: `host-${target.vscode}`, started });
  const untrusted = trusted.exitCode === 0
    ? await runPass(root, target, { name: `host-untrusted-${target.vscode}`, started, untrusted: true, grep: UNTRUSTED_GREP })
    : { exitCode: 1, counts: { passed: 0, failed: 0, skipped: 0, failures: ['the untrusted pass did not run: the trusted pass failed'] } };
  if (!trusted.counts) {
    writeSetupFailure(resultFile, 'host', trusted.error ?? new Error('the host run did not complete'));
    return 1;
  }
  const merged = { ...trusted.counts };
  if (untrusted.counts) {
    merged.passed += untrusted.counts.passed;
    merged.failed += untrusted.counts.failed;
    merged.skipped += untrusted.counts.skipped;
    merged.failures = [...(merged.failures ?? []), ...(untrusted.counts.failures ?? []).map((f) => `untrusted: ${f}`)];
  } else {
    merged.failed += 1;
    merged.failures = [...(merged.failures ?? []), `untrusted pass: ${untrusted.error?.message ?? 'did not complete'}`];
  }
  writeFileSync(resultFile, JSON.stringify(merged));
  return trusted.exitCode === 0 && untrusted.exitCode === 0 && untrusted.counts?.failed === 0 ? 0 : 1;
}

async function runPass(root, target, { name, started, untrusted = false, grep }) {
  const { createRunDirs, removeRunDirs } = await loadSupport('isolation');
  const dirs = createRunDirs(runDir(root, name));
  const base = dirs.base;
  const hostResult = join(base, 'host-result.json');
  const stops = [];
  let exitCode = 1;
  let counts;
  let error;
  try {
    await ensureTools(root, [target]);
    build(root);
    const testsModule = await buildHostTests(root);
    const { startFixtures } = await loadSupport('fixtures');
    const { startCodeServer } = await loadSupport('codeServer');
    const { launchChromium } = await loadSupport('browser');

    const fixtures = await startFixtures({ root, runDir: base });
    stops.push(() => fixtures.stop());
    const server = await startCodeServer({
      entry: target.entry,
      nodePath: target.nodePath,
      serverMain: target.serverMain,
      testDriver: true,
      dirs,
      env: {
        ...fixtures.env,
        // test/host/runtime.test.ts checks the extension host is the version this pass is about.
        ROOT_TASKS_EXPECT_RUNTIME: JSON.stringify({ vscode: target.vscode, nodeMajor: target.nodeMajor }),
        ROOT_TASKS_HOST_RESULT: hostResult,
        ...(grep ? { ROOT_TASKS_HOST_GREP: grep } : {}),
        ...(untrusted ? { ROOT_TASKS_UNTRUSTED: '1' } : {}),
      },
      // The suites assert each task's exact events; test/host/cloudTrail.test.ts turns correlation on.
      machineSettings: { ...fixtures.machineSettings, 'rootTasks.audit.cloudTrailCorrelation': false },
      untrusted,
    });
    stops.push(() => server.stop());
    console.log(`[${name}] VS Code server ${target.vscode} (code-server ${target.codeServer}'s) ${server.url} ready after ${seconds(started)}`);

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
    page.on('pageerror', (err) => console.error(`[${name}] page error: ${err.message}`));
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', `vscode-remote://remote${root}`],
      ['extensionTestsPath', `vscode-remote://remote${testsModule}`],
    ]), { timeout: 120_000 });
    exitCode = Number(await withTimeout(exit, RUN_TIMEOUT_MS, `the ${name} test run`));
    console.log(`[${name}] extension host tests exited with ${exitCode} after ${seconds(started)}`);
    if (!existsSync(hostResult)) throw new Error(`the suite wrote no result; code-server's last output:\n${server.tail()}`);
    counts = JSON.parse(readFileSync(hostResult, 'utf8'));
  } catch (err) {
    console.error(`[${name}] ${err?.message ?? err}`);
    console.error(`[${name}] run folder kept for inspection: ${base}`);
    error = err;
    exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(`[${name}] stopping: ${err.message}`));
  }
  removeRunDirs(dirs, exitCode !== 0);
  return { exitCode, counts, error };
}
