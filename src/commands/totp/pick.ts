import * as vscode from 'vscode';
import { Cancelled, UserError } from '../../core/errors';
import { TotpInputError, type TokenMeta, type TokenRef, type TokenStore } from '../../core/totp';
import { formatAccountId } from '../../core/tasks';

/**
 * Scripted callers (tests, other commands) name a token as `{ tokenId }` or `{ label }`. Any other
 * argument (e.g. a tree node) names none and leads to a prompt.
 */
export function tokenRef(args: unknown): TokenRef | undefined {
  const a = (args ?? {}) as { tokenId?: unknown; label?: unknown };
  if (typeof a.tokenId === 'string') return { id: a.tokenId };
  if (typeof a.label === 'string') return { label: a.label };
  return undefined;
}

export function requireTokens(store: TokenStore): readonly TokenMeta[] {
  const tokens = store.list();
  if (!tokens.length) throw new UserError('There is no TOTP token yet: add one with "Root Tasks: Add TOTP Token".');
  return tokens;
}

/** The token named by `args`, else the user's choice from a quick pick (Escape cancels). */
export async function pickToken(store: TokenStore, args: unknown, placeHolder: string): Promise<TokenMeta> {
  const ref = tokenRef(args);
  if (ref) return store.get(ref);
  const tokens = requireTokens(store);
  const selectedId = store.selected()?.id;
  const items = tokens.map((token) => ({
    label: token.label,
    description: [token.accountId ? `account ${formatAccountId(token.accountId)}` : '', token.id === selectedId ? '(shown)' : ''].filter(Boolean).join(' '),
    detail: [token.issuer, `${token.algorithm.toUpperCase()} · ${token.digits} digits · ${token.period} s`].filter(Boolean).join(' · '),
    token,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'TOTP tokens', placeHolder, matchOnDescription: true, matchOnDetail: true });
  if (!picked) throw new Cancelled();
  return picked.token;
}

/** An input box validator from a core check: the check's message, or undefined when it passes. */
export function validator(check: (value: string) => unknown): (value: string) => string | undefined {
  return (value) => {
    try {
      check(value);
      return undefined;
    } catch (err) {
      if (err instanceof TotpInputError) return err.message;
      throw err;
    }
  };
}

export async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new Cancelled();
  return value;
}
