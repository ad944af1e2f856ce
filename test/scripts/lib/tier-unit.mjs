// Unit tier: node's test runner over test/unit/**/*.test.ts (TypeScript through tsx). No VS Code.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export function findTests(dir, suffix = '.test.ts') {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

export function runUnit(root, resultFile, only = []) {
  const files = only.length ? only : findTests(join(root, 'test/unit')).map((f) => relative(root, f));
  mkdirSync(join(root, '.test-output'), { recursive: true });
  const r = spawnSync(process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/scripts/lib/count-reporter.mjs', `--test-reporter-destination=${resultFile}`,
    ...files,
  ], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
  return r.status ?? 1;
}
