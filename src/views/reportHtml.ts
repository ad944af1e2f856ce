import { hasAnyCredential, passwordText, type RootReport, type RootAuditResult } from '../core/rootReport';
import type { CheckItem } from '../core/setupCheck';
import { summarize } from '../core/setupCheck';
import { formatAccountId } from '../core/tasks';
import { humanTime, plural } from '../core/humanTime';

/**
 * HTML for the report webviews, built as text without `vscode` so it is unit-tested. Everything
 * shown comes from AWS (account names, OU names, error messages) and is escaped; the page runs only
 * the nonce'd script from media/, and the CSP allows nothing else.
 */
export interface PageAssets {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri of media/report.css and media/report.js */
  styleUri: string;
  scriptUri: string;
  nonce: string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(assets: PageAssets, title: string, body: string): string {
  const csp = [
    "default-src 'none'",
    `style-src ${assets.cspSource}`,
    `script-src 'nonce-${assets.nonce}'`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
${body}
<script nonce="${escapeHtml(assets.nonce)}" src="${escapeHtml(assets.scriptUri)}"></script>
</body>
</html>`;
}

const button = (action: string, label: string, extra = '') =>
  `<button type="button" data-action="${escapeHtml(action)}"${extra}>${escapeHtml(label)}</button>`;

export function rootReportHtml(assets: PageAssets, report: RootReport): string {
  const s = report.summary;
  const counts: Array<[string, number, string]> = [
    ['Accounts', s.accounts, ''],
    ['Clean', s.clean, 'ok'],
    ['With root credentials', s.withAnyCredential, s.withAnyCredential ? 'warn' : ''],
    ['Password', s.withPassword, ''],
    ['Access keys', s.withAccessKeys, ''],
    ['Signing certificates', s.withSigningCertificates, ''],
    ['MFA', s.withMfa, ''],
    ['Errors', s.errors, s.errors ? 'fail' : ''],
  ];
  const summary = counts
    .map(([label, n, cls]) => `<div class="count ${cls}" data-count="${escapeHtml(label)}"><span class="n">${n}</span><span>${escapeHtml(label)}</span></div>`)
    .join('');
  const rows = report.results.length
    ? report.results.map(resultRow).join('\n')
    : '<tr><td colspan="7" class="empty">No account audited yet.</td></tr>';
  return page(assets, 'Root credential report', `
<header>
<h1>Root credential report</h1>
<p class="meta">Generated ${when(report.generatedAt)}</p>
<div class="actions">${button('exportCsv', 'Export CSV')}${button('exportJson', 'Export JSON')}</div>
</header>
<section class="summary" aria-label="Summary">${summary}</section>
<table>
<thead><tr><th>Account</th><th>Status</th><th>Password</th><th>Access keys</th><th>Signing certificates</th><th>MFA devices</th><th>Audited</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`);
}

/** "2025-01-02 03:04 UTC", the full ISO time in the tooltip. */
const when = (iso: string) => `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(humanTime(iso))}</time>`;

function resultRow(r: RootAuditResult): string {
  const account = `<div class="name">${escapeHtml(r.accountName ?? '')}</div><div class="id">${escapeHtml(formatAccountId(r.accountId))}</div>${r.path ? `<div class="path">${escapeHtml(r.path)}</div>` : ''}`;
  const l = r.error ? undefined : r.listing;
  if (!l) {
    return `<tr data-account="${escapeHtml(r.accountId)}" class="error"><td>${account}</td><td class="status fail">Error</td><td colspan="4" class="message">${escapeHtml(r.error ?? 'not audited')}</td><td>${when(r.auditedAt)}</td></tr>`;
  }
  const any = hasAnyCredential(l);
  const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '<span class="none">none</span>');
  const keys = list(l.accessKeys.map((k) =>
    `<code>${escapeHtml(k.id)}</code> ${escapeHtml(k.status)} · last used ${k.lastUsed?.date ? `${when(k.lastUsed.date)}${k.lastUsed.service ? ` (${escapeHtml(k.lastUsed.service)})` : ''}` : 'never'}`));
  const certs = list(l.signingCertificates.map((c) => `<code>${escapeHtml(c.id)}</code> ${escapeHtml(c.status)}`));
  const mfa = list(l.mfaDevices.map((d) => `<code>${escapeHtml(d.serialNumber)}</code>${d.virtual ? ' virtual' : ''}`));
  return `<tr data-account="${escapeHtml(r.accountId)}"><td>${account}</td><td class="status ${any ? 'warn' : 'ok'}">${any ? 'Has root credentials' : 'Clean'}</td><td>${escapeHtml(passwordText(l))}</td><td>${keys}</td><td>${certs}</td><td>${mfa}</td><td>${when(r.auditedAt)}</td></tr>`;
}

const STATUS_LABEL: Record<CheckItem['status'], string> = { ok: 'OK', warn: 'Warning', fail: 'Failed', skip: 'Not checked' };

export function setupCheckHtml(assets: PageAssets, items: readonly CheckItem[], checkedAt: string): string {
  const s = summarize(items);
  const verdict = s.ready
    ? 'Ready: every prerequisite for root tasks is in place.'
    : `Not ready: ${s.fail} failed${s.skip ? `, ${s.skip} not checked` : ''}.`;
  const list = items.map((i) => `<li class="item ${i.status}" data-item="${escapeHtml(i.id)}">
<div class="head"><span class="badge ${i.status}">${STATUS_LABEL[i.status]}</span> <strong>${escapeHtml(i.title)}</strong></div>
<div class="detail">${escapeHtml(i.detail)}</div>
${i.action && i.status !== 'ok' ? `<div class="todo"><span>What to do:</span> ${escapeHtml(i.action)}${i.fix ? ` ${button(i.fix.action, i.fix.label)}` : ''}</div>` : ''}
</li>`).join('\n');
  return page(assets, 'Root Tasks setup check', `
<header>
<h1>Setup check</h1>
<p class="meta">Checked ${when(checkedAt)} · ${s.ok} ok, ${plural(s.warn, 'warning')}, ${s.fail} failed, ${s.skip} not checked</p>
<p class="verdict ${s.ready ? 'ok' : 'fail'}">${escapeHtml(verdict)}</p>
<div class="actions">${button('rerun', 'Check again')}</div>
</header>
<ul class="checks">
${list}
</ul>`);
}
