// The org listing against the real sandbox over HTTP: it must never lose an account, whatever
// throttling, 5xx answers and empty pages the service throws at it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, sandboxControl, type SandboxHandle } from '../../sandbox';
import { createAwsContext } from '../../../src/aws';
import { OrgIndex } from '../../../src/core/orgIndex';

function contextFor(sb: SandboxHandle, requestsPerSecond: number, concurrency: number, maxAttempts = 10) {
  const { accessKeyId, secretAccessKey } = sb.management;
  return createAwsContext(
    // The client's pace per Organizations API above the sandbox's throttle, so throttling is real.
    { region: sb.region, endpoint: sb.endpoint, requestsPerSecond, concurrency, maxAttempts, quotas: { organizations: requestsPerSecond || 1000 } },
    { accessKeyId, secretAccessKey },
  );
}

describe('organization listing at scale', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({
      generate: { accounts: 5000, ous: 250, bucketsPerAccount: 0, queuesPerAccount: 0, seed: 11 },
      // Throttle below the client's own rate so the limiter's per-key retry is exercised for real.
      faults: { throttle: { organizations: 30 }, errorRate: { organizations: 0.05 }, emptyPageRate: 0.1, seed: 5 },
    });
  });
  after(() => sb?.close());

  it('lists 5,000 of 5,000 accounts through throttling, 5xx and empty pages', async () => {
    const aws = contextFor(sb, 400, 16);
    try {
      const info = await aws.ops.describeOrganization();
      const index = new OrgIndex(info);
      const summary = await aws.ops.walkOrganization(info.rootId, (p) => {
        if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
        else index.setError(p.parentId, p.error ?? '');
      });
      const requests = await sandboxControl(sb.endpoint).requests();
      const throttled = requests.filter((r) => /TooManyRequests/.test(r.errorCode ?? '')).length;
      const failed5xx = requests.filter((r) => r.httpStatus >= 500).length;
      console.log(`listed ${index.accounts.size} accounts, ${index.ous.size} OUs with ${summary.calls} successful calls; sandbox answered ${throttled} throttles and ${failed5xx} 5xx`);
      assert.equal(summary.parentsFailed, 0);
      assert.equal(index.ous.size, 250);
      assert.equal(index.memberAccounts().length, 5000);
      assert.equal(index.accounts.size, 5001, 'members plus the management account');
      assert.equal(index.isComplete(), true);
      assert.ok(throttled > 0, 'the test must actually be throttled');
      assert.ok(failed5xx > 0, 'the test must actually see 5xx answers');
    } finally {
      aws.dispose();
    }
  });

  it('a parent with more children than a page reports what it has after each page that leaves more to come', async () => {
    const aws = contextFor(sb, 0, 16);
    try {
      const state = await sandboxControl(sb.endpoint).state();
      const counts = new Map<string, number>();
      for (const a of state.accounts) counts.set(a.parentId, (counts.get(a.parentId) ?? 0) + 1);
      for (const o of state.ous) counts.set(o.parentId, (counts.get(o.parentId) ?? 0) + 1);
      const big = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      assert.ok(big[1] > 40, `the generated org has a parent with ${big[1]} children`);
      const pages: number[] = [];
      const result = await aws.ops.listParent(big[0], (soFar) => pages.push(soFar.ous.length + soFar.accounts.length));
      const total = result.ous.length + result.accounts.length;
      assert.equal(total, big[1]);
      assert.ok(pages.length >= 2, `${pages.length} partial reports`);
      assert.ok(pages[0]! > 0 && pages[0]! <= 40, `first report after one page of each list: ${pages[0]}`);
      assert.ok(pages.every((n, i) => i === 0 || n >= pages[i - 1]!), 'reports only grow');
      assert.ok(pages.at(-1)! < total, 'the complete listing is the result, not a report');

      const small = state.ous.find((o) => (counts.get(o.id) ?? 0) > 0 && (counts.get(o.id) ?? 0) <= 10)!;
      const none: number[] = [];
      await aws.ops.listParent(small.id, (soFar) => none.push(soFar.accounts.length));
      assert.deepEqual(none, [], 'a one-page parent reports nothing before its result');
    } finally {
      aws.dispose();
    }
  });

  it('an OU that fails for good becomes a visible error, the rest is complete', async () => {
    const control = sandboxControl(sb.endpoint);
    const aws = contextFor(sb, 0, 16, 3);
    try {
      const info = await aws.ops.describeOrganization();
      const state = await control.state();
      // An OU with accounts below it, not directly under the root.
      const victim = state.ous.find((o) => o.parentId !== info.rootId && state.accounts.some((a) => a.parentId === o.id))!;
      await control.faults({ failTargets: [victim.id] });
      const index = new OrgIndex(info);
      const summary = await aws.ops.walkOrganization(info.rootId, (p) => {
        if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
        else index.setError(p.parentId, p.error ?? '');
      });
      assert.equal(summary.parentsFailed, 1);
      assert.deepEqual(index.failedParents(), [victim.id]);
      assert.equal(index.isComplete(), false, 'the index says it is incomplete');
      assert.match(index.listing(victim.id)?.error ?? '', /Injected permanent failure|InternalException|Service|5\d\d/);
      // Everything outside the failed OU's subtree is there.
      const below = new Set<string>([victim.id]);
      for (let grew = true; grew;) {
        grew = false;
        for (const o of state.ous) if (below.has(o.parentId) && !below.has(o.id)) { below.add(o.id); grew = true; }
      }
      const outside = state.accounts.filter((a) => !below.has(a.parentId));
      assert.ok(outside.every((a) => index.accounts.has(a.id)), 'no account outside the failed OU is lost');
      assert.equal(index.accounts.size, outside.length);
    } finally {
      await control.faults({});
      aws.dispose();
    }
  });

  it('a parent that keeps failing is reported, not dropped', async () => {
    // Every Organizations call fails: the listing must say so rather than return an empty tree.
    const control = sandboxControl(sb.endpoint);
    const aws = contextFor(sb, 0, 4, 3);
    const started = Date.now();
    try {
      const info = await aws.ops.describeOrganization();
      await control.faults({ errorRate: { organizations: 1 } });
      const progress: string[] = [];
      const summary = await aws.ops.walkOrganization(info.rootId, (p) => progress.push(p.error ? `error:${p.parentId}` : `ok:${p.parentId}`));
      console.log(`permanent failure reported after ${Date.now() - started} ms of retries`);
      assert.equal(summary.parentsFailed, 1);
      assert.deepEqual(progress, [`error:${info.rootId}`]);
      await assert.rejects(aws.ops.listParent(info.rootId), (err: Error) => err.name !== 'Error' || /5\d\d|Internal|Service/i.test(err.message));
    } finally {
      await control.faults({});
      aws.dispose();
    }
  });
});
