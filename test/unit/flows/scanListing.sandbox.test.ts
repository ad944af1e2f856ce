// Early results without a cached index (the first scan, or after a profile switch): the scan works
// on accounts as the tree walk places them (each ListAccountsForParent page), judged by the
// guardrails once their OU path is known, and ends with exactly the accounts and findings of a
// scan from the complete index, none sessioned twice. A cancel mid-walk leaves a record that a
// resume completes with the accounts listed after it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, sandboxControl, generateOrg, type SandboxHandle } from '../../sandbox';
import { createAwsContext, type AwsContext } from '../../../src/aws';
import { createBulkStore } from '../../../src/core/bulkProgress';
import type { OrgIndex } from '../../../src/core/orgIndex';
import { createScanEnv } from '../../../src/flows/env';
import { resumeScan, scanForLockedPolicies } from '../../../src/flows/scan';
import { walkingListing } from '../../support/flowDeps';
import { flowDeps, listOrganization, memoryAudit, quietProgress, scriptedPerson, assumeRootTarget, scanSnapshot } from './sandboxFlows';

describe('a scan without a cached index starts while the organization is still listed', () => {
  const seed = generateOrg({ accounts: 60, ous: 16, bucketsPerAccount: 1, queuesPerAccount: 1, seed: 9 });
  let sb: SandboxHandle;
  let aws: AwsContext;
  let index: OrgIndex;
  let dir: string;
  before(async () => {
    // Organizations slow (each page 250 ms), the member accounts' calls fast: the walk takes long.
    sb = await startSandbox({ seed, faults: { latencyMs: { organizations: 250 } } });
    aws = createAwsContext({ region: sb.region, endpoint: sb.endpoint, requestsPerSecond: 0, concurrency: 4 }, sb.management);
    index = await listOrganization(aws);
    dir = mkdtempSync(join(tmpdir(), 'scan-listing-'));
  });
  after(async () => {
    aws?.dispose();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = { scope: 'the organization', mode: 'rootSession' as const, roleName: 'OrganizationAccountAccessRole', regions: [], accountConcurrency: 4 };

  it('scans its first account before the last ListAccountsForParent; same accounts as from the cached index, none twice', async () => {
    const control = sandboxControl(sb.endpoint);
    await control.clearRequests();
    const cached = flowDeps(aws, index, memoryAudit().audit);
    const full = await scanForLockedPolicies(createScanEnv(cached), scriptedPerson().person, quietProgress(), { ...request, accounts: index.memberAccounts(), homeRegion: sb.region });
    const expected = scanSnapshot(cached.findings);
    assert.ok(expected.flagged.length > 0 && expected.scanned.length >= 20, 'the generated org has lockouts to find');
    const cachedSessions = (await control.requests({ operation: 'AssumeRoot' })).map(assumeRootTarget).sort();

    await control.clearRequests();
    const listing = await walkingListing(aws);
    assert.equal(listing.index.isComplete(), false, 'the scan starts before the tree is listed');
    const deps = flowDeps(aws, listing.index, memoryAudit().audit, { listing });
    const totals: string[] = [];
    const progress = { signal: new AbortController().signal, report: (_d: number, _t: number, message?: string) => void totals.push(message ?? '') };
    const summary = await scanForLockedPolicies(createScanEnv(deps), scriptedPerson().person, progress,
      { ...request, accounts: [], listing: { source: listing, scopeParent: listing.index.organization.rootId }, homeRegion: sb.region });
    assert.equal(listing.index.isComplete(), true);

    const log = await control.requests();
    const roots = log.filter((e) => e.operation === 'AssumeRoot' && e.outcome === 'success');
    const pages = log.filter((e) => e.operation === 'ListAccountsForParent');
    assert.ok(roots[0].seq < pages[pages.length - 1].seq, `first AssumeRoot (#${roots[0].seq}) before the walk's last ListAccountsForParent (#${pages[pages.length - 1].seq})`);
    // The cached-index scan sessions each account once per task: the same sessions, none more.
    assert.deepEqual((await control.requests({ operation: 'AssumeRoot' })).map(assumeRootTarget).sort(), cachedSessions, 'the same sessions as the cached-index scan: no account sessioned twice');
    assert.deepEqual(scanSnapshot(deps.findings), expected, 'the same accounts, skips and findings as the scan from the cached index');
    assert.equal(summary.scanned, full.scanned);
    assert.equal(summary.skipped.length, full.skipped.length);
    assert.equal(summary.remaining, 0);
    assert.ok(totals.some((t) => / so far /.test(t)), 'the progress says "so far" while the walk runs');
    assert.doesNotMatch(totals[totals.length - 1], /so far/, 'and not once the walk has ended');
    console.log(`first AssumeRoot #${roots[0].seq}, last ListAccountsForParent #${pages[pages.length - 1].seq} of ${log.length} calls; ${summary.scanned} accounts`);
  });

  it('cancelled mid-walk: the record grows with the listing, and a resume ends with exactly the accounts of a whole scan', async () => {
    const control = sandboxControl(sb.endpoint);
    const cached = flowDeps(aws, index, memoryAudit().audit);
    await scanForLockedPolicies(createScanEnv(cached), scriptedPerson().person, quietProgress(), { ...request, accounts: index.memberAccounts(), homeRegion: sb.region });
    const expected = scanSnapshot(cached.findings);

    await control.clearRequests();
    const listing = await walkingListing(aws);
    const first = flowDeps(aws, listing.index, memoryAudit().audit, { listing });
    const kill = new AbortController();
    const cut = await scanForLockedPolicies({ ...createScanEnv(first), progressStore: createBulkStore(dir) }, scriptedPerson().person,
      quietProgress(kill.signal, (done) => { if (done >= 1) kill.abort(); }),
      { ...request, accounts: [], listing: { source: listing, scopeParent: listing.index.organization.rootId }, homeRegion: sb.region });
    assert.ok(cut.cancelled, 'cancelled');
    assert.equal(listing.index.isComplete(), false, 'the cancel did not wait for the walk to end');
    const onDisk = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((n) => n.endsWith('.json'))!), 'utf8')) as { accounts: string[]; params: { listing?: string } };
    assert.equal(onDisk.params.listing, listing.index.organization.rootId, 'the record says the organization was still being listed');
    const firstRun = new Set((await control.requests({ operation: 'AssumeRoot' })).map(assumeRootTarget));
    await listing.done;

    const store = createBulkStore(dir);
    const [journal] = await store.unfinished();
    const finishedFirst = new Set(journal.done().keys());
    assert.ok(finishedFirst.size >= 1 && onDisk.accounts.length < expected.scanned.length, `cut short with ${onDisk.accounts.length} accounts listed`);
    await control.clearRequests();
    const resumed = await resumeScan({ ...createScanEnv({ ...first, getIndex: async () => index }), progressStore: store }, scriptedPerson().person, quietProgress(), journal,
      { roleName: request.roleName, homeRegion: sb.region, accountConcurrency: 4 });
    assert.equal(resumed.remaining, 0);
    const again = (await control.requests({ operation: 'AssumeRoot' })).map(assumeRootTarget).filter((a) => a && finishedFirst.has(a));
    assert.deepEqual(again, [], 'no account the first run finished is sessioned again');
    assert.deepEqual(scanSnapshot(first.findings).scanned, expected.scanned, 'the same accounts as a whole scan');
    assert.deepEqual(scanSnapshot(first.findings).flagged, expected.flagged);
    assert.deepEqual(await store.unfinished(), [], 'the record is removed once every account is done');
    console.log(`cut after ${finishedFirst.size} accounts (${firstRun.size} sessioned) with ${onDisk.accounts.length} listed; resumed ${resumed.scanned}`);
  });
});
