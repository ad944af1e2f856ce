// Build script after microsoft/vscode-extension-samples esbuild-sample, with one change: four
// bundles. dist/extension.js is what activation loads; it must stay free of the AWS SDK, which
// lives in dist/aws.js, of the flows and the lockout analyzer, which live in dist/flows.js (both
// required on first use, src/services/lazyBundles.ts), and of the TOTP libraries, which live in
// dist/otp.js and are required on first use (src/core/totp/otpEngine.ts).
const esbuild = require('esbuild');
const fs = require('fs');
const zlib = require('zlib');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').Plugin} */
const esbuildProblemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      console.log('[watch] build started');
    });
    build.onEnd((result) => {
      result.errors.forEach(({ text, location }) => {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      });
      console.log('[watch] build finished');
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  platform: 'node',
  target: 'node20',
  // The SDK's ES build tree-shakes to about half the size of its CommonJS build.
  mainFields: ['module', 'main'],
  external: ['vscode'],
  logLevel: 'silent',
  // The problem matcher's start/finish lines are for watch mode (VS Code's background task).
  plugins: watch ? [esbuildProblemMatcherPlugin] : [],
};

/**
 * Keeps a lazily required module out of the bundle that requires it: `require('./otp')` in
 * src/core/totp/otpEngine.ts stays a runtime require of the sibling bundle dist/otp.js.
 * @type {import('esbuild').Plugin}
 */
const lazySiblingBundles = {
  name: 'lazy-sibling-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\/otp$/ }, (args) =>
      /[\\/]src[\\/]core[\\/]totp[\\/]otpEngine\.ts$/.test(args.importer) ? { path: './otp.js', external: true } : undefined);
    // The QR image decoder (jsQR, pngjs, jpeg-js) for TOTP import: dist/qr.js, required on first use.
    build.onResolve({ filter: /^\.\/qr$/ }, (args) =>
      /[\\/]src[\\/]core[\\/]totp[\\/]qrEngine\.ts$/.test(args.importer) ? { path: './qr.js', external: true } : undefined);
  },
};

/**
 * The SDK clients' generated schemas write object keys as computed keys of string constants
 * (`{ [_st]: 1 }` after `const _st = "streaming"`). esbuild cannot prove such a key free of side
 * effects, so it keeps every schema of every operation of the client (all of S3's, for five
 * operations used). Writing the constant's string in place makes the unused schemas removable:
 * the same objects, about 60 KB less of aws.js.
 * @type {import('esbuild').Plugin}
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](submodules[\\/][^\\/]+[\\/])?schemas[\\/]schemas_0\.js$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const strings = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)].map((m) => [m[1], m[2]]));
      return { contents: source.replace(/\[(_\w+)\]:/g, (key, name) => (strings.has(name) ? `${strings.get(name)}:` : key)), loader: 'js' };
    });
  },
};

const bundles = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [...common.plugins, lazySiblingBundles] },
  { ...common, entryPoints: ['src/core/totp/otp.ts'], outfile: 'dist/otp.js' },
  { ...common, entryPoints: ['src/core/totp/qr.ts'], outfile: 'dist/qr.js' },
  { ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js', plugins: [...common.plugins, sdkSchemaKeys] },
  { ...common, entryPoints: ['src/flows/index.ts'], outfile: 'dist/flows.js' },
];

/**
 * The production build stores each bundle Brotli-compressed: `<name>.js.br` (13–35 % smaller than
 * the .vsix's own zip compression of the same file) beside a `<name>.js` of one statement that
 * decompresses it and compiles it as itself, so `main` and every `require('./aws.js')` work
 * unchanged. Decompressing costs about a millisecond for dist/extension.js (activation) and a few
 * for dist/aws.js, once, on first use. Development builds stay plain (and remove packed files).
 */
const PACKED = ['dist/extension.js', 'dist/aws.js', 'dist/flows.js', 'dist/qr.js', 'dist/otp.js'];
const UNPACK = '"use strict";module._compile(require("zlib").brotliDecompressSync(require("fs").readFileSync(__filename+".br")).toString("utf8"),__filename);\n';

function pack(file) {
  const code = fs.readFileSync(file);
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(code, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }));
  fs.writeFileSync(file, UNPACK);
}

async function main() {
  const contexts = await Promise.all(bundles.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
    // A development build leaves no packed file behind for a stale bundle to be read from.
    for (const file of PACKED) {
      if (production) pack(file);
      else fs.rmSync(`${file}.br`, { force: true });
    }
  }
}

// The bench's bundle analysis builds the same bundles with a metafile (test/bench/stage.ts).
module.exports = { bundles, PACKED };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
