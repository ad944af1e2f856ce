// The production build and .vsix the benchmarks measure, made in a folder of their own with the
// project's own build script (esbuild.js --production, through `vsce package` and its
// vscode:prepublish), so the shared dist/ that other test runs build and load is never touched.
import { cpSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface StagedBuild {
  /** An extension folder: package.json, dist/ (production), media/. */
  dir: string;
  bundles: Array<{ file: string; bytes: number }>;
  vsix: { file: string; bytes: number };
}

const COPIED = ['package.json', 'esbuild.js', 'README.md', 'LICENSE', '.vscodeignore', 'media'];
/** Read in place: the sources and the build's dependencies. */
const LINKED = ['src', 'node_modules', 'tsconfig.json'];

type Packager = { packageExtension(root: string, out: string): { vsix: string; bytes: number } };

export async function stageProductionBuild(root: string, outDir: string): Promise<StagedBuild> {
  const dir = join(outDir, 'extension');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of COPIED) cpSync(join(root, name), join(dir, name), { recursive: true });
  for (const name of LINKED) symlinkSync(join(root, name), join(dir, name));
  // test/scripts/package.mjs: vsce runs `vscode:prepublish` (the production build) in the folder.
  const packager = (await import(pathToFileURL(join(root, 'scripts', 'package.mjs')).href)) as Packager;
  const vsix = packager.packageExtension(dir, join(outDir, 'aws-root-tasks.vsix'));
  const bundles = ['extension.js', 'aws.js'].map((name) => ({ file: `dist/${name}`, bytes: statSync(join(dir, 'dist', name)).size }));
  return { dir, bundles, vsix: { file: vsix.vsix, bytes: vsix.bytes } };
}

/**
 * What the main bundle is made of, by source folder or package: an analysis build of the same
 * entry (bundled, minified, the SDK's ES build preferred, as esbuild.js does), for the notes.
 */
export async function bundleParts(root: string, entry: string): Promise<Array<{ name: string; bytes: number }>> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    absWorkingDir: root, entryPoints: [entry], outfile: 'analysis.js', write: false, metafile: true,
    bundle: true, minify: true, format: 'cjs', platform: 'node', target: 'node20', mainFields: ['module', 'main'], external: ['vscode'], logLevel: 'silent',
  });
  const parts = new Map<string, number>();
  for (const output of Object.values(r.metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const name = pkg ? pkg[1]! : file.split('/').slice(0, file.startsWith('src/') && file.split('/').length > 3 ? 3 : 2).join('/');
      parts.set(name, (parts.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...parts].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Parts of the main bundle that the other bundle carries too (largest first, sizes as in the main one). */
export function sharedParts(main: Array<{ name: string; bytes: number }>, other: Array<{ name: string; bytes: number }>): Array<{ name: string; bytes: number }> {
  const names = new Set(other.map((p) => p.name));
  return main.filter((p) => names.has(p.name));
}
