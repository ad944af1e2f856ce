// The extension host's test entry (extensionTestsPath): the same for code-server (test/scripts/lib/
// tier-host.mjs) and desktop VS Code (test/scripts/test-desktop.mjs). Runs every out/host/**/*.test.js
// (compiled from test/host/**/*.test.ts) with mocha. The workbench only learns an exit code, so
// the counts go to the JSON file named by ROOT_TASKS_HOST_RESULT.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(p);
    return entry.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

function writeResult(counts: Counts): void {
  const file = process.env.ROOT_TASKS_HOST_RESULT;
  if (file) fs.writeFileSync(file, JSON.stringify(counts));
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Generous: the machine has 2 cores and the extension host shares them with the workbench.
    timeout: Number(process.env.ROOT_TASKS_HOST_TEST_TIMEOUT_MS) || 30_000,
    grep: process.env.ROOT_TASKS_HOST_GREP || undefined,
  });
  // Activation happens once per extension host: the activation test must be the first to cause it.
  const files = findTests(__dirname);
  const first = files.filter((f) => path.basename(f) === 'activation.test.js');
  for (const file of [...first, ...files.filter((f) => !first.includes(f))]) mocha.addFile(file);
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        writeResult(counts);
        if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
        else resolve();
      })
        .on('pass', () => counts.passed++)
        .on('pending', () => counts.skipped++)
        .on('fail', (test, err: Error) => {
          counts.failed++;
          counts.failures.push(`${test.fullTitle()}: ${err.message.split('\n')[0]}`);
        });
    } catch (err) {
      counts.failed++;
      counts.failures.push(`loading host tests: ${(err as Error).message}`);
      writeResult(counts);
      reject(err);
    }
  });
}
