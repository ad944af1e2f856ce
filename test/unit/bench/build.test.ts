// The bench's build half, so it keeps working without code-server: the production build staged
// and packaged as `npm run bench` does it, and the bundle split it reports on. The split is also
// the product's promise that activation loads neither the AWS SDK nor the TOTP libraries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleInputs, bundleParts, stageProductionBuild } from '../../bench/stage';

const root = join(__dirname, '..', '..', '..');

test('the production build stages and packages; activation\'s bundle carries neither the SDK nor otplib', { timeout: 180_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'rt-bench-build-'));
  try {
    const build = await stageProductionBuild(root, out);
    assert.deepEqual(build.bundles.map((b) => b.file), ['dist/extension.js', 'dist/aws.js', 'dist/otp.js']);
    assert.ok(build.bundles.every((b) => b.bytes > 1000), JSON.stringify(build.bundles));
    assert.ok(existsSync(build.vsix.file) && build.vsix.bytes > 10_000);

    const main = bundleParts(await bundleInputs(root, 'dist/extension.js')).map((p) => p.name);
    const lazy = /^@aws-sdk|^@smithy|otplib|^@noble|^@scure|^src\/aws$|^src\/core\/policy$/;
    assert.deepEqual(main.filter((n) => lazy.test(n)), [], 'lazily loaded code in dist/extension.js');
    const aws = bundleParts(await bundleInputs(root, 'dist/aws.js')).map((p) => p.name);
    assert.ok(aws.includes('src/core/policy') && aws.includes('@aws-sdk/client-sts'), aws.join(', '));
    const otp = bundleParts(await bundleInputs(root, 'dist/otp.js')).map((p) => p.name);
    assert.ok(otp.some((n) => n.includes('otplib')) && !otp.some((n) => n.startsWith('@aws-sdk')), otp.join(', '));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
