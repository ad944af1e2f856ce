import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildRootReport,
  RootAuditResults,
  csvCell,
  toCsv,
  toJson,
  toRootStatus,
  type RootAuditResult,
  type RootCredentialListing,
} from '../../../src/core/rootReport';

const empty = (): RootCredentialListing => ({ password: { present: false }, accessKeys: [], signingCertificates: [], mfaDevices: [] });
const now = new Date('2025-01-02T03:04:05Z');

const results: RootAuditResult[] = [
  {
    accountId: '222222222222',
    accountName: '=HYPERLINK("http://evil","x")',
    path: 'Workloads / Prod',
    auditedAt: '2025-01-01T00:00:00.000Z',
    listing: {
      password: { present: true, createdAt: '2020-01-01T00:00:00.000Z' },
      accessKeys: [
        { id: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', lastUsed: { date: '2024-12-01T00:00:00.000Z', service: 's3' } },
        { id: 'AKIAAAAAAAAAAAAAAAA2', status: 'Inactive' },
      ],
      signingCertificates: [{ id: 'CERT1', status: 'Active' }],
      mfaDevices: [{ serialNumber: 'arn:aws:iam::222222222222:mfa/root', virtual: true }],
    },
  },
  { accountId: '111111111111', accountName: 'clean, "quoted"', path: 'Root', auditedAt: '2025-01-01T00:00:00.000Z', listing: empty() },
  { accountId: '333333333333', accountName: 'broken', auditedAt: '2025-01-01T00:00:00.000Z', error: 'AccessDenied: no RootSessions' },
];

test('summary counts accounts by what their root user still has', () => {
  const r = buildRootReport(results, now);
  assert.deepEqual(r.summary, {
    accounts: 3, audited: 2, errors: 1, clean: 1, withAnyCredential: 1,
    withPassword: 1, withAccessKeys: 1, withSigningCertificates: 1, withMfa: 1,
  });
  assert.equal(r.generatedAt, '2025-01-02T03:04:05.000Z');
  assert.deepEqual(r.rows.map((x) => [x.accountId, x.status]), [
    ['111111111111', 'clean'], ['222222222222', 'has-credentials'], ['333333333333', 'error'],
  ]);
  const row = r.rows[1];
  assert.equal(row.activeAccessKeys, 1);
  assert.equal(row.accessKeysLastUsed, 'AKIAAAAAAAAAAAAAAAA1:2024-12-01T00:00:00.000Z AKIAAAAAAAAAAAAAAAA2:never');
  assert.equal(r.rows[2].error, 'AccessDenied: no RootSessions');
});

test('csv cells are RFC 4180 quoted and never start a formula', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=1+2'), "'=1+2");
  assert.equal(csvCell('+cmd'), "'+cmd");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tx'), "'\tx");
  assert.equal(csvCell(' padded '), '" padded "');
  assert.equal(csvCell('=A1,"x"'), `"'=A1,""x"""`);
  assert.equal(csvCell(3), '3');
});

test('csv has a header, CRLF rows in account order and neutralised names', () => {
  const csv = toCsv(buildRootReport(results, now));
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^accountId,accountName,path,status,password,/);
  assert.match(lines[1], /^111111111111,"clean, ""quoted""",Root,clean,no,0,0,/);
  assert.match(lines[2], /^222222222222,"'=HYPERLINK\(""http:\/\/evil"",""x""\)",Workloads \/ Prod,has-credentials,yes,2,1,/);
  assert.match(lines[3], /^333333333333,broken,,error,,0,0,/);
  assert.ok(!/^[=+\-@]/m.test(csv.replace(/^"/gm, '')), 'no line or quoted cell starts a formula');
});

test('json keeps the full detail and the summary, stable across runs', () => {
  const a = toJson(buildRootReport(results, now));
  const b = toJson(buildRootReport([...results].reverse(), now));
  assert.equal(a, b);
  const parsed = JSON.parse(a);
  assert.equal(parsed.summary.accounts, 3);
  assert.equal(parsed.accounts[1].listing.accessKeys[0].lastUsed.service, 's3');
  assert.equal(parsed.accounts[1].listing.mfaDevices[0].virtual, true);
});

test('root status for the tree carries counts and the error', () => {
  assert.deepEqual(toRootStatus(results[0]), {
    accountId: '222222222222', password: true, accessKeys: 2, signingCertificates: 1, mfaDevices: 1, auditedAt: '2025-01-01T00:00:00.000Z',
  });
  assert.deepEqual(toRootStatus(results[2]), {
    accountId: '333333333333', password: false, accessKeys: 0, signingCertificates: 0, mfaDevices: 0,
    auditedAt: '2025-01-01T00:00:00.000Z', error: 'AccessDenied: no RootSessions',
  });
});

test('results keep the latest audit per account across audits and notify listeners', () => {
  const store = new RootAuditResults();
  let changes = 0;
  const sub = store.onDidChange(() => changes++);
  store.merge(results);
  store.merge([{ accountId: '222222222222', accountName: 'renamed', auditedAt: '2025-02-01T00:00:00.000Z', listing: empty() }]);
  sub.dispose();
  store.merge([]);
  assert.equal(changes, 2);
  assert.equal(store.size, 3);
  const report = store.report(now);
  assert.equal(report.summary.clean, 2);
  assert.equal(report.rows.find((r) => r.accountId === '222222222222')?.accountName, 'renamed');
});
