import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRootReport } from '../../../src/core/rootReport';
import { evaluateSetup } from '../../../src/core/setupCheck';
import { escapeHtml, rootReportHtml, setupCheckHtml, type PageAssets } from '../../../src/views/reportHtml';

const assets: PageAssets = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/report.css',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/report.js',
  nonce: 'bm9uY2Vub25jZW5vbmNl',
};
const hostile = '<img src=x onerror=alert(1)>"\'&';

/** Every <script> carries the nonce, and there is no inline handler or javascript: URL. */
function assertLockedDown(html: string): void {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src &#39;none&#39;/);
  assert.match(csp, /script-src &#39;nonce-bm9uY2Vub25jZW5vbmNl&#39;/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /nonce="bm9uY2Vub25jZW5vbmNl"/);
  assert.doesNotMatch(html, /<[^>]*\son\w+=/i, 'no tag has an inline event handler');
  assert.doesNotMatch(html, /<img/i, 'hostile markup was escaped');
}

test('escapeHtml escapes the five HTML metacharacters', () => {
  assert.equal(escapeHtml(hostile), '&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#38;');
});

test('the root credential report escapes account data and shows the summary', () => {
  const report = buildRootReport([
    {
      accountId: '222222222222', accountName: hostile, path: hostile, auditedAt: '2025-01-01T00:00:00.000Z',
      listing: {
        password: { present: true },
        accessKeys: [{ id: 'AKIAAAAAAAAAAAAAAAA1', status: 'Active', lastUsed: { service: hostile } }],
        signingCertificates: [], mfaDevices: [{ serialNumber: 'arn:aws:iam::222222222222:mfa/root', virtual: true }],
      },
    },
    { accountId: '333333333333', accountName: 'failing', auditedAt: '2025-01-01T00:00:00.000Z', error: hostile },
  ], new Date('2025-01-02T00:00:00Z'));
  const html = rootReportHtml(assets, report);
  assertLockedDown(html);
  assert.match(html, /data-action="exportCsv"/);
  assert.match(html, /data-count="With root credentials"><span class="n">1</);
  assert.match(html, /data-count="Errors"><span class="n">1</);
  assert.match(html, /2222-2222-2222/);
  assert.match(html, /AKIAAAAAAAAAAAAAAAA1/);
  assert.match(html, /arn:aws:iam::222222222222:mfa\/root<\/code> virtual/);
  assert.ok(html.includes(escapeHtml(hostile)));
});

test('an empty report says nothing was audited', () => {
  const html = rootReportHtml(assets, buildRootReport([]));
  assertLockedDown(html);
  assert.match(html, /No account audited yet/);
});

test('the setup check lists each item with what to do', () => {
  const items = evaluateSetup({
    region: 'us-east-1',
    caller: { ok: false, code: 'CredentialsProviderError', error: hostile },
    auditSink: { configured: false },
  });
  const html = setupCheckHtml(assets, items, '2025-01-02T00:00:00.000Z');
  assertLockedDown(html);
  assert.match(html, /Not ready: 1 failed, 5 not checked/);
  assert.match(html, /data-item="credentials"[\s\S]*?Failed[\s\S]*?What to do:/);
  assert.match(html, /data-item="regionalEndpoint"[\s\S]*?OK/);
  assert.equal((html.match(/<li class="item /g) ?? []).length, 8);
});

test('"What to do" links to the setting or command that fixes it; the page says when in human time', () => {
  const items = evaluateSetup({
    region: 'mars-1',
    caller: { ok: true, value: { arn: 'arn:aws:iam::111111111111:user/admin', account: '111111111111' } },
    organization: { ok: true, value: { managementAccountId: '111111111111', featureSet: 'ALL' } },
    features: { ok: true, value: { rootCredentialsManagement: false, rootSessions: true } },
    trustedAccess: { ok: true, value: { status: 'enabled' } },
    auditSink: { configured: false },
  });
  const html = setupCheckHtml(assets, items, '2026-12-06T05:15:42.000Z');
  assert.match(html, /data-item="rootCredentialsManagement"[\s\S]*?What to do:[\s\S]*?data-action="fix:command:rootTasks.enableRootAccessFeatures"/);
  assert.match(html, /data-item="regionalEndpoint"[\s\S]*?data-action="fix:setting:rootTasks.region"/);
  const rootSessions = html.split('<li ').find((li) => li.includes('data-item="rootSessions"')) ?? '';
  assert.match(rootSessions, /badge ok/);
  assert.doesNotMatch(rootSessions, /data-action="fix:/, 'an ok item has no fix link');
  assert.match(html, /2026-12-06 05:15 UTC/);
});
