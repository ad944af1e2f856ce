// What a person sees at one look: each verdict its own icon and colour, skipped is not an error,
// roll-ups count what lies below each OU (fast at thousands of accounts), and the review's line
// says what Apply will do with the proposal as it is now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore, type ResourceFinding } from '../../../src/core/findings';
import { humanTime, plural } from '../../../src/core/humanTime';
import { OrgIndex, type OrgAccount, type OrgUnit } from '../../../src/core/orgIndex';
import { problemsByParent } from '../../../src/core/rollup';
import { LOOKS, countsText, resourceLook, scanLook, type Look } from '../../../src/views/tree/verdictLook';
import { applyNow, decisionLine } from '../../../src/views/decisionText';

const finding = (name: string, verdict: ResourceFinding['verdict'], accountId = '222222222222'): ResourceFinding =>
  ({ kind: 's3', accountId, name, arn: `arn:aws:s3:::${name}`, region: 'us-east-1', verdict, reasons: [], checkedAt: '2026-12-06T05:15:42.000Z' });

test('every state has its own icon and colour; fixed and fine never wear the suspected warning', () => {
  const looks = Object.keys(LOOKS) as Look[];
  assert.deepEqual(looks.sort(), ['fine', 'fixed', 'locked', 'notScanned', 'scanError', 'skipped', 'suspected']);
  assert.equal(new Set(looks.map((l) => LOOKS[l].icon)).size, looks.length, 'icons are distinct');
  assert.equal(new Set(looks.map((l) => LOOKS[l].color)).size, looks.length, 'colours are distinct');
  assert.equal(resourceLook(finding('a', 'locked'), false), 'locked');
  assert.equal(resourceLook(finding('a', 'suspected'), false), 'suspected');
  assert.equal(resourceLook(finding('a', 'fine'), false), 'fine');
  assert.equal(resourceLook(finding('a', 'fine'), true), 'fixed');
  assert.notEqual(LOOKS.fine.icon, LOOKS.suspected.icon);
});

test('a group: skipped (suspended) is not a scan error; not scanned; worst resource first', () => {
  const none = () => false;
  assert.equal(scanLook({ skipped: { short: 'suspended', reason: 'Not scanned: the account is SUSPENDED' }, scannedAt: 'x' }, [], none), 'skipped');
  assert.equal(scanLook(undefined, [], none), 'notScanned');
  assert.equal(scanLook({ scannedAt: 'x', scanError: 'S3: throttled' }, [], none), 'scanError');
  assert.equal(scanLook({ scannedAt: 'x', scanError: 'S3: throttled' }, [finding('a', 'locked')], none), 'locked');
  assert.equal(scanLook({ scannedAt: 'x' }, [finding('a', 'suspected'), finding('b', 'fine')], none), 'suspected');
  assert.equal(scanLook({ scannedAt: 'x' }, [], none), 'fine');
  assert.equal(scanLook({ scannedAt: 'x' }, [finding('b', 'fine')], (arn) => arn === 'arn:aws:s3:::b'), 'fixed');
  assert.equal(countsText({ locked: 2, suspected: 1 }), '2 locked · 1 suspected');
  assert.equal(countsText({ locked: 0, suspected: 0 }), '');
});

test('roll-ups: each OU and the root count the locked and suspected resources below, at thousands of accounts', () => {
  const org = { id: 'o-abc', arn: 'arn:o', managementAccountId: '100000000000', featureSet: 'ALL', rootId: 'r-1', rootArn: 'arn:r' };
  const ou = (id: string, parentId: string): OrgUnit => ({ id, arn: `arn:${id}`, name: id, parentId });
  const acct = (id: string, parentId: string): OrgAccount => ({ id, arn: `arn:${id}`, name: id, email: `${id}@x`, state: 'ACTIVE', parentId });
  const index = new OrgIndex(org);
  const ous = Array.from({ length: 50 }, (_, i) => ou(`ou-${i}`, i < 10 ? 'r-1' : `ou-${i % 10}`));
  index.setListing('r-1', ous.filter((o) => o.parentId === 'r-1'), []);
  for (const o of ous) index.setListing(o.id, ous.filter((c) => c.parentId === o.id), []);
  const findings = new FindingsStore();
  const accounts: OrgAccount[] = [];
  for (let i = 0; i < 5000; i++) {
    const a = acct(String(200000000000 + i), `ou-${10 + (i % 40)}`);
    accounts.push(a);
    const resources = i % 10 === 0 ? [finding(`b${i}`, 'locked', a.id), finding(`c${i}`, 'suspected', a.id)] : [finding(`d${i}`, 'fine', a.id)];
    findings.setScan(a.id, resources, '2026-12-06T05:15:00Z');
  }
  for (const o of ous) index.setListing(o.id, ous.filter((c) => c.parentId === o.id), accounts.filter((a) => a.parentId === o.id));
  const started = performance.now();
  const rolled = problemsByParent(index, findings);
  const ms = performance.now() - started;
  assert.deepEqual(rolled.get('r-1'), { locked: 500, suspected: 500 }, 'the organization total');
  // ou-10 holds accounts i ≡ 0 (mod 40): all flagged (i % 10 === 0), 125 of them; its parent ou-0 too.
  assert.deepEqual(rolled.get('ou-10'), { locked: 125, suspected: 125 });
  // ou-0 is the parent of ou-10, ou-20, ou-30 and ou-40, each with 125 flagged accounts.
  assert.deepEqual(rolled.get('ou-0'), { locked: 500, suspected: 500 }, 'a parent adds up its children');
  assert.equal(rolled.get('ou-1'), undefined);
  assert.equal(rolled.get('ou-11'), undefined, 'nothing flagged below: no entry');
  assert.ok(ms < 200, `roll-up of 5,000 accounts took ${ms.toFixed(1)} ms`);
  assert.deepEqual(findings.problems(accounts[0].id), { locked: 1, suspected: 1 });
});

test('what Apply will do now follows the edits; a taken decision offers nothing', () => {
  const original = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A' }, { Sid: 'B' }] }, null, 2);
  assert.equal(applyNow(original, original), 'Apply will write this policy (2 statements)');
  const edited = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A' }] });
  assert.equal(applyNow(edited, original), 'Apply will write this edited policy (1 statement)');
  assert.equal(applyNow('   ', original), 'Apply will delete the policy (the proposal is empty)');
  assert.equal(applyNow('', ''), 'Apply will delete the policy (the proposal is empty)');
  assert.equal(applyNow('{ "Statement": [', original), 'Apply will be refused: the proposal is not valid JSON');
  const summary = '1 locking statement removed, everything else kept.';
  assert.equal(decisionLine({ text: original, original, summary }), 'Apply will write this policy (2 statements). 1 locking statement removed, everything else kept.');
  // The analyzer proposed deleting; the person wrote a policy: the line no longer says "delete".
  assert.match(decisionLine({ text: edited, original: '', summary: 'Every statement locks everyone out (1 locking statement): nothing would be left.' }), /^Apply will write this edited policy \(1 statement\)/);
  assert.equal(decisionLine({ text: original, original, summary, working: 'apply' }), 'Applying…');
  const refused = { text: edited, message: 'It still locks everyone out.' };
  assert.match(decisionLine({ text: edited, original, summary, refused }), /^Refused: It still locks everyone out\./);
  assert.doesNotMatch(decisionLine({ text: original, original, summary, refused }), /Refused/, 'an edit after the refusal clears it');
});

test('human times and plurals', () => {
  assert.equal(humanTime('2026-12-06T05:15:42.123Z'), '2026-12-06 05:15 UTC');
  assert.equal(humanTime(undefined), '');
  assert.equal(humanTime('not a time'), 'not a time');
  assert.equal(plural(1, 'account'), '1 account');
  assert.equal(plural(2, 'account'), '2 accounts');
  assert.equal(plural(1200, 'warning'), '1,200 warnings');
});
