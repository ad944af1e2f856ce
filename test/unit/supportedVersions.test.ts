// The supported-versions decision (README "Supported versions") in checks: the engines.vscode
// floor is the oldest VS Code the tiers run on, the @types/vscode line is the floor's (no API newer
// than the floor), and every runtime package of the AWS SDK still runs on the Node of the floor's
// extension host — the SDK's releases from early 2027 need Node 22, which VS Code 1.100 lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

interface Target { vscode: string; nodeMajor: number }

async function targets(): Promise<Target[]> {
  const tools = await import(pathToFileURL(join(root, 'test', 'scripts', 'lib', 'tools.mjs')).href);
  return tools.VSCODE_TARGETS as Target[];
}

const minor = (version: string) => version.split('.').slice(0, 2).join('.');

test('engines.vscode is ^ the oldest tested VS Code, and @types/vscode is that line', async () => {
  const [oldest] = await targets();
  assert.equal(pkg.engines.vscode, `^${minor(oldest.vscode)}.0`);
  assert.equal(pkg.devDependencies['@types/vscode'], `~${minor(oldest.vscode)}.0`);
});

test('the tested versions are oldest first and name a distinct newer VS Code', async () => {
  const list = await targets();
  assert.ok(list.length >= 2, 'the oldest supported and the current VS Code');
  const numeric = (v: string) => v.split('.').map(Number);
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [numeric(list[i - 1].vscode), numeric(list[i].vscode)];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), `${list[i - 1].vscode} before ${list[i].vscode}`);
  }
});

test("every runtime @aws-sdk/@smithy package runs on the floor's extension host Node", async () => {
  const [oldest] = await targets();
  const sdk = Object.entries(lock.packages as Record<string, { version: string; dev?: boolean; engines?: { node?: string } }>)
    .filter(([path, meta]) => /node_modules\/@(aws-sdk|smithy)\/[^/]+$/.test(path) && !meta.dev);
  assert.ok(sdk.length > 10, 'the lockfile lists the SDK packages');
  const tooNew = sdk.flatMap(([path, meta]) => {
    const range = meta.engines?.node ?? '';
    const floor = /^>=\s*(\d+)(\.\d+){0,2}$/.exec(range);
    // A form this check does not read counts as too new: look at it, then extend the check.
    return floor && Number(floor[1]) <= oldest.nodeMajor ? [] : [`${path.replace(/.*node_modules\//, '')}@${meta.version} needs node ${range}`];
  });
  assert.deepEqual(tooNew, [], `VS Code ${oldest.vscode} runs extensions on Node ${oldest.nodeMajor}`);
});
