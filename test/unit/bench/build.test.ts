// The bench's build half, so it keeps working without code-server: the production build staged
// and packaged as `npm run bench` does it, and the bundle split it reports on. The split is also
// the product's promise that activation loads neither the AWS SDK, the flows and the lockout
// policy analyzer, nor the TOTP libraries and QR decoders, and that the AWS bundle leaves the analyzer to the flows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { bundleInputs, bundleParts, splitBreaches, stageProductionBuild } from '../../bench/stage';

const root = join(__dirname, '..', '..', '..');

test('the production build stages and packages into five bundles, split as esbuild.js promises', { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'rt-bench-build-'));
  try {
    const build = await stageProductionBuild(root, out);
    assert.deepEqual(build.bundles.map((b) => b.file), ['dist/extension.js', 'dist/aws.js', 'dist/flows.js', 'dist/otp.js', 'dist/qr.js']);
    assert.ok(build.bundles.every((b) => b.bytes > 1000), JSON.stringify(build.bundles));
    assert.ok(existsSync(build.vsix.file) && build.vsix.bytes > 10_000);
    // `npm run package`'s promises: no warning, at most 300 KiB.
    const { MAX_VSIX_BYTES, packageWarnings } = (await import(pathToFileURL(join(root, 'test', 'scripts', 'package.mjs')).href)) as { MAX_VSIX_BYTES: number; packageWarnings(output: string): string[] };
    assert.deepEqual(packageWarnings(build.vsix.output), [], 'vsce warned');
    assert.ok(build.vsix.bytes <= MAX_VSIX_BYTES, `the .vsix is ${build.vsix.bytes} bytes, over ${MAX_VSIX_BYTES}`);
    // The packed bundles load as the plain ones did (dist/extension.js needs vscode: its code is read instead).
    const dist = join(build.dir, 'dist');
    assert.deepEqual(Object.keys(require(join(dist, 'otp.js')) as object).sort(), ['decodeBase32', 'generateCode', 'parseTotpUri']);
    assert.ok(typeof (require(join(dist, 'qr.js')) as { decodeQrImage?: unknown }).decodeQrImage === 'function');
    assert.ok(typeof (require(join(dist, 'aws.js')) as { createAwsContext?: unknown }).createAwsContext === 'function');
    assert.ok(Object.keys(require(join(dist, 'flows.js')) as object).length > 10);
    assert.match(brotliDecompressSync(readFileSync(join(dist, 'extension.js.br'))).toString('utf8'), /rootTasks\.walkthrough/);

    const main = await bundleInputs(root, 'dist/extension.js');
    const aws = await bundleInputs(root, 'dist/aws.js');
    const flows = await bundleInputs(root, 'dist/flows.js');
    const otp = await bundleInputs(root, 'dist/otp.js');
    const qr = await bundleInputs(root, 'dist/qr.js');
    // dist/extension.js: no @aws-sdk (or @smithy), no otplib, no analyzer, no flows.
    assert.deepEqual(splitBreaches('dist/extension.js', main).map((b) => `${b.code}: ${b.files.map((f) => f.file).join(', ')}`), [], 'lazily loaded code in dist/extension.js');
    // dist/aws.js: no analyzer.
    assert.deepEqual(splitBreaches('dist/aws.js', aws).map((b) => `${b.code}: ${b.files.map((f) => f.file).join(', ')}`), [], 'the analyzer in dist/aws.js');

    // And each lazy bundle holds what it is for (so the checks above look at the right names).
    const names = (inputs: Map<string, number>) => bundleParts(inputs).map((p) => p.name);
    assert.ok(names(aws).includes('@aws-sdk/client-sts') && names(aws).includes('src/aws'), names(aws).join(', '));
    assert.ok(names(flows).includes('src/core/policy') && names(flows).includes('src/flows'), names(flows).join(', '));
    assert.ok(!names(flows).some((n) => /^@aws-sdk|^@smithy/.test(n)), `the SDK in dist/flows.js: ${names(flows).join(', ')}`);
    assert.ok(names(otp).some((n) => n.includes('otplib')) && !names(otp).some((n) => n.startsWith('@aws-sdk')), names(otp).join(', '));
    assert.ok(names(qr).some((n) => n.includes('jsqr')) && names(qr).some((n) => n.includes('pngjs')) && !names(qr).some((n) => /^@aws-sdk|otplib/.test(n)), names(qr).join(', '));
    // The breach check finds what it looks for.
    assert.deepEqual(splitBreaches('dist/extension.js', flows).map((b) => b.code).sort(), ['analyzer', 'flows']);
    assert.deepEqual(splitBreaches('dist/extension.js', aws).map((b) => b.code), ['sdk']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
