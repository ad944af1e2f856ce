// Shared steps of the host and e2e tiers and `npm start`: load the TypeScript harness in
// test/support (through tsx), build, give each run its own folder, and always leave a result file.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export async function loadSupport(name) {
  return tsImport(`../../support/${name}.ts`, import.meta.url);
}

export function build(root, production = false) {
  const r = spawnSync(process.execPath, ['esbuild.js', ...(production ? ['--production'] : [])], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`node esbuild.js failed (${r.status ?? r.signal})`);
}

/** A fresh folder per run, so that runs in the same checkout never share state. */
export function runDir(root, tier) {
  return join(root, '.test-output', 'runs', `${tier}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
}

/** The tier could not run its tests: count it as one failure that says why. */
export function writeSetupFailure(resultFile, tier, err) {
  writeFileSync(resultFile, JSON.stringify({
    passed: 0, failed: 1, skipped: 0, failures: [`${tier} tier setup: ${err?.message ?? err}`],
  }));
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
