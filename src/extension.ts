import * as vscode from 'vscode';
import { createLog } from './views/log';
import { createAwsLoader } from './awsModule';
import { OrganizationTree } from './views/organizationTree';
import { registerCommand } from './commands/command';

/** What activate() returns: read by the host tests (activation time), never by other extensions. */
export interface RootTasksApi {
  activationMs: number;
}

// Composition root: builds the services once and registers everything synchronously, before any
// await; no network and no SDK load here.
export function activate(context: vscode.ExtensionContext): RootTasksApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('AWS Root Tasks', { log: true });
  const log = createLog(channel);
  const loadAws = createAwsLoader(__dirname);
  void loadAws;
  const tree = new OrganizationTree();
  context.subscriptions.push(
    channel,
    tree,
    vscode.window.createTreeView('rootTasks.organization', { treeDataProvider: tree, showCollapseAll: true }),
    registerCommand(log, 'rootTasks.showLog', () => log.show()),
    registerCommand(log, 'rootTasks.refreshOrganization', () => tree.refresh()),
  );
  const activationMs = performance.now() - started;
  log.info('activate', `activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

export function deactivate(): void {}
