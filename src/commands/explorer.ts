import * as vscode from 'vscode';
import type { Log } from '../views/log';
import type { OrgService } from '../views/orgService';
import type { OrganizationTree } from '../views/organizationTree';
import type { Node } from '../views/tree/nodes';
import { registerCommand } from './command';
import { Cancelled } from '../core/errors';
import { formatAccountId } from '../core/tasks';

/** Tree view, refresh (with a background refresh when the view first shows), retry and "go to account". */
export function registerExplorer(log: Log, org: OrgService, tree: OrganizationTree): vscode.Disposable[] {
  const view = vscode.window.createTreeView('rootTasks.organization', { treeDataProvider: tree, showCollapseAll: true });
  let refreshedOnce = false;
  const refresh = () =>
    vscode.window.withProgress({ location: { viewId: 'rootTasks.organization' }, title: 'Refreshing organization' }, () => org.refresh());
  return [
    view,
    // A cached index shows at once; bring it up to date in the background the first time it is seen.
    view.onDidChangeVisibility((e) => {
      if (e.visible && !refreshedOnce && org.index) {
        refreshedOnce = true;
        void refresh();
      }
    }),
    registerCommand(log, 'rootTasks.refreshOrganization', async () => {
      refreshedOnce = true;
      await refresh();
    }),
    registerCommand(log, 'rootTasks.retryListing', async (parentId) => {
      if (typeof parentId === 'string') await org.retry(parentId);
    }),
    registerCommand(log, 'rootTasks.showTreeWithFeaturesOff', () => tree.showWithFeaturesOff()),
    registerCommand(log, 'rootTasks.goToAccount', async (accountId?: unknown) => {
      const index = await org.getIndex();
      let id = typeof accountId === 'string' ? accountId : undefined;
      if (!id) {
        const items = [...index.accounts.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((a) => ({ label: a.name, description: formatAccountId(a.id), detail: index.pathOf(a.parentId), id: a.id }));
        const pick = await vscode.window.showQuickPick(items, {
          title: `Go to account (${items.length} accounts${index.isComplete() ? '' : ', listing incomplete'})`,
          placeHolder: 'Type a name, account id or OU',
          matchOnDescription: true,
          matchOnDetail: true,
        });
        if (!pick) throw new Cancelled();
        id = pick.id;
      }
      const node: Node | undefined = tree.accountNode(id);
      if (!node) throw new Error(`Account ${id} is not in the organization index`);
      await view.reveal(node, { select: true, focus: true, expand: true });
    }),
  ];
}
