// Compiles test/host/**/*.ts into out/host/ (git-ignored): the extension host requires plain JS.
// Each test file and index.ts is its own bundle; `vscode` and mocha come from the host and
// node_modules at run time.
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { findTests } from './tier-unit.mjs';

export async function buildHostTests(root) {
  const outdir = join(root, 'out', 'host');
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints = [join(root, 'test/host/index.ts'), ...findTests(join(root, 'test/host'))]
    .map((f) => relative(root, f));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints,
    outbase: 'test/host',
    outdir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}
