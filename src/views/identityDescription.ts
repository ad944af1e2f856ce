import type * as vscode from 'vscode';
import type { CallerIdentity } from '../aws/context';
import type { OrgService } from '../services/orgService';

/** "2109-8765-4321 · sandbox-admin": the account and the principal's last ARN part. */
export function identityText(identity: CallerIdentity): string {
  const who = identity.arn.split(/[/:]/).slice(-1)[0] || identity.arn;
  return `${identity.account} · ${who}`;
}

/**
 * The identity in use, next to the Organization view's title: set once the organization has been
 * read (the same credentials answered, and GetCallerIdentity is asked once per identity), cleared
 * when the identity changes or the credentials fail.
 */
export function showIdentity(view: vscode.TreeView<unknown>, org: OrgService, identity: () => Promise<CallerIdentity>): vscode.Disposable {
  let generation = 0;
  const update = () => {
    const mine = ++generation;
    if (org.state !== 'ready') {
      if (org.state !== 'loading') view.description = undefined;
      return;
    }
    identity().then((id) => {
      if (mine !== generation) return;
      view.description = identityText(id);
    }, () => {
      if (mine === generation) view.description = undefined;
    });
  };
  // Not at activation (no AWS call there): on the organization's changes and when the view shows.
  const changes = org.onDidChange(update);
  const shown = view.onDidChangeVisibility((e) => e.visible && update());
  return { dispose: () => { changes.dispose(); shown.dispose(); } };
}
