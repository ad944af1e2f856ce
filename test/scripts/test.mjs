// `npm test`: installs what is missing, builds, runs every tier (unit once, then host and e2e on
// each tested VS Code version) and ends with one line "N passed, M failed" over all of them.
// `npm test -- unit` (or host, e2e) runs some tiers; `npm test -- unit test/unit/x.test.ts` runs
// chosen unit files; ROOT_TASKS_VSCODE=<version|oldest|current> runs host and e2e on one version.
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnit } from './lib/tier-unit.mjs';
import { chosenTargets, ensureNodeDeps, ensureTools } from './lib/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const allTiers = ['unit', 'host', 'e2e'];
const args = process.argv.slice(2);
const tiers = args.filter((a) => allTiers.includes(a));
const files = args.filter((a) => !allTiers.includes(a));
const chosen = tiers.length ? tiers : allTiers;
ensureNodeDeps(root);
// The host and e2e tiers need the tools; installing them first also lets the unit tier typecheck
// the e2e tests (playwright-core's types live in .tools/).
const targets = chosenTargets(root);
if (chosen.some((t) => t !== 'unit')) await ensureTools(root, targets);

// Unit once; host and e2e once per VS Code version, oldest first.
const runs = [];
if (chosen.includes('unit')) runs.push({ tier: 'unit', name: 'unit' });
for (const target of targets) {
  for (const tier of chosen.filter((t) => t !== 'unit')) runs.push({ tier, target, name: `${tier} (${target.label})` });
}

const results = [];
for (const { tier, target, name } of runs) {
  // Per-process file names: several runs may share a checkout.
  const resultFile = join(root, '.test-output', `${tier}-${target?.vscode ?? 'node'}-${process.pid}.json`);
  rmSync(resultFile, { force: true });
  console.log(`\n=== tier: ${name} ===`);
  const started = Date.now();
  let status;
  if (tier === 'unit') status = runUnit(root, resultFile, files);
  else {
    const mod = await import(`./lib/tier-${tier}.mjs`);
    status = await mod.run(root, resultFile, target);
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(resultFile)) {
    counts = JSON.parse(readFileSync(resultFile, 'utf8'));
    rmSync(resultFile, { force: true });
  }
  // A tier that exits non-zero without reporting a failure (crash, setup error) still fails.
  if (status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.crashed = true;
  }
  results.push({ tier, name, status, minutes, ...counts });
}

console.log('\n=== summary ===');
for (const r of results) {
  const state = r.failed ? (r.crashed ? 'FAILED (did not complete)' : 'FAILED') : 'ok';
  console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped ?? 0} skipped — ${state} (${r.minutes} min)`);
}
const failedTiers = results.filter((r) => r.failed).map((r) => r.name);
if (failedTiers.length) console.log(`failed tiers: ${failedTiers.join(', ')}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
