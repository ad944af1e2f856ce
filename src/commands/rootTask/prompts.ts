import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { checkJustification, checkTicket } from '../../core/guardrails';
import type { OrgAccount, OrgIndex } from '../../core/orgIndex';
import { targetOf } from '../../core/targets';
import { formatAccountId } from '../../core/tasks';
import { readGuardrailSettings } from './settings';

/**
 * Asks for the justification and ticket (validated as the guardrails will check them), or takes
 * them from command arguments (tests, automation). Whatever is given is checked again by the runner.
 */
export async function askJustification(args?: { justification?: string; ticket?: string }): Promise<{ justification: string; ticket: string }> {
  const settings = readGuardrailSettings();
  const justification = args?.justification ?? (await vscode.window.showInputBox({
    title: 'Root task: justification',
    prompt: 'Why is root access needed? This goes into the audit trail.',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = checkJustification(settings, v);
      return r.ok ? undefined : r.message;
    },
  }));
  if (justification === undefined) throw new Cancelled();
  const ticket = args?.ticket ?? (await vscode.window.showInputBox({
    title: 'Root task: ticket',
    prompt: settings.ticketPattern ? `Ticket id (pattern ${settings.ticketPattern})` : 'Ticket id',
    placeHolder: 'OPS-1234',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = checkTicket(settings, v);
      return r.ok ? undefined : r.message;
    },
  }));
  if (ticket === undefined) throw new Cancelled();
  return { justification: justification.trim(), ticket: ticket.trim() };
}

/**
 * The accounts a command works on: from a tree target (account, OU, organization), an account id
 * argument, or a quick pick over the member accounts of the org index (searchable by name, id and
 * OU path). An id the index does not know is returned as-is so the guardrails refuse it (audited).
 */
export async function pickAccount(
  getIndex: () => Promise<OrgIndex>,
  arg?: unknown,
  opts?: { multi?: boolean; title?: string },
): Promise<OrgAccount[]> {
  const target = targetOf(arg);
  const id = target?.kind === 'account' || target?.kind === 'bucket' || target?.kind === 'queue' ? target.accountId
    : typeof arg === 'string' ? arg
      : typeof (arg as { accountId?: unknown } | undefined)?.accountId === 'string' ? (arg as { accountId: string }).accountId
        : undefined;
  const index = await getIndex();
  if (id !== undefined) return [index.accounts.get(id.trim()) ?? unknownAccount(id.trim())];
  if (target?.kind === 'ou') return members(index, index.accountsUnder(target.ouId));
  if (target?.kind === 'organization') return index.memberAccounts();

  const items = index.memberAccounts()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((account) => ({
      label: account.name,
      description: `${account.id}${account.state === 'ACTIVE' ? '' : ` · ${account.state}`}`,
      detail: index.pathOf(account.parentId),
      account,
    }));
  const title = opts?.title ?? (opts?.multi ? 'Choose member accounts' : 'Choose a member account');
  const placeHolder = 'Search by name, account id or OU path';
  if (opts?.multi) {
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
    if (!picked?.length) throw new Cancelled();
    return picked.map((p) => p.account);
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked) throw new Cancelled();
  return [picked.account];
}

function members(index: OrgIndex, accounts: OrgAccount[]): OrgAccount[] {
  return accounts.filter((a) => a.id !== index.organization.managementAccountId);
}

function unknownAccount(id: string): OrgAccount {
  return { id, arn: '', name: formatAccountId(id), email: '', state: 'UNKNOWN', parentId: '' };
}
