import * as vscode from 'vscode';
import { Cancelled } from '../core/errors';
import type { OrgAccount, OrgIndex } from '../core/orgIndex';
import { targetOf } from '../core/targets';
import { formatAccountId } from '../core/tasks';
import { plural } from '../core/humanTime';

/** Which accounts a command works on, when given as arguments (tests, automation). */
export interface AccountSelection {
  /** One account (also what the tree's root-credential status node passes). */
  accountId?: string;
  accountIds?: string[];
  ouId?: string;
  all?: boolean;
}

export interface AccountScope {
  /** The accounts to work on (for a whole OU or the organization: the ACTIVE ones). */
  accounts: OrgAccount[];
  /** Accounts of an OU / the organization that are not ACTIVE (no root session possible). */
  inactive: OrgAccount[];
  /** What was chosen, for messages and the audit trail. */
  label: string;
}

export interface ScopeOptions {
  title: string;
  /** 'one': a single account; 'many': all, an OU, or several accounts. */
  pick: 'one' | 'many';
  /** Offer the management account too (go to account); root tasks never target it. */
  includeManagement?: boolean;
}

/**
 * The one account-scope picker of every command: accounts from a tree node (account, bucket,
 * queue, OU, organization), from arguments (an id, { accountId }, { accountIds }, { ouId },
 * { all }), or asked in a quick pick searchable by name, id and OU path. An id the index does not
 * know is kept (as state UNKNOWN) so the guardrails refuse it visibly and audited, never dropped.
 */
export async function chooseAccounts(getIndex: () => Promise<OrgIndex>, arg: unknown, options: ScopeOptions): Promise<AccountScope> {
  const index = await getIndex();
  const members = (list: OrgAccount[]) => list.filter((a) => a.id !== index.organization.managementAccountId);
  const byId = (ids: string[], label: string): AccountScope =>
    ({ accounts: ids.map((id) => index.accounts.get(id.trim()) ?? unknownAccount(id.trim())), inactive: [], label });
  const whole = (list: OrgAccount[], label: string): AccountScope =>
    ({ accounts: list.filter((a) => a.state === 'ACTIVE'), inactive: list.filter((a) => a.state !== 'ACTIVE'), label });

  const target = targetOf(arg);
  if (target?.kind === 'account' || target?.kind === 'bucket' || target?.kind === 'queue') return byId([target.accountId], describeAccount(index, target.accountId));
  if (target?.kind === 'ou') return whole(members(index.accountsUnder(target.ouId)), index.pathOf(target.ouId));
  if (target?.kind === 'organization') return whole(index.memberAccounts(), 'the organization');
  if (typeof arg === 'string') return byId([arg], describeAccount(index, arg));
  const sel = (arg ?? {}) as AccountSelection;
  if (typeof sel.accountId === 'string') return byId([sel.accountId], describeAccount(index, sel.accountId));
  if (Array.isArray(sel.accountIds)) return byId(sel.accountIds.map(String), plural(sel.accountIds.length, 'account'));
  if (typeof sel.ouId === 'string') return whole(members(index.accountsUnder(sel.ouId)), index.pathOf(sel.ouId));
  if (sel.all === true) return whole(index.memberAccounts(), 'the organization');

  const pool = options.includeManagement ? [...index.accounts.values()] : index.memberAccounts();
  if (options.pick === 'one') {
    const [account] = await pickAccounts(index, pool, options.title, false);
    return { accounts: [account], inactive: [], label: describeAccount(index, account.id) };
  }
  const scope = await vscode.window.showQuickPick(
    [
      { label: 'All member accounts', description: plural(pool.length, 'account'), scope: 'all' as const },
      { label: 'Accounts in an organizational unit…', scope: 'ou' as const },
      { label: 'Choose accounts…', scope: 'pick' as const },
    ],
    { title: options.title, placeHolder: 'Which accounts?', ignoreFocusOut: true },
  );
  if (!scope) throw new Cancelled();
  if (scope.scope === 'all') return whole(pool, 'the organization');
  if (scope.scope === 'pick') {
    const accounts = await pickAccounts(index, pool, options.title, true);
    return { accounts, inactive: [], label: accounts.length === 1 ? describeAccount(index, accounts[0].id) : plural(accounts.length, 'account') };
  }
  const ous = [...index.ous.values()].map((ou) => ({ label: ou.name, description: ou.id, detail: index.pathOf(ou.id), ou }));
  ous.sort((a, b) => a.detail.localeCompare(b.detail));
  const ou = await vscode.window.showQuickPick(ous, { title: options.title, placeHolder: 'Search OUs by name, id or path', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  if (!ou) throw new Cancelled();
  return whole(members(index.accountsUnder(ou.ou.id)), ou.detail);
}

async function pickAccounts(index: OrgIndex, pool: OrgAccount[], title: string, many: boolean): Promise<OrgAccount[]> {
  const items = [...pool]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((account) => ({
      label: account.name,
      // The plain id too: people paste ids from the console and CLI without dashes.
      description: `${formatAccountId(account.id)} · ${account.id}${account.state === 'ACTIVE' ? '' : ` · ${account.state}`}`,
      detail: account.parentId ? index.pathOf(account.parentId) : '',
      account,
    }));
  const common = { title, placeHolder: 'Search by name, account id or OU path', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true };
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { ...common, canPickMany: true });
    if (!picked?.length) throw new Cancelled();
    return picked.map((p) => p.account);
  }
  const picked = await vscode.window.showQuickPick(items, common);
  if (!picked) throw new Cancelled();
  return [picked.account];
}

function describeAccount(index: OrgIndex, id: string): string {
  const a = index.accounts.get(id.trim());
  return a ? `${a.name} (${formatAccountId(a.id)})` : formatAccountId(id.trim());
}

function unknownAccount(id: string): OrgAccount {
  return { id, arn: '', name: formatAccountId(id), email: '', state: 'UNKNOWN', parentId: '' };
}
