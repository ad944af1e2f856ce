// 1. Activation: activate() of the production build in the real extension host of VS Code 1.100.3
// (code-server + headless Chromium, the host tier's harness), each run a fresh workbench with
// fresh user-data, extensions and temp folders; plus the bundle and .vsix sizes of that build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { launchChromium } from '../support/browser';
import { startCodeServer, type CodeServerInstall } from '../support/codeServer';
import { createRunDirs, removeRunDirs } from '../support/isolation';
import { stageProductionBuild, type StagedBuild } from './stage';

export interface ActivationRun {
  activationMs: number;
  /** Loading dist/extension.js and activate(), as seen from the extension host. */
  wallMs: number;
  /** Modules that entered the require cache during activation (paths relative to the extension). */
  modules: string[];
}

export interface ActivationResult {
  runs: ActivationRun[];
  build: StagedBuild;
}

const RUN_TIMEOUT_MS = 180_000;
const SDK_MODULE = /(^|[\\/])(@aws-sdk|@smithy)[\\/]|dist[\\/]aws\.js$/;

export const isSdkModule = (id: string) => SDK_MODULE.test(id);

/** The bundles required on first use (esbuild.js): the SDK's, the flows' (with the analyzer) and otplib's. */
const LAZY_BUNDLE = /(^|[\\/])dist[\\/](aws|flows|otp|qr)\.js$/;

export const isLazyBundle = (id: string) => LAZY_BUNDLE.test(id);

type Tools = {
  VSCODE_TARGETS: unknown[];
  vscodeTarget(root: string, target: unknown): CodeServerInstall;
  ensureTools(root: string, targets: CodeServerInstall[]): Promise<unknown>;
};

/** Activation is measured on the oldest supported VS Code, through code-server as before. */
export async function benchActivation(root: string, outDir: string, runs: number): Promise<ActivationResult> {
  const tools = await import(pathToFileURL(join(root, 'test', 'scripts', 'lib', 'tools.mjs')).href) as Tools;
  const target = tools.vscodeTarget(root, tools.VSCODE_TARGETS[0]);
  await tools.ensureTools(root, [target]);
  const build = await stageProductionBuild(root, outDir);
  const probe = join(outDir, 'probe', 'index.js');
  await esbuild.build({
    entryPoints: [join(__dirname, 'activationProbe.ts')], outfile: probe,
    bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });
  const result: ActivationResult = { runs: [], build };
  for (let i = 0; i < runs; i++) result.runs.push(await activateOnce(root, target, build.dir, probe, join(outDir, 'runs', `activation-${i + 1}-${process.pid}`)));
  return result;
}

async function activateOnce(root: string, codeServer: CodeServerInstall, extensionDir: string, probe: string, runDir: string): Promise<ActivationRun> {
  const dirs = createRunDirs(runDir);
  const resultFile = join(dirs.base, 'activation.json');
  const stops: Array<() => Promise<void>> = [];
  let failed = true;
  try {
    const server = await startCodeServer({ ...codeServer, dirs, env: { ROOT_TASKS_BENCH_RESULT: resultFile } });
    stops.push(() => server.stop());
    const chromium = await launchChromium(root, dirs);
    stops.push(() => chromium.stop());
    const page = await (await chromium.browser.newContext()).newPage();
    let settle: { resolve(code: number): void; reject(err: Error): void } = { resolve: () => undefined, reject: () => undefined };
    const exit = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
    exit.catch(() => undefined); // awaited below; a rejection before that is not unhandled
    await page.exposeFunction('codeAutomationExit', (code: number) => settle.resolve(code));
    void server.exited.then((code) => settle.reject(new Error(`code-server exited (${code}):\n${server.tail()}`)));
    const timer = setTimeout(() => settle.reject(new Error(`no result within ${RUN_TIMEOUT_MS / 1000} s:\n${server.tail()}`)), RUN_TIMEOUT_MS);
    stops.push(async () => clearTimeout(timer));
    await page.goto(server.workbenchUrl([
      ['extensionDevelopmentPath', `vscode-remote://remote${extensionDir}`],
      ['extensionTestsPath', `vscode-remote://remote${probe}`],
    ]), { timeout: 120_000 });
    const code = await exit;
    if (code !== 0) throw new Error(`the activation probe failed (exit ${code}):\n${server.tail()}`);
    const r = JSON.parse(readFileSync(resultFile, 'utf8')) as ActivationRun & { wasActive: boolean };
    if (r.wasActive) throw new Error('the extension was already active before the probe activated it: the figure would be meaningless');
    failed = false;
    return { activationMs: r.activationMs, wallMs: r.wallMs, modules: r.modules };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    // A failed run keeps its folder (code-server and Chromium logs) for inspection.
    removeRunDirs(dirs, failed);
  }
}
