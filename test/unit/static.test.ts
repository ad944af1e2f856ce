// The static checks belong to every test run, so CI enforces them: the lint (which also keeps
// `vscode` out of src/core and src/aws) and the strict typecheck of sources and tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.split('\n').filter((l) => l && !/Unknown user config/.test(l)).join('\n') };
}

test('eslint reports no problem in src and test (scripts included)', () => {
  const r = run(bin('eslint'), ['--max-warnings', '0', 'src', 'test']);
  assert.equal(r.status, 0, r.output);
});

test('tsc --noEmit (strict) passes', (t) => {
  // The e2e tests import playwright-core's types from .tools/, installed with the tools.
  if (!existsSync(join(root, '.tools', 'node_modules', 'playwright-core'))) {
    t.skip('typecheck needs the tools: run `npm run tools` (npm test installs them before this tier)');
    return;
  }
  const r = run(bin('tsc'), ['-p', '.', '--noEmit']);
  assert.equal(r.status, 0, r.output);
});
