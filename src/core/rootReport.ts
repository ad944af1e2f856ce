/**
 * The root-credential report: what an audit found per account, as rows, CSV and JSON. Pure: the
 * audit flow fills it, the report view draws it, the export writes it. Account names are set by
 * account owners and are attacker-influenced text, so the CSV neutralises spreadsheet formulas.
 */
import type { RootCredentialStatus } from './findings';

/** One root user's credentials as listed under an IAMAuditRootUserCredentials session. */
export interface RootCredentialListing {
  /**
   * `present`: a login profile exists. `recoveryOnly`: it is the one "Allow Root Password Recovery"
   * created without a password (AWS's answers look the same either way; the extension knows).
   */
  password: { present: boolean; createdAt?: string; passwordResetRequired?: boolean; recoveryOnly?: boolean };
  accessKeys: RootAccessKey[];
  signingCertificates: { id: string; status: string; uploadedAt?: string }[];
  mfaDevices: { serialNumber: string; enabledAt?: string; virtual: boolean }[];
  /** GetAccountSummary's root-credential flags, when the task allows reading them. */
  summary?: Partial<Record<'AccountMFAEnabled' | 'AccountAccessKeysPresent' | 'AccountSigningCertificatesPresent' | 'AccountPasswordPresent', number>>;
}

export interface RootAccessKey {
  /** The key id (not secret: the console shows it); never the secret key. */
  id: string;
  status: string;
  createdAt?: string;
  lastUsed?: { date?: string; service?: string; region?: string };
}

/** The audit of one account: a listing, or the reason there is none. */
export interface RootAuditResult {
  accountId: string;
  accountName?: string;
  /** OU path ("Workloads / Prod"). */
  path?: string;
  auditedAt: string;
  listing?: RootCredentialListing;
  error?: string;
}

export interface RootReportRow {
  accountId: string;
  accountName: string;
  path: string;
  status: 'clean' | 'has-credentials' | 'error';
  password: string;
  accessKeys: number;
  activeAccessKeys: number;
  accessKeyIds: string;
  accessKeysLastUsed: string;
  signingCertificates: number;
  mfaDevices: number;
  auditedAt: string;
  error: string;
}

export interface RootReportSummary {
  accounts: number;
  audited: number;
  errors: number;
  clean: number;
  withAnyCredential: number;
  withPassword: number;
  withAccessKeys: number;
  withSigningCertificates: number;
  withMfa: number;
}

export interface RootReport {
  generatedAt: string;
  summary: RootReportSummary;
  rows: RootReportRow[];
  results: RootAuditResult[];
}

/** A password someone could sign in with: a login profile that is not the recovery-only one. */
export function hasPassword(l: RootCredentialListing): boolean {
  return l.password.present && !l.password.recoveryOnly;
}

export function hasAnyCredential(l: RootCredentialListing): boolean {
  return hasPassword(l) || l.accessKeys.length > 0 || l.signingCertificates.length > 0 || l.mfaDevices.length > 0;
}

/** The report's password cell: "yes", "no", or "recovery enabled (no password)". */
export function passwordText(l: RootCredentialListing): string {
  return l.password.recoveryOnly ? 'recovery enabled (no password)' : l.password.present ? 'yes' : 'no';
}

/** Rows in a stable order (account id), so two exports of the same audit are identical. */
export function buildRootReport(results: readonly RootAuditResult[], now = new Date()): RootReport {
  const sorted = [...results].sort((a, b) => a.accountId.localeCompare(b.accountId));
  const rows = sorted.map(toRow);
  const listed = sorted.flatMap((r) => (r.listing && !r.error ? [r.listing] : []));
  const summary: RootReportSummary = {
    accounts: sorted.length,
    audited: listed.length,
    errors: sorted.length - listed.length,
    clean: listed.filter((l) => !hasAnyCredential(l)).length,
    withAnyCredential: listed.filter(hasAnyCredential).length,
    withPassword: listed.filter(hasPassword).length,
    withAccessKeys: listed.filter((l) => l.accessKeys.length > 0).length,
    withSigningCertificates: listed.filter((l) => l.signingCertificates.length > 0).length,
    withMfa: listed.filter((l) => l.mfaDevices.length > 0).length,
  };
  return { generatedAt: now.toISOString(), summary, rows, results: sorted };
}

function toRow(r: RootAuditResult): RootReportRow {
  const l = r.error ? undefined : r.listing;
  return {
    accountId: r.accountId,
    accountName: r.accountName ?? '',
    path: r.path ?? '',
    status: !l ? 'error' : hasAnyCredential(l) ? 'has-credentials' : 'clean',
    password: !l ? '' : passwordText(l),
    accessKeys: l?.accessKeys.length ?? 0,
    activeAccessKeys: l?.accessKeys.filter((k) => k.status === 'Active').length ?? 0,
    accessKeyIds: l?.accessKeys.map((k) => k.id).join(' ') ?? '',
    accessKeysLastUsed: l?.accessKeys.map((k) => `${k.id}:${k.lastUsed?.date ?? 'never'}`).join(' ') ?? '',
    signingCertificates: l?.signingCertificates.length ?? 0,
    mfaDevices: l?.mfaDevices.length ?? 0,
    auditedAt: r.auditedAt,
    error: r.error ?? (l ? '' : 'not audited'),
  };
}

const CSV_COLUMNS: readonly (keyof RootReportRow)[] = [
  'accountId', 'accountName', 'path', 'status', 'password', 'accessKeys', 'activeAccessKeys', 'accessKeyIds',
  'accessKeysLastUsed', 'signingCertificates', 'mfaDevices', 'auditedAt', 'error',
];

/**
 * One CSV cell: RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would run as a
 * formula (= + - @, and tab/CR which some spreadsheets strip before looking).
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CRLF line endings and a header row, as RFC 4180 describes. */
export function toCsv(report: RootReport): string {
  const lines = [CSV_COLUMNS.join(','), ...report.rows.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** The full detail (per-key last use, MFA serials) plus the summary, pretty and stable. */
export function toJson(report: RootReport): string {
  return JSON.stringify({ generatedAt: report.generatedAt, summary: report.summary, accounts: report.results }, null, 2) + '\n';
}

/** What the tree shows and FindingsStore keeps (counts only). */
export function toRootStatus(r: RootAuditResult): RootCredentialStatus {
  const l = r.listing;
  return {
    accountId: r.accountId,
    password: l?.password.present ?? false,
    ...(l?.password.recoveryOnly && l.password.createdAt ? { passwordRecovery: l.password.createdAt } : {}),
    accessKeys: l?.accessKeys.length ?? 0,
    signingCertificates: l?.signingCertificates.length ?? 0,
    mfaDevices: l?.mfaDevices.length ?? 0,
    auditedAt: r.auditedAt,
    ...(r.error ? { error: r.error } : {}),
  };
}

/**
 * The latest audit result per account, across audits of this window (an OU now, another later),
 * so the report and the export cover everything audited; a delete replaces an account's row with
 * its verified re-listing.
 */
export class RootAuditResults {
  private readonly byAccount = new Map<string, RootAuditResult>();
  private readonly listeners = new Set<() => void>();

  merge(results: readonly RootAuditResult[]): void {
    for (const r of results) this.byAccount.set(r.accountId, r);
    for (const l of this.listeners) l();
  }

  get(accountId: string): RootAuditResult | undefined {
    return this.byAccount.get(accountId);
  }

  get size(): number {
    return this.byAccount.size;
  }

  report(now = new Date()): RootReport {
    return buildRootReport([...this.byAccount.values()], now);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
