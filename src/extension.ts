import * as vscode from 'vscode';
import { createLog } from './views/log';
import { createAwsLoader } from './awsModule';
import { AwsAccess } from './views/awsAccess';
import { OrgService } from './views/orgService';
import { OrganizationTree } from './views/organizationTree';
import { FindingsStore } from './core/findings';
import { registerCommand } from './commands/command';
import { registerExplorer } from './commands/explorer';
import { registerTotp, type TotpFeature } from './commands/totpCommands';
import { createAuditTrail } from './core/audit';
import { tokensForAccount } from './core/totp';

/** What activate() returns: read by the host tests (activation time), never by other extensions. */
export interface RootTasksApi {
  activationMs: number;
  totp: TotpFeature;
}

// Composition root: builds the services once and registers everything synchronously, before any
// await; no network and no SDK load here (the SDK bundle loads on the first AWS call).
export function activate(context: vscode.ExtensionContext): RootTasksApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('AWS Root Tasks', { log: true });
  const log = createLog(channel);
  const aws = new AwsAccess(createAwsLoader(__dirname), log);
  const findings = new FindingsStore(context.globalState);
  const org = new OrgService(aws, context.globalState, log);
  // The one audit trail (globalStorage/audit). Actor and sink delivery belong to the audit wiring.
  const audit = createAuditTrail({ dir: vscode.Uri.joinPath(context.globalStorageUri, 'audit').fsPath, actor: () => 'unknown' });
  const totp = registerTotp(context, log, (input) => audit.record(input));
  const tree = new OrganizationTree({ org, findings, tokensFor: (id) => tokensForAccount(totp.store.list(), id).map((t) => t.label) });
  context.subscriptions.push(
    channel,
    aws,
    org,
    tree,
    totp.store.onDidChange(() => tree.refresh()),
    { dispose: () => void findings.flush() },
    registerCommand(log, 'rootTasks.showLog', () => log.show()),
    ...registerExplorer(log, org, tree),
  );
  const activationMs = performance.now() - started;
  log.info('activate', `activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, totp };
}

export function deactivate(): void {}
