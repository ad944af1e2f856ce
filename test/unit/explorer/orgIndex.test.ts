import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrgIndex, type OrgAccount, type OrgUnit } from '../../../src/core/orgIndex';

const org = { id: 'o-abc', arn: 'arn:o', managementAccountId: '111111111111', featureSet: 'ALL', rootId: 'r-1', rootArn: 'arn:r' };
const ou = (id: string, parentId: string, name = id): OrgUnit => ({ id, arn: `arn:${id}`, name, parentId });
const acct = (id: string, parentId: string, name = id): OrgAccount => ({ id, arn: `arn:${id}`, name, email: `${id}@x`, state: 'ACTIVE', parentId });

function sample() {
  const index = new OrgIndex(org);
  index.setListing('r-1', [ou('ou-a', 'r-1', 'Workloads')], [acct('111111111111', 'r-1', 'mgmt'), acct('222222222222', 'r-1')]);
  index.setListing('ou-a', [ou('ou-b', 'ou-a', 'Prod')], [acct('333333333333', 'ou-a')]);
  index.setListing('ou-b', [], [acct('444444444444', 'ou-b')]);
  return index;
}

test('complete only when every reachable parent is listed', () => {
  const index = new OrgIndex(org);
  assert.equal(index.isComplete(), false);
  index.setListing('r-1', [ou('ou-a', 'r-1')], []);
  assert.equal(index.isComplete(), false, 'ou-a not listed yet');
  index.setListing('ou-a', [], []);
  assert.equal(index.isComplete(), true);
});

test('a failed listing keeps what was known and makes the index incomplete', () => {
  const index = sample();
  index.setError('ou-a', 'ThrottlingException: Rate exceeded');
  assert.equal(index.isComplete(), false);
  assert.deepEqual(index.failedParents(), ['ou-a']);
  assert.deepEqual(index.listing('ou-a')?.accounts, ['333333333333'], 'previous accounts stay visible');
  assert.equal(index.listing('ou-a')?.error, 'ThrottlingException: Rate exceeded');
});

test('accountsUnder walks nested OUs; memberAccounts leaves out the management account', () => {
  const index = sample();
  assert.deepEqual(index.accountsUnder('ou-a').map((a) => a.id).sort(), ['333333333333', '444444444444']);
  assert.deepEqual(index.memberAccounts().map((a) => a.id).sort(), ['222222222222', '333333333333', '444444444444']);
  assert.equal(index.pathOf('ou-b'), 'Workloads / Prod');
  assert.equal(index.pathOf('r-1'), 'Root');
});

test('serialize/deserialize round-trips and rejects foreign data', () => {
  const index = sample();
  const copy = OrgIndex.deserialize(JSON.parse(JSON.stringify(index.serialize())));
  assert.ok(copy);
  assert.equal(copy.accounts.size, 4);
  assert.equal(copy.isComplete(), true);
  assert.equal(OrgIndex.deserialize({ version: 2 }), undefined);
  assert.equal(OrgIndex.deserialize(undefined), undefined);
});

test('first pages show at once, are not complete, and are not cached as complete; a listed parent never shrinks', () => {
  const index = new OrgIndex(org);
  index.setPartial('r-1', [ou('ou-a', 'r-1')], [acct('222222222222', 'r-1')]);
  assert.equal(index.listing('r-1')?.status, 'partial');
  assert.deepEqual(index.listing('r-1')?.accounts, ['222222222222']);
  assert.equal(index.isComplete(), false, 'a partial root is not listed');
  index.setListing('ou-a', [], []);
  assert.equal(index.isComplete(), false, 'still partial at the root');

  const cached = OrgIndex.deserialize(JSON.parse(JSON.stringify(index.serialize())))!;
  assert.equal(cached.listing('r-1'), undefined, 'a partial listing is listed again after a restart');
  assert.equal(cached.listing('ou-a')?.status, 'loaded');

  index.setListing('r-1', [ou('ou-a', 'r-1')], [acct('222222222222', 'r-1'), acct('555555555555', 'r-1')]);
  assert.equal(index.isComplete(), true);
  // A refresh's first page arrives: the complete listing stays until the new one is complete.
  index.setPartial('r-1', [], [acct('222222222222', 'r-1')]);
  assert.equal(index.listing('r-1')?.status, 'loaded');
  assert.deepEqual(index.listing('r-1')?.accounts, ['222222222222', '555555555555']);

  // A listing that fails after its first pages keeps them, marked failed.
  const failing = new OrgIndex(org);
  failing.setPartial('r-1', [], [acct('222222222222', 'r-1')]);
  failing.setError('r-1', 'ServiceException');
  assert.equal(failing.listing('r-1')?.status, 'error');
  assert.deepEqual(failing.listing('r-1')?.accounts, ['222222222222']);
});

test('carryOver keeps what the previous index knew of the same organization, except listings still in flight', () => {
  const previous = sample();
  previous.setListing('ou-b', [ou('ou-c', 'ou-b', 'Payments')], [acct('444444444444', 'ou-b')]);
  assert.equal(previous.setPartial('ou-c', [], [acct('555555555555', 'ou-c')]), true);
  const next = new OrgIndex(org).carryOver(previous);
  assert.equal(next.accounts.size, 5, 'every account known before is still shown');
  assert.deepEqual(next.listing('r-1')?.accounts, ['111111111111', '222222222222']);
  assert.equal(next.listing('ou-a')?.status, 'loaded');
  assert.equal(next.listing('ou-c'), undefined, 'a listing still in flight on the old index is listed again, not shown as Loading forever');
  assert.equal(next.isComplete(), false);
  // The new walk's answers replace what was carried over.
  next.setListing('ou-a', [ou('ou-b', 'ou-a', 'Prod')], []);
  assert.deepEqual(next.listing('ou-a')?.accounts, []);
});

test('carryOver ignores another organization and no previous index', () => {
  const other = new OrgIndex({ ...org, id: 'o-other' });
  other.setListing('r-1', [], [acct('999999999999', 'r-1')]);
  assert.equal(new OrgIndex(org).carryOver(other).accounts.size, 0);
  assert.equal(new OrgIndex(org).carryOver(undefined).accounts.size, 0);
});

test('the flat list makes accounts findable before the tree places them; placing keeps them once', () => {
  const index = new OrgIndex({ id: 'o-1', arn: '', managementAccountId: '999999999999', featureSet: 'ALL', rootId: 'r-1', rootArn: '', features: { rootCredentialsManagement: true, rootSessions: true } });
  const flat = { id: '111111111111', arn: 'a', name: 'Payments', email: '', state: 'ACTIVE', parentId: '' };
  assert.equal(index.addUnplaced([flat]), true);
  assert.equal(index.accounts.get('111111111111')?.name, 'Payments');
  index.setListing('ou-1', [], [{ ...flat, parentId: 'ou-1' }]);
  assert.equal(index.addUnplaced([flat]), false, 'a placed account keeps its place');
  assert.equal(index.accounts.get('111111111111')?.parentId, 'ou-1');
});

test('placed: an account listed under its parent with every OU above it known; the flat list does not place', () => {
  const index = new OrgIndex(org);
  index.addUnplaced([acct('555555555555', ''), acct('333333333333', '')]);
  assert.equal(index.isPlaced('555555555555'), false, 'from the flat list only');
  index.setPartial('r-1', [ou('ou-a', 'r-1', 'Workloads')], [acct('222222222222', 'r-1')]);
  index.setPartial('ou-a', [], [acct('333333333333', 'ou-a')]);
  assert.equal(index.isPlaced('222222222222'), true);
  assert.equal(index.isPlaced('333333333333'), true, 'placed by its OU\'s first page');
  assert.equal(index.isUnder('333333333333', 'ou-a'), true);
  assert.equal(index.isUnder('333333333333', 'r-1'), true);
  assert.equal(index.isUnder('222222222222', 'ou-a'), false);
  index.setPartial('ou-x', [], [acct('666666666666', 'ou-x')]);
  assert.equal(index.isPlaced('666666666666'), false, 'an OU not known above it: not placed');
  assert.equal(index.isPlaced('999999999999'), false);
});
