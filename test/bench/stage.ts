// The production build and .vsix the benchmarks measure, made in a folder of their own with the
// project's own build script (esbuild.js --production, through `vsce package` and its
// vscode:prepublish), so the shared dist/ that other test runs build and load is never touched.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface StagedBuild {
  /** An extension folder: package.json, dist/ (production), media/. */
  dir: string;
  bundles: Array<{ file: string; bytes: number }>;
  /** The .vsix and what vsce printed while making it. */
  vsix: { file: string; bytes: number; output: string };
}

const COPIED = ['package.json', 'esbuild.js', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media'];
/** Read in place: the sources and the build's dependencies. */
const LINKED = ['src', 'node_modules', 'tsconfig.json'];

type Packager = { packageExtension(root: string, out: string): { vsix: string; bytes: number; output: string } };

export async function stageProductionBuild(root: string, outDir: string): Promise<StagedBuild> {
  const dir = join(outDir, 'extension');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of COPIED) cpSync(join(root, name), join(dir, name), { recursive: true });
  for (const name of LINKED) symlinkSync(join(root, name), join(dir, name));
  // test/scripts/package.mjs: vsce runs `vscode:prepublish` (the production build) in the folder.
  const packager = (await import(pathToFileURL(join(root, 'test', 'scripts', 'package.mjs')).href)) as Packager;
  const vsix = packager.packageExtension(dir, join(outDir, 'aws-root-tasks.vsix'));
  // Every bundle the build wrote (extension.js first: it is the one activation loads; then
  // aws.js, flows.js, otp.js, qr.js).
  const names = readdirSync(join(dir, 'dist')).filter((n) => n.endsWith('.js')).sort((a, b) => Number(b === 'extension.js') - Number(a === 'extension.js') || a.localeCompare(b));
  // A bundle packed by the production build (esbuild.js) counts as the code it unpacks to.
  const codeBytes = (file: string) => (existsSync(`${file}.br`) ? brotliDecompressSync(readFileSync(`${file}.br`)).length : statSync(file).size);
  const bundles = names.map((name) => ({ file: `dist/${name}`, bytes: codeBytes(join(dir, 'dist', name)) }));
  return { dir, bundles, vsix: { file: vsix.vsix, bytes: vsix.bytes, output: vsix.output } };
}

export type BundleInputs = Map<string, number>;

/**
 * What a bundle is made of, file by file (bytes in the output): the bundle as esbuild.js defines
 * it (production settings, its plugins), built again in memory with a metafile, for the notes.
 */
export async function bundleInputs(root: string, outfile: string): Promise<BundleInputs> {
  const esbuild = await import('esbuild');
  const { bundles } = createRequire(join(root, 'package.json'))('./esbuild.js') as { bundles: Array<import('esbuild').BuildOptions> };
  const options = bundles.find((b) => b.outfile === outfile);
  if (!options) throw new Error(`esbuild.js defines no bundle ${outfile}`);
  const r = await esbuild.build({ ...options, absWorkingDir: root, outfile: `analysis-${outfile.replace(/\W/g, '_')}`, plugins: options.plugins?.filter((p) => p.name !== 'esbuild-problem-matcher'), write: false, metafile: true, minify: true, sourcemap: false });
  const inputs: BundleInputs = new Map();
  for (const output of Object.values(r.metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) inputs.set(file, (inputs.get(file) ?? 0) + input.bytesInOutput);
  }
  return inputs;
}

/** Inputs grouped by package or source folder, largest first. */
export function bundleParts(inputs: BundleInputs): Array<{ name: string; bytes: number }> {
  const parts = new Map<string, number>();
  for (const [file, bytes] of inputs) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = pkg ? pkg[1]! : file.split('/').slice(0, file.startsWith('src/') && file.split('/').length > 3 ? 3 : 2).join('/');
    parts.set(name, (parts.get(name) ?? 0) + bytes);
  }
  return [...parts].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Code that is loaded on first use, never at activation: what each lazily required bundle holds. */
export const LAZY_CODE = {
  sdk: { label: 'the AWS SDK', test: (file: string) => /node_modules\/@(aws-sdk|smithy)\//.test(file) },
  otplib: { label: 'the TOTP libraries', test: (file: string) => /node_modules\/(otplib|@otplib|@noble|@scure)\//.test(file) },
  analyzer: { label: 'the lockout policy analyzer', test: (file: string) => /^src\/core\/policy[/.]/.test(file) },
  flows: { label: 'the flows', test: (file: string) => /^src\/flows\//.test(file) },
  qr: { label: 'the QR image decoders', test: (file: string) => /node_modules\/(jsqr|pngjs|jpeg-js)\//.test(file) },
} as const;

export type LazyCode = keyof typeof LAZY_CODE;

/**
 * The split esbuild.js promises: activation's bundle carries none of the lazily loaded code (the
 * SDK is in dist/aws.js, the flows and the analyzer in dist/flows.js, otplib in dist/otp.js, the QR
 * image decoders in dist/qr.js), and
 * the AWS bundle does not carry the analyzer (it is the flows').
 */
export const BUNDLE_SPLIT: Record<string, readonly LazyCode[]> = {
  'dist/extension.js': ['sdk', 'otplib', 'analyzer', 'flows', 'qr'],
  'dist/aws.js': ['analyzer'],
};

export interface SplitBreach {
  bundle: string;
  code: LazyCode;
  /** The input files that should not be there, largest first, with their bytes in the output. */
  files: Array<{ file: string; bytes: number }>;
}

/** Where a bundle carries code BUNDLE_SPLIT keeps out of it (empty: the split holds). */
export function splitBreaches(bundle: string, inputs: BundleInputs): SplitBreach[] {
  return (BUNDLE_SPLIT[bundle] ?? []).flatMap((code) => {
    const files = [...inputs].filter(([file, bytes]) => bytes > 0 && LAZY_CODE[code].test(file)).map(([file, bytes]) => ({ file, bytes })).sort((a, b) => b.bytes - a.bytes);
    return files.length ? [{ bundle, code, files }] : [];
  });
}

/** The files both bundles carry, grouped as bundleParts does (sizes as in the first). */
export function sharedParts(a: BundleInputs, b: BundleInputs): Array<{ name: string; bytes: number }> {
  return bundleParts(new Map([...a].filter(([file]) => b.has(file))));
}
