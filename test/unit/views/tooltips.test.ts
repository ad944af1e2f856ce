// Tooltips never fetch or link: every AWS-provided value in the tree's Markdown tooltips is
// escaped, checked by rendering the Markdown with a CommonMark renderer (markdown-it, with
// autolinks on as GitHub-flavoured renderers have them) and looking for images and links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { OrgAccount, OrganizationInfo } from '../../../src/core/orgIndex';
import type { ResourceFinding } from '../../../src/core/findings';
import { mdText, plainText } from '../../../src/views/markdownText';
import { accountTooltip, organizationTooltip, resourceTooltip } from '../../../src/views/tree/tooltips';

// markdown-it is in the dev dependencies (through the packager); loaded untyped.
const MarkdownIt = createRequire(__filename)('markdown-it') as new (options: object) => { render(md: string): string };
const render = (md: string) => new MarkdownIt({ html: false, linkify: true }).render(md);

const HOSTILE = [
  '![x](https://host/beacon.png)',
  '[click](https://host/phish)',
  '<img src="https://host/b.png">',
  'https://host/bare-autolink',
  'www.host.example',
  'ops@host.example',
  '**bold** _it_ `code` # heading',
  '[ref]: https://host/ref\n\n![y][ref]',
  'payments\u202Etxt.exe',
];

function assertInert(md: string, what: string): void {
  const html = render(md);
  assert.doesNotMatch(html, /<img|<a |<script|<h1|<html|<iframe/, `${what} rendered an image, a link or markup: ${html}`);
}

test('an account renamed to Markdown shows as text: no image, no link, in every tooltip field', () => {
  for (const name of HOSTILE) {
    const account: OrgAccount = { id: '320000000001', arn: 'arn:aws:organizations::1:account/o-x/320000000001', name, email: name, state: 'ACTIVE', parentId: 'r-1' };
    assertInert(accountTooltip(account, false), `account name ${JSON.stringify(name)}`);
    const org: OrganizationInfo = { id: name, arn: '', managementAccountId: name, featureSet: name, rootId: 'r-1', rootArn: '', features: { rootCredentialsManagement: true, rootSessions: true, error: name } };
    assertInert(organizationTooltip(org), `organization field ${JSON.stringify(name)}`);
    const finding = { kind: 's3', accountId: '320000000001', name, arn: name, region: 'us-east-1', verdict: 'locked', reasons: [`${name}\n{"Sid": "x"}`], checkedAt: '' } as unknown as ResourceFinding;
    assertInert(resourceTooltip(finding), `finding ${JSON.stringify(name)}`);
  }
});

test('escaped text still reads as the original', () => {
  assert.equal(render(mdText('acme-payments (prod) #1')).trim(), '<p>acme-payments (prod) #1</p>');
  assert.match(render(resourceTooltip({ name: 'b', arn: 'arn:aws:s3:::b', verdict: 'locked', reasons: ['Denies everyone\n{"Sid": "DenyEveryone"}'] } as unknown as ResourceFinding)), /<code class="language-json">\{&quot;Sid&quot;: &quot;DenyEveryone&quot;\}/);
});

test('bidirectional and control characters are shown visibly', () => {
  assert.equal(plainText('payments\u202Etxt.exe'), 'payments\\u202etxt.exe');
  assert.equal(plainText('line\nbreak\u0000'), 'line\\u000abreak\\u0000');
  assert.match(render(mdText('a\u2066b\u200Fc')), /a\\u2066b\\u200fc/);
});
