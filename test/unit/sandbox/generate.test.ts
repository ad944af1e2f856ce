// The organization generator: deterministic, large and fast, with every lockout shape, nested
// OUs, root credentials on some accounts and both features on; its output loads as a seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateOrg, type SeedAccount, type SeedOu } from '../../sandbox/index';
import { loadSeed } from '../../sandbox/seed';

function walk(ous: SeedOu[], depth = 1, out: { depth: number; accounts: SeedAccount[] }[] = []) {
  for (const ou of ous) {
    out.push({ depth, accounts: ou.accounts ?? [] });
    walk(ou.ous ?? [], depth + 1, out);
  }
  return out;
}

test('the same options give the same organization; another seed another one', () => {
  const a = generateOrg({ accounts: 50, seed: 4 });
  assert.deepEqual(generateOrg({ accounts: 50, seed: 4 }), a);
  assert.notDeepEqual(generateOrg({ accounts: 50, seed: 5 }), a);
});

test('5,000 accounts in 250 OUs with 20 buckets each: generated in under 2 s, and it loads', () => {
  const started = performance.now();
  const seed = generateOrg({ accounts: 5000, ous: 250, bucketsPerAccount: 20, queuesPerAccount: 2, seed: 1 });
  const ms = performance.now() - started;
  assert.ok(ms < 2000, `generation took ${Math.round(ms)} ms`);
  const ous = walk(seed.ous ?? []);
  assert.equal(ous.length, 250);
  assert.ok(Math.max(...ous.map((o) => o.depth)) <= 5, 'OUs nest at most five deep');
  assert.ok(ous.some((o) => o.depth >= 3), 'OUs are nested');
  const accounts = [...ous.flatMap((o) => o.accounts), ...(seed.accounts ?? [])];
  assert.equal(accounts.length, 5000);
  assert.ok(accounts.every((a) => a.buckets?.length === 20 && a.queues?.length === 2));
  const state = loadSeed(seed, 'us-east-1');
  assert.equal(state.accounts.size, 5001);
  assert.equal(state.buckets.size, 100_000);
});

test('a mix that tells the tale: every lockout shape, suspected and fine policies, root credentials, states, features', () => {
  const seed = generateOrg({ accounts: 400, seed: 2 });
  const accounts = [...walk(seed.ous ?? []).flatMap((o) => o.accounts), ...(seed.accounts ?? [])];
  const sids = new Set<string>();
  for (const a of accounts) {
    for (const r of [...(a.buckets ?? []), ...(a.queues ?? [])]) {
      const p = r.policy as { Statement: { Sid: string }[] } | undefined;
      if (p) sids.add(p.Statement[0]!.Sid);
    }
  }
  assert.deepEqual([...sids].sort(), ['AppReadAccess', 'DenyEveryone', 'DenyUnlessNobody', 'FreezePolicy', 'HideFromAuditors', 'OnlyFormerAdmin']);
  const withRoot = accounts.filter((a) => a.root).length;
  assert.ok(withRoot > 80 && withRoot < 200, `${withRoot} of 400 accounts keep root credentials`);
  assert.ok(accounts.some((a) => a.state === 'SUSPENDED'));
  assert.deepEqual([seed.organization?.rootSessions, seed.organization?.rootCredentialsManagement], [true, true]);
  assert.match(seed.management.user.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(seed.management.user.secretAccessKey.length, 40);
  assert.match(seed.management.root?.mfaDevices?.[0]?.totpSeed ?? '', /^[A-Z2-7]{32}$/);
});
