// Build script after microsoft/vscode-extension-samples esbuild-sample, with one change: four
// bundles. dist/extension.js is what activation loads; it must stay free of the AWS SDK, which
// lives in dist/aws.js, of the flows and the lockout analyzer, which live in dist/flows.js (both
// required on first use, src/services/lazyBundles.ts), and of the TOTP libraries, which live in
// dist/otp.js and are required on first use (src/core/totp/otpEngine.ts).
const esbuild = require('esbuild');

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
  plugins: [esbuildProblemMatcherPlugin],
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

const bundles = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [...common.plugins, lazySiblingBundles] },
  { ...common, entryPoints: ['src/core/totp/otp.ts'], outfile: 'dist/otp.js' },
  { ...common, entryPoints: ['src/core/totp/qr.ts'], outfile: 'dist/qr.js' },
  { ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' },
  { ...common, entryPoints: ['src/flows/index.ts'], outfile: 'dist/flows.js' },
];

async function main() {
  const contexts = await Promise.all(bundles.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

// The bench's bundle analysis builds the same bundles with a metafile (test/bench/stage.ts).
module.exports = { bundles };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
