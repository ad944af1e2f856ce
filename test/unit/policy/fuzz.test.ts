// Property test over generated policies (seeded: every document is rebuilt from SEED and its index, so a failure
// message names what to rerun with POLICY_FUZZ_SEED / POLICY_FUZZ_ONLY). For each document:
//  - analyzePolicy never throws and its result is internally consistent;
//  - removing the reported statements (the fix) always yields a policy analyzed as "fine", as object and as text;
//  - the verdict, offending statements and problems survive a formatPolicy round trip;
//  - for unconditional Deny statements with a Principal, an independent oracle (regex globs, plain rules) agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePolicy, formatPolicy, type PolicyAnalysis, type PolicyResource } from '../../../src/core/policy';
import { seededRandom } from '../../sandbox/random';

const SEED = Number(process.env.POLICY_FUZZ_SEED ?? 0x5eed2024);
const COUNT = Number(process.env.POLICY_FUZZ_COUNT ?? 100_000);
const ONLY = process.env.POLICY_FUZZ_ONLY === undefined ? undefined : Number(process.env.POLICY_FUZZ_ONLY);


const OWNER = '111122223333';
const OTHER = '999988887777';
const BUCKET = 'arn:aws:s3:::data-bucket';
const QUEUE = `arn:aws:sqs:eu-west-1:${OWNER}:jobs`;
const RESOURCES: PolicyResource[] = [
  { kind: 's3', arn: BUCKET, accountId: OWNER },
  { kind: 's3', arn: BUCKET },
  { kind: 's3', arn: BUCKET, accountId: OWNER, organizationId: 'o-right00000' },
  { kind: 'sqs', arn: QUEUE },
  { kind: 'sqs', arn: QUEUE, organizationId: 'o-right00000' },
];
const MANAGEMENT = { s3: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'], sqs: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'] };

const PRINCIPALS: unknown[] = ['*', { AWS: '*' }, { AWS: ['*'] }, { AWS: OWNER }, { AWS: `arn:aws:iam::${OWNER}:root` }, { AWS: OTHER },
  { AWS: `arn:aws:iam::${OWNER}:role/Admin` }, { AWS: [`arn:aws:iam::${OWNER}:role/Admin`, `arn:aws:iam::${OWNER}:root`] },
  { AWS: [`arn:aws:iam::${OTHER}:root`, '*'] }, { Service: 's3.amazonaws.com' }, { Service: ['sns.amazonaws.com', 'sqs.amazonaws.com'] },
  { CanonicalUser: '79a59df900b949e55d96a1e698fbace' }, { Federated: 'cognito-identity.amazonaws.com' }, { AWS: 'AROAEXAMPLEDELETED1' },
  { AWS: `arn:aws-cn:iam::${OWNER}:root` }];
const ACTIONS = ['*', 's3:*', 'S3:*Policy*', 's3:Put*', 's3:GetObject', 's3:PutObject', 's3:?etBucketPolicy', 's3:DeleteBucketPolicy',
  'sqs:*', 'sqs:SetQueueAttributes', 'SQS:get*', 'sqs:SendMessage', 'iam:*', '*Policy', 's3:*Object*', 's3:PutBucketPolicyStatus',
  '*:*', 's3:', '?', '**', 'sqs:*Queue*'];
const RESOURCE_PATTERNS = [BUCKET, `${BUCKET}/*`, '*', 'arn:aws:s3:::*', 'arn:aws:s3:::other', 'arn:aws:s3:::data-*', 'arn:aws:s3:::data-bucke?',
  `${BUCKET}/logs/*`, 'arn:aws:s3:::DATA-BUCKET', QUEUE, 'arn:aws:sqs:*:*:*', `arn:aws:sqs:eu-west-1:${OWNER}:other`, 'arn:aws:sqs:*:*:job?', '*/*', ''];
const OPERATORS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'ArnLike', 'ArnNotLike', 'Bool', 'BoolIfExists', 'Null',
  'IpAddress', 'NotIpAddress', 'NumericLessThan', 'DateGreaterThan', 'ForAllValues:StringNotEquals', 'ForAnyValue:StringEquals',
  'StringNotEqualsIfExists', 'stringnotequals', 'StringEqualsIgnoreCase', 'NotAnOperator', 'NullIfExists'];
const KEYS = ['aws:SourceVpce', 'aws:SourceIp', 'aws:SecureTransport', 'aws:PrincipalArn', 'aws:PrincipalAccount', 'aws:PrincipalOrgID',
  'aws:userid', 'aws:username', 'aws:SourceArn', 'aws:MultiFactorAuthPresent', 's3:x-amz-acl', 's3:TlsVersion', 'aws:PrincipalTag/team',
  'aws:RequestedRegion', 'aws:CurrentTime', 'aws:TagKeys', 'custom:key', 'aws:Referer', 'aws:PrincipalType', 'AWS:SOURCEACCOUNT'];
const VALUES: unknown[] = ['true', 'false', true, false, 1.2, OWNER, OTHER, 'o-right00000', 'o-wrong00000', 'vpce-1a2b', '10.0.0.0/8', '0.0.0.0/0',
  `arn:aws:iam::${OWNER}:role/*`, `arn:aws:iam::${OWNER}:root`, `arn:aws:iam::*:role/Admin`, '*', 'AROAEXAMPLE:*', 'Account', 'User',
  '${aws:username}', 'eu-west-1', '2020-01-01T00:00:00Z', 'AES256', 'maybe'];
const JUNK: (() => unknown)[] = [() => 5, () => null, () => [], () => ({}), () => [1, [2, [3]]], () => 'x', () => true, () => -0.5,
  () => JSON.parse(`${'['.repeat(80)}${']'.repeat(80)}`), () => ({ nested: { deeper: [null] } })];

function generate(r: () => number): { input: unknown; resource: PolicyResource } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number): boolean => r() < p;
  const junkOr = <T>(make: () => T, p = 0.006): unknown => (chance(p) ? pick(JUNK)() : make());
  const oneOrMany = <T>(pool: readonly T[], max: number): T | T[] => {
    const n = 1 + Math.floor(r() * max);
    const items = Array.from({ length: n }, () => pick(pool));
    return n === 1 && chance(0.5) ? items[0] : items;
  };
  const condition = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (let k = Math.floor(r() * 3); k >= 0; k--) {
      const block: Record<string, unknown> = {};
      for (let j = Math.floor(r() * 2); j >= 0; j--) block[pick(KEYS)] = junkOr(() => oneOrMany(VALUES, 3));
      out[pick(OPERATORS)] = junkOr(() => block);
    }
    return out;
  };
  const statement = (): unknown => {
    const st: Record<string, unknown> = {};
    if (chance(0.4)) st.Sid = junkOr(() => `S${Math.floor(r() * 5)}`);
    st.Effect = junkOr(() => (chance(0.75) ? 'Deny' : 'Allow'), 0.01);
    if (chance(0.97)) st[chance(0.8) ? 'Principal' : 'NotPrincipal'] = junkOr(() => pick(PRINCIPALS));
    st[chance(0.85) ? 'Action' : 'NotAction'] = junkOr(() => oneOrMany(ACTIONS, 3));
    if (chance(0.9)) st[chance(0.85) ? 'Resource' : 'NotResource'] = junkOr(() => oneOrMany(RESOURCE_PATTERNS, 3));
    if (chance(0.45)) st.Condition = junkOr(condition);
    if (chance(0.03)) st.Extra = 'ignored';
    return junkOr(() => st, 0.004);
  };
  const doc: Record<string, unknown> = {};
  if (chance(0.9)) doc.Version = junkOr(() => (chance(0.9) ? '2012-10-17' : '2008-10-17'));
  if (chance(0.3)) doc.Id = junkOr(() => 'PolicyId');
  if (chance(0.98)) {
    const n = Math.floor(r() * 7);
    doc.Statement = chance(0.1) && n === 1 ? statement() : junkOr(() => Array.from({ length: n }, statement), 0.01);
  }
  const resource = pick(RESOURCES);
  if (!chance(0.08)) return { input: chance(0.5) ? doc : JSON.stringify(doc), resource };
  // Broken text: a few random edits of the serialized document.
  const chars = [...JSON.stringify(doc)];
  for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
    const at = Math.floor(r() * (chars.length + 1));
    const edit = Math.floor(r() * 3);
    const ch = pick(['{', '}', '[', ']', '"', ',', ':', 'x', ' ', '0', '\\', '\n']);
    if (edit === 0) chars.splice(at, 1);
    else if (edit === 1) chars.splice(at, 0, ch);
    else chars[at] = ch;
  }
  return { input: chars.join(''), resource };
}

// ---- the independent oracle: unconditional Deny statements with a Principal, owner known ----
const regexes = new Map<string, RegExp>();
function globRe(p: string, flags = ''): RegExp {
  let re = regexes.get(flags + p);
  if (!re) {
    re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, `s${flags}`);
    regexes.set(flags + p, re);
  }
  return re;
}
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]) as string[];
function oracle(st: Record<string, unknown>, resource: PolicyResource): 'locks-management' | 'not-offending' | undefined {
  const owner = resource.kind === 'sqs' ? OWNER : resource.accountId;
  if (st.Effect !== 'Deny' || !('Principal' in st) || 'Condition' in st || !owner) return undefined;
  const p = st.Principal;
  const aws = p === '*' ? ['*'] : typeof p === 'object' && p !== null && 'AWS' in p ? list((p as { AWS: unknown }).AWS) : [];
  if (typeof p === 'object' && p !== null && 'CanonicalUser' in p) return undefined;
  const everyone = aws.some((v) => v === '*' || v === owner || v === `arn:aws:iam::${owner}:root`);
  if (!everyone) return 'not-offending';
  const matchesAction = (a: string): boolean => {
    const hit = list(st.Action ?? st.NotAction).some((pat) => globRe(pat, 'i').test(a));
    return 'Action' in st ? hit : !hit;
  };
  const res = st.Resource ?? st.NotResource;
  const onResource = res === undefined || ('Resource' in st ? list(res).some((pat) => globRe(pat).test(resource.arn)) : !list(res).some((pat) => globRe(pat).test(resource.arn)));
  return onResource && MANAGEMENT[resource.kind].some(matchesAction) ? 'locks-management' : undefined;
}

const verdicts = new Set(['locked', 'suspected', 'fine', 'invalid']);
function consistent(a: PolicyAnalysis): void {
  assert.ok(verdicts.has(a.verdict));
  assert.ok(a.reasons.length > 0 && a.reasons.every((x) => typeof x === 'string' && x.length > 0));
  assert.equal(a.verdict === 'invalid', a.problems.length > 0);
  const idx = a.offending.map((o) => o.index);
  assert.ok(idx.every((v, k) => k === 0 || v > idx[k - 1]), 'offending in order, once each');
  assert.ok(a.offending.every((o) => o.why.length > 0));
  if (a.verdict === 'fine') assert.equal(a.offending.length + Number(a.locksPolicyManagement), 0);
  if (a.verdict === 'locked') assert.ok(a.offending.some((o) => o.verdict === 'locked'));
  if (a.verdict === 'suspected') assert.ok(a.offending.length > 0 && a.offending.every((o) => o.verdict === 'suspected'));
  assert.equal(a.fix !== undefined, a.verdict === 'locked' || a.verdict === 'suspected');
  if (a.locksPolicyManagement) assert.ok(a.offending.some((o) => o.verdict === 'locked' && o.blocksPolicyManagement));
}

/** The document as JSON.parse reads it, when the analyzer read the same text too (it also refuses duplicate keys). */
function parsedAlike(text: string, a: PolicyAnalysis): unknown {
  if (a.problems.some((p) => p.startsWith('Line '))) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    assert.ok(a.problems.length > 0, 'the analyzer read text that JSON.parse rejects');
    return undefined;
  }
}

function checkOne(i: number, stats: Record<string, number>): void {
  const { input, resource } = generate(seededRandom((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0));
  const a = analyzePolicy(input, resource);
  consistent(a);
  stats[a.verdict]++;
  const doc = typeof input === 'string' ? parsedAlike(input, a) : input;
  const statements = doc && typeof doc === 'object' && 'Statement' in doc ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];

  if (a.fix?.kind === 'put') {
    const after = analyzePolicy(a.fix.policy, resource);
    assert.equal(after.verdict, 'fine', `fix not fine: ${after.reasons.join(' ')}`);
    assert.equal(analyzePolicy(a.fix.text, resource).verdict, 'fine');
    const dropped = new Set(a.offending.map((o) => o.index));
    const fixed = a.fix.policy as Record<string, unknown>;
    assert.deepEqual(fixed.Statement, statements.filter((_: unknown, k: number) => !dropped.has(k)));
    assert.deepEqual(Object.keys(fixed), Object.keys(doc as object));
    stats.fixes++;
  } else if (a.fix?.kind === 'delete') {
    assert.equal(a.offending.length, statements.length);
    stats.deletes++;
  }

  if (doc !== undefined) {
    const again = analyzePolicy(formatPolicy(doc), resource);
    assert.equal(again.verdict, a.verdict, 'verdict changed by formatPolicy round trip');
    assert.deepEqual(again.offending.map((o) => [o.index, o.verdict, o.blocksPolicyManagement]), a.offending.map((o) => [o.index, o.verdict, o.blocksPolicyManagement]));
    // Reading limits are worded by position for text and by path for objects; shape problems must match.
    const reading = /^Line \d+|nested more than|more than [\d,]+ values|characters long/;
    // Problems follow key order, which formatting changes, so they are compared as sets.
    if (!a.problems.some((p) => reading.test(p))) assert.deepEqual([...again.problems].sort(), [...a.problems].sort());
    stats.roundTrips++;
  }

  if (a.verdict !== 'invalid') {
    statements.forEach((st: Record<string, unknown>, k: number) => {
      const expected = oracle(st, resource);
      if (expected === undefined) return;
      const found = a.offending.find((o) => o.index === k);
      if (expected === 'not-offending') assert.equal(found, undefined, `statement ${k} should not offend`);
      else assert.ok(found?.verdict === 'locked' && found.blocksPolicyManagement, `statement ${k} should lock management`);
      stats.oracle++;
    });
  }
}

test(`fuzz: ${COUNT.toLocaleString('en-US')} generated policies (seed ${SEED})`, () => {
  const stats: Record<string, number> = { locked: 0, suspected: 0, fine: 0, invalid: 0, fixes: 0, deletes: 0, roundTrips: 0, oracle: 0 };
  const start = ONLY ?? 0;
  const end = ONLY === undefined ? COUNT : ONLY + 1;
  for (let i = start; i < end; i++) {
    try {
      checkOne(i, stats);
    } catch (err) {
      const { input, resource } = generate(seededRandom((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0));
      const shown = typeof input === 'string' ? input : JSON.stringify(input);
      assert.fail(`document ${i} (rerun: POLICY_FUZZ_SEED=${SEED} POLICY_FUZZ_ONLY=${i}) on ${JSON.stringify(resource)}: ${(err as Error).message}\n${shown?.slice(0, 2000)}`);
    }
  }
  console.log(`policy fuzz: ${JSON.stringify(stats)}`);
  if (ONLY === undefined && COUNT >= 10_000) {
    // The generator must exercise every outcome, or the properties above prove little.
    for (const key of Object.keys(stats)) assert.ok(stats[key] > COUNT / 200, `too few ${key}: ${stats[key]}`);
  }
});
