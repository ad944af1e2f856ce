// Bulk work resumes: a scan killed midway (the person's cancel, then the process gone — only the
// progress record on disk survives) is resumed from a fresh store on that folder, and ends with
// exactly the accounts and findings of an uninterrupted scan, no finished account scanned twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, sandboxControl, generateOrg, type SandboxHandle } from '../../sandbox';
import { createAwsContext, type AwsContext } from '../../../src/aws';
import { createBulkStore } from '../../../src/core/bulkProgress';
import type { OrgAccount, OrgIndex } from '../../../src/core/orgIndex';
import { createScanEnv } from '../../../src/flows/env';
import { resumeScan, scanForLockedPolicies } from '../../../src/flows/scan';
import { flowDeps, listOrganization, memoryAudit, quietProgress, scriptedPerson, assumeRootTarget, scanSnapshot } from './sandboxFlows';

describe('an interrupted scan resumes from its progress record', () => {
  const seed = generateOrg({ accounts: 30, ous: 4, bucketsPerAccount: 3, queuesPerAccount: 2, seed: 9 });
  let sb: SandboxHandle;
  let aws: AwsContext;
  let index: OrgIndex;
  let members: OrgAccount[];
  let dir: string;
  before(async () => {
    sb = await startSandbox({ seed, faults: { latencyMs: 5 } });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4 }, sb.management);
    index = await listOrganization(aws);
    members = index.memberAccounts();
    dir = mkdtempSync(join(tmpdir(), 'bulk-progress-'));
  });
  after(async () => {
    aws?.dispose();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = { scope: 'the organization', mode: 'rootSession' as const, roleName: 'OrganizationAccountAccessRole', regions: [], accountConcurrency: 4 };

  it('killed after some accounts, resumed in a new store: the same accounts and findings, none finished twice', async () => {
    const control = sandboxControl(sb.endpoint);
    // The uninterrupted scan, for comparison.
    const whole = flowDeps(aws, index, memoryAudit().audit);
    const full = await scanForLockedPolicies(createScanEnv(whole), scriptedPerson().person, quietProgress(), { ...request, accounts: members, homeRegion: sb.region });
    assert.equal(full.remaining, 0);
    assert.deepEqual(readdirSync(dir), [], 'no record is kept without a store');
    const expected = scanSnapshot(whole.findings);
    assert.ok(expected.flagged.length > 0 && expected.scanned.length >= 20, 'the generated org has lockouts to find');

    // The interrupted scan: stopped once 8 accounts are done.
    await control.clearRequests();
    const first = flowDeps(aws, index, memoryAudit().audit);
    const kill = new AbortController();
    const cut = await scanForLockedPolicies({ ...createScanEnv(first), progressStore: createBulkStore(dir) }, scriptedPerson().person,
      quietProgress(kill.signal, (done) => { if (done >= 8) kill.abort(); }), { ...request, accounts: members, homeRegion: sb.region });
    assert.ok(cut.cancelled && cut.remaining > 0, `the scan was cut short (${cut.scanned} done, ${cut.remaining} left)`);
    const firstRun = await control.requests({ operation: 'AssumeRoot' });
    // A crash mid-write leaves a torn last line: it is not progress.
    const progressFile = readdirSync(dir).find((n) => n.endsWith('.progress'))!;
    appendFileSync(join(dir, progressFile), '4711');
    const onDisk = readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.json'))!), 'utf8');
    assert.doesNotMatch(onDisk, /ASIA|secret|token/i, 'the record holds ids and choices, never credentials');

    // After the "restart": a new store on the same folder, new findings store holding what the first run kept.
    const store = createBulkStore(dir);
    const [journal, ...others] = await store.unfinished();
    assert.equal(others.length, 0);
    assert.equal(journal.done().size, cut.scanned, 'every account the first run finished is in the record');
    const finishedFirst = new Set(journal.done().keys());
    assert.equal(journal.pending().length, cut.remaining);
    await control.clearRequests();
    const resumed = await resumeScan({ ...createScanEnv({ ...first }), progressStore: store }, scriptedPerson().person, quietProgress(), journal, { roleName: request.roleName, homeRegion: sb.region, accountConcurrency: 4 });
    assert.equal(resumed.remaining, 0);
    assert.equal(resumed.resumedDone, cut.scanned);
    const secondRun = await control.requests({ operation: 'AssumeRoot' });

    const again = secondRun.map(assumeRootTarget).filter((a) => a && finishedFirst.has(a));
    assert.deepEqual(again, [], 'no account the first run finished is sessioned again');
    const sessionedSecond = new Set(secondRun.map(assumeRootTarget));
    assert.deepEqual([...sessionedSecond].sort(), [...journal.record.accounts].filter((a) => !finishedFirst.has(a)).sort(), 'the resume scans exactly the accounts not done');
    assert.deepEqual(scanSnapshot(first.findings), expected, 'the same accounts and findings as the uninterrupted scan');
    assert.deepEqual(await store.unfinished(), [], 'the record is removed once every account is done');
    assert.deepEqual(readdirSync(dir), []);
    console.log(`first run: ${cut.scanned} accounts (${firstRun.length} sessions), resumed: ${resumed.scanned} accounts (${secondRun.length} sessions)`);
  });
});
