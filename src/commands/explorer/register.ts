import * as vscode from 'vscode';
import type { CallerIdentity } from '../../aws/context';
import type { Log } from '../../services/log';
import { showIdentity } from '../../views/identityDescription';
import type { OrgService } from '../../services/orgService';
import type { OrganizationTree } from '../../views/organizationTree';
import type { Node } from '../../views/tree/nodes';
import { registerCommand } from '../command';
import { chooseAccounts } from '../accountScope';

/** Tree view, refresh (with a background refresh when the view first shows), retry and "go to account". */
export function register(log: Log, org: OrgService, tree: OrganizationTree, identity: () => Promise<CallerIdentity>): vscode.Disposable[] {
  const view = vscode.window.createTreeView('rootTasks.organization', { treeDataProvider: tree, showCollapseAll: true });
  let refreshedOnce = false;
  const refresh = () =>
    vscode.window.withProgress({ location: { viewId: 'rootTasks.organization' }, title: 'Refreshing organization' }, () => org.refresh());
  return [
    view,
    showIdentity(view, org, identity),
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
    registerCommand(log, 'rootTasks.showProblemsOnly', () => tree.setProblemsOnly(true)),
    registerCommand(log, 'rootTasks.showAllResources', () => tree.setProblemsOnly(false)),
    registerCommand(log, 'rootTasks.goToAccount', async (accountId?: unknown) => {
      const index = await org.getIndex();
      const title = `Go to account (${index.accounts.size} accounts${index.isComplete() ? '' : ', listing incomplete'})`;
      const [{ id }] = (await chooseAccounts(async () => index, typeof accountId === 'string' ? accountId : undefined, { title, pick: 'one', includeManagement: true })).accounts;
      const node: Node | undefined = tree.accountNode(id);
      if (!node) throw new Error(`Account ${id} is not in the organization index`);
      await view.reveal(node, { select: true, focus: true, expand: true });
    }),
  ];
}
