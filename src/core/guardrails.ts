import { hasControls, quote } from './quote';
import { formatAccountId, isAccountId } from './tasks';
import type { OrgIndex } from './orgIndex';

/**
 * The guardrails every root task passes before any credentials are taken. Pure: the settings are
 * read by the caller (user/machine values for the ones that widen what may be done).
 */
export interface GuardrailSettings {
  requireJustification: boolean;
  /** Regular expression a ticket id must match; empty = any non-empty ticket. */
  ticketPattern: string;
  /** ARN globs (`*` = any run of characters, `?` = one) of resources that are never changed. */
  protectedResources: readonly string[];
  /** When non-empty, only these account ids may be targeted. */
  allowedAccounts: readonly string[];
  deniedAccounts: readonly string[];
}

export const DEFAULT_TICKET_PATTERN = '^[A-Z][A-Z0-9]+-\\d+$';

export const DEFAULT_GUARDRAILS: GuardrailSettings = {
  requireJustification: true,
  ticketPattern: DEFAULT_TICKET_PATTERN,
  protectedResources: [],
  allowedAccounts: [],
  deniedAccounts: [],
};

export type GuardrailRule =
  | 'justification'
  | 'ticket'
  | 'accountId'
  | 'deniedAccount'
  | 'notAllowedAccount'
  | 'managementAccount'
  | 'outsideOrganization'
  | 'protectedResource'
  /** The organization's SCPs or RCPs certainly deny the task to root sessions (src/core/orgPolicies). */
  | 'organizationPolicy';

export type GuardrailResult = { ok: true } | { ok: false; rule: GuardrailRule; message: string };

const MIN_JUSTIFICATION = 10;

export function checkJustification(settings: GuardrailSettings, justification: string): GuardrailResult {
  if (!settings.requireJustification) return { ok: true };
  const text = justification.trim();
  // Line breaks and tabs are fine in a justification (and bidi marks, in right-to-left text);
  // other control characters are not text.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text)) {
    return { ok: false, rule: 'justification', message: 'The justification contains control characters; write it as plain text.' };
  }
  if (text.length < MIN_JUSTIFICATION) {
    return { ok: false, rule: 'justification', message: `A justification of at least ${MIN_JUSTIFICATION} characters is required (say why root access is needed).` };
  }
  return { ok: true };
}

export function checkTicket(settings: GuardrailSettings, ticket: string): GuardrailResult {
  if (!settings.requireJustification) return { ok: true };
  const t = ticket.trim();
  if (!t) return { ok: false, rule: 'ticket', message: 'A ticket id is required.' };
  if (hasControls(t)) return { ok: false, rule: 'ticket', message: `Ticket ${quote(t)} contains control characters.` };
  const pattern = compilePattern(settings.ticketPattern);
  if (pattern && !pattern.test(t)) {
    return { ok: false, rule: 'ticket', message: `Ticket ${quote(t)} does not match the required pattern ${quote(settings.ticketPattern, 200)}.` };
  }
  return { ok: true };
}

/** An unusable pattern fails closed: nothing matches, and the message names the setting. */
function compilePattern(source: string): RegExp | undefined {
  if (!source.trim()) return undefined;
  try {
    return new RegExp(source);
  } catch {
    return /(?!)/;
  }
}

/** Account-level rules: a valid id, allowed/denied lists, a member of the organization, not its management account. */
export function checkAccount(settings: GuardrailSettings, accountId: string, index?: OrgIndex): GuardrailResult {
  if (!isAccountId(accountId)) {
    return { ok: false, rule: 'accountId', message: `${quote(accountId)} is not an AWS account id (12 digits).` };
  }
  const shown = formatAccountId(accountId);
  if (settings.deniedAccounts.includes(accountId)) {
    return { ok: false, rule: 'deniedAccount', message: `Account ${shown} is in rootTasks.guardrails.deniedAccounts.` };
  }
  if (settings.allowedAccounts.length && !settings.allowedAccounts.includes(accountId)) {
    return { ok: false, rule: 'notAllowedAccount', message: `Account ${shown} is not in rootTasks.guardrails.allowedAccounts.` };
  }
  if (index) {
    if (accountId === index.organization.managementAccountId) {
      return { ok: false, rule: 'managementAccount', message: `Account ${shown} is the management account: root sessions can only target member accounts.` };
    }
    if (!index.accounts.has(accountId)) {
      return { ok: false, rule: 'outsideOrganization', message: `Account ${shown} is not a member of organization ${index.organization.id}.` };
    }
  }
  return { ok: true };
}

export function checkResource(settings: GuardrailSettings, resourceArn: string): GuardrailResult {
  const glob = settings.protectedResources.find((g) => globMatches(g, resourceArn));
  if (glob !== undefined) {
    return { ok: false, rule: 'protectedResource', message: `${quote(resourceArn, 2048)} is protected by rootTasks.guardrails.protectedResources (${quote(glob, 2048)}); it is never changed.` };
  }
  return { ok: true };
}

export interface GuardrailRequest {
  accountId: string;
  resourceArn?: string;
  justification: string;
  ticket: string;
}

/** All rules, first refusal wins. The index, when given, enforces "member of this organization". */
export function checkGuardrails(settings: GuardrailSettings, req: GuardrailRequest, index?: OrgIndex): GuardrailResult {
  for (const result of [
    checkJustification(settings, req.justification),
    checkTicket(settings, req.ticket),
    checkAccount(settings, req.accountId, index),
    req.resourceArn ? checkResource(settings, req.resourceArn) : { ok: true as const },
  ]) {
    if (!result.ok) return result;
  }
  return { ok: true };
}

/** `*` matches any run of characters (also across `:` and `/`), `?` one character; case-sensitive like ARNs. */
export function globMatches(glob: string, value: string): boolean {
  const g = glob.trim();
  if (!g) return false;
  const source = g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
