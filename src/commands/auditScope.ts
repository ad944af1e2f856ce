import * as vscode from 'vscode';
import { Cancelled } from '../core/errors';
import type { OrgAccount, OrgIndex } from '../core/orgIndex';
import { targetOf } from '../core/targets';
import { formatAccountId } from '../core/tasks';
import { pickAccount } from './rootTask/runner';

/** Which accounts a bulk command works on, when given as arguments (tests, automation). */
export interface AccountSelection {
  /** One account (also what the tree's root-credential status node passes). */
  accountId?: string;
  accountIds?: string[];
  ouId?: string;
  all?: boolean;
}

export interface ResolvedAccounts {
  accounts: OrgAccount[];
  /** Accounts of an OU / the organization left out because they are not ACTIVE (no root session possible). */
  inactive: OrgAccount[];
}

/**
 * Accounts from a tree node (account, OU, organization), from arguments, or asked: all member
 * accounts, the accounts of an OU, or a multi-select. Ids the index does not know are kept so the
 * guardrails refuse them visibly (and audited) rather than silently dropping them.
 */
export async function resolveAccounts(
  getIndex: () => Promise<OrgIndex>,
  arg: unknown,
  title: string,
): Promise<ResolvedAccounts> {
  const target = targetOf(arg);
  const sel = (target ? {} : (arg ?? {})) as AccountSelection;
  const index = await getIndex();
  if (target) {
    const accounts = await pickAccount(getIndex, arg, { multi: true, title });
    return target.kind === 'account' ? { accounts, inactive: [] } : splitActive(accounts);
  }
  const ids = typeof sel.accountId === 'string' ? [sel.accountId] : Array.isArray(sel.accountIds) ? sel.accountIds : undefined;
  if (ids) return { accounts: ids.map((id) => index.accounts.get(String(id).trim()) ?? unknown(String(id).trim())), inactive: [] };
  if (typeof sel.ouId === 'string') return splitActive(members(index, index.accountsUnder(sel.ouId)));
  if (sel.all === true) return splitActive(index.memberAccounts());

  const members_ = index.memberAccounts();
  const scope = await vscode.window.showQuickPick(
    [
      { label: 'All member accounts', description: `${members_.length}`, scope: 'all' as const },
      { label: 'Accounts in an organizational unit…', scope: 'ou' as const },
      { label: 'Choose accounts…', scope: 'pick' as const },
    ],
    { title, placeHolder: 'Which accounts?', ignoreFocusOut: true },
  );
  if (!scope) throw new Cancelled();
  if (scope.scope === 'all') return splitActive(members_);
  if (scope.scope === 'pick') return { accounts: await pickAccount(getIndex, undefined, { multi: true, title }), inactive: [] };
  const ous = [...index.ous.values()].map((ou) => ({ label: ou.name, description: ou.id, detail: index.pathOf(ou.id), ou }));
  ous.sort((a, b) => a.detail.localeCompare(b.detail));
  const ou = await vscode.window.showQuickPick(ous, { title, placeHolder: 'Search OUs by name, id or path', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  if (!ou) throw new Cancelled();
  return splitActive(members(index, index.accountsUnder(ou.ou.id)));
}

function members(index: OrgIndex, accounts: OrgAccount[]): OrgAccount[] {
  return accounts.filter((a) => a.id !== index.organization.managementAccountId);
}

function splitActive(accounts: OrgAccount[]): ResolvedAccounts {
  return { accounts: accounts.filter((a) => a.state === 'ACTIVE'), inactive: accounts.filter((a) => a.state !== 'ACTIVE') };
}

function unknown(id: string): OrgAccount {
  return { id, arn: '', name: formatAccountId(id), email: '', state: 'UNKNOWN', parentId: '' };
}
