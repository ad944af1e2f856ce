// `npm run bench` at a tiny size, so it keeps working: every section but activation (which needs
// code-server; the host tier covers activation) against real sandbox processes, one AWS CLI call
// when the CLI is installed, then the table and the files. Asserts shapes and invariants — what
// was found equals what was generated, at most five calls per unlock — never timings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench, writeOutputs, type BenchConfig } from '../../bench/bench';
import { cliVersion } from '../../bench/awsCli';
import { buildRows } from '../../bench/rows';
import { figure, pairRatios } from '../../bench/stats';
import { parseReport } from '../../bench/throughput';
import { roundTrips } from '../../bench/orgIndex';

const CLI = cliVersion();

describe('benchmark smoke', () => {
  it('runs the index, scan, unlock, throughput and guardrail sections at a tiny size and writes the table', { timeout: 120_000 }, async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'rt-bench-smoke-'));
    try {
      const config: BenchConfig = {
        sections: ['orgIndex', 'scan', 'unlock', 'throughput', 'guardrails', 'orgScale'],
        root: join(__dirname, '..', '..', '..'),
        workDir,
        activationRuns: 0,
        orgIndex: { accounts: 60, ous: 4, latencyMs: 2, rps: 200, concurrency: 4, runs: 1, cliRuns: CLI ? 1 : 0 },
        scan: { accounts: 3, bucketsPerAccount: 2, queuesPerAccount: 1, latencyMs: 2, concurrency: 4, requestsPerSecond: 0, runs: 1, loopAccounts: 0, loopRuns: 0 },
        unlock: { latencyMs: 2, runs: 1, cliRuns: 0 },
        throughput: { runs: 1, seconds: 0.5, warmupSeconds: 0.2, concurrency: 4 },
        guardrails: { accounts: 40, ous: 12, policies: 11, smallAccounts: 20, runs: 1 },
        orgScale: { scanAccounts: 4, bucketsPerAccount: 2, queuesPerAccount: 1, latencyMs: 2, indexAccounts: 60, indexOus: 4, cliRuns: CLI ? 1 : 0 },
      };
      const r = await runBench(config);

      const index = r.orgIndex!.result;
      assert.equal(index.expectedMembers, 60);
      assert.deepEqual(index.runs.map((x) => [x.members, x.ous, x.complete, x.failedParents]), [[60, index.expectedOus, true, 0]]);
      assert.ok(index.runs[0]!.calls > index.expectedOus, 'at least one call per parent');
      // Describe (its three calls at once), then the root's OUs and accounts (at once, 20 a page).
      assert.ok(index.runs[0]!.firstLevelRoundTrips >= 2 && index.runs[0]!.firstLevelRoundTrips <= 4, `${index.runs[0]!.firstLevelRoundTrips} round trips`);
      assert.ok(index.runs[0]!.firstLevelMs > 0 && index.runs[0]!.firstLevelMs <= index.runs[0]!.ms);
      assert.equal(index.runs[0]!.floorMs, (index.runs[0]!.calls / 200) * 1000);
      if (CLI) assert.deepEqual(index.cli.map((x) => [x.code, x.members, x.accounts]), [[0, 60, 61]], index.cli[0]?.error);

      const scan = r.scan!.result;
      assert.equal(scan.callsPerAccount, 4 + 2 + 1);
      const [run] = scan.runs;
      assert.deepEqual([run!.accounts, run!.failedAccounts, run!.calls], [3, 0, 3 * 7]);
      // Per account at least two intents and one read event per policy, plus started/finished.
      assert.ok(run!.auditEvents >= 3 * (2 + 3) + 2, `${run!.auditEvents} audit events`);
      assert.equal(run!.floorMs, (21 * 2) / 4);
      assert.ok(run!.clientCpuMs > 0 && run!.sandboxCpuMs > 0, 'both processes spent CPU on the scan');

      const scale = r.orgScale!.result;
      assert.deepEqual([scale.scan.accounts, scale.scan.scanned, scale.scan.lost, scale.scan.calls], [4, 4, 0, 4 * 7]);
      assert.ok(scale.scan.floorMs >= scale.scan.latencyFloorMs && scale.scan.oldDesignFloorMs >= (28 / 10) * 1000);
      assert.deepEqual([scale.index!.flatAccounts, scale.index!.members, scale.index!.complete], [61, 60, true]);
      assert.ok(scale.index!.flatMs <= scale.index!.treeMs + 1000 && scale.index!.treeFloorMs > 0);
      // Without a cached index: the scan followed the walk of the whole organization.
      assert.ok(scale.scan.noIndex.members >= 4 && scale.scan.noIndex.walkMs > 0);
      if (!Number.isNaN(scale.scan.firstFindingMs)) assert.ok(scale.scan.noIndex.firstFindingMs > 0, 'the no-index scan found what the cached-index scan found');
      if (CLI) assert.deepEqual(scale.cli.map((x) => [x.code, x.members]), [[0, 60]], scale.cli[0]?.error);

      const [unlock] = r.unlock!.result.runs;
      assert.deepEqual(unlock!.operations, ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketPolicy']);
      assert.ok(unlock!.operations.length <= 5);
      assert.equal(unlock!.stored, true, 'the sandbox holds the policy the unlock wrote');
      assert.ok(unlock!.auditEvents >= 8 && Number.isFinite(unlock!.clientMs));

      const [tp] = r.throughput!.result.runs;
      assert.ok(tp!.requests > 0 && tp!.cpuRps > 0);
      assert.equal(tp!.failed, 0);

      const guard = r.guardrails!.result;
      assert.equal(guard.runs[0]!.accounts, 40);
      assert.equal(guard.small[0]!.accounts, 20);
      assert.equal(guard.runs[0]!.calls, guard.small[0]!.calls, 'the same policies cost the same calls whatever the accounts');
      assert.equal(guard.runs[0]!.sandboxCalls, guard.runs[0]!.calls);
      assert.equal(guard.runs[0]!.evaluations, 40 * 5);
      assert.ok(guard.runs[0]!.blocked > 0, 'the root deny without the exemption blocks some account');

      const rows = buildRows(r);
      assert.deepEqual([...new Set(rows.map((x) => x.section))], ['2. Organization index', '3. Locked-policy scan', '4. Unlock flow', '5. Sandbox throughput', '6. Organization guardrails', "7. Org scale at AWS's quotas"]);
      assert.equal(rows.find((x) => /AWS calls to read the SCPs and RCPs/.test(x.measure))?.met, true);
      for (const row of rows) {
        assert.match(row.machine, new RegExp(`^${r.machine.cores} cores · load .* · medians, shared machine$`));
        assert.ok(row.runs && row.value && row.target, `row "${row.measure}" is complete`);
      }
      assert.equal(rows.find((x) => /AWS calls per unlock/.test(x.measure))?.met, true);
      assert.equal(rows.find((x) => /member accounts found/.test(x.measure))?.met, true);

      const md = writeOutputs(workDir, r);
      assert.equal(readFileSync(join(workDir, 'bench.md'), 'utf8'), md);
      assert.equal(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| §')).length, rows.length);
      const json = JSON.parse(readFileSync(join(workDir, 'bench.json'), 'utf8')) as { rows: unknown[]; machine: { cores: number } };
      assert.equal(json.rows.length, rows.length);
      assert.equal(json.machine.cores, r.machine.cores);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('takes medians with min/max and ratios pair by pair', () => {
    assert.deepEqual(figure([3, 1, 2]), { median: 2, min: 1, max: 3, values: [3, 1, 2] });
    assert.equal(figure([4, 1, 3, 2]).median, 2.5);
    // Pairs, not a ratio of medians: (10/5, 30/10, 20/20) → median 2.
    assert.deepEqual(pairRatios([10, 30, 20], [5, 10, 20, 99]).values, [2, 3, 1]);
    assert.equal(pairRatios([10, 30, 20], [5, 10, 20]).median, 2);
    assert.throws(() => figure([]), /at least one run/);
  });

  it('reads the throughput tool\'s report and refuses one it does not recognise', () => {
    const report = 'requests: 12000 (3 not 200) in 5.00 s with 32 in flight\nwall-clock throughput: 2400 req/s\nsandbox CPU: 4.00 s → 3000 req/s per core (target ≥ 2000)\n';
    assert.deepEqual(parseReport(report), { requests: 12000, failed: 3, wallRps: 2400, cpuRps: 3000 });
    assert.throws(() => parseReport('throughput: fast'), /printed no request count/);
  });
});

describe('round trips', () => {
  it('counts calls in flight together once and chains the ones that waited for another', () => {
    assert.equal(roundTrips([]), 0);
    // Three at once, then two at once after them, then one after those: 3.
    const calls = [
      { start: 0, end: 50 }, { start: 1, end: 52 }, { start: 2, end: 49 },
      { start: 53, end: 100 }, { start: 53, end: 104 },
      { start: 105, end: 150 },
    ];
    assert.equal(roundTrips(calls), 3);
    // One that started before another ended does not chain to it.
    assert.equal(roundTrips([{ start: 0, end: 50 }, { start: 49, end: 99 }]), 1);
    assert.equal(roundTrips([{ start: 0, end: 50 }, { start: 50, end: 99 }]), 2);
  });
});
