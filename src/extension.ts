import * as vscode from 'vscode';
import { createLog } from './views/log';
import { createAwsLoader } from './awsModule';
import { AwsAccess } from './views/awsAccess';
import { OrgService } from './views/orgService';
import { OrganizationTree } from './views/organizationTree';
import { FindingsStore } from './core/findings';
import { registerCommand } from './commands/command';
import { registerExplorer } from './commands/explorer';
import { registerScan } from './commands/scan';
import { registerTotp, type TotpFeature } from './commands/totpCommands';
import { setupAudit } from './commands/auditLogSetup';
import { sinkFromStatus } from './commands/checkSetup';
import { isTokenStale, tokensForAccount } from './core/totp';
import { RootSessionRegistry } from './core/sessionRegistry';
import { registerRootSessions } from './commands/rootTask/register';
import type { RootTaskDeps } from './commands/rootTask/runner';
import { registerUnlockCommands } from './commands/unlockCommands';
import { registerCredentialFlows } from './commands/reportCommands';

/** What activate() returns: read by the host tests (activation time), never by other extensions. */
export interface RootTasksApi {
  activationMs: number;
  totp: TotpFeature;
  /** The root-task services (session registry, audit trail, ...) for the flow host tests. */
  rootTasks: RootTaskDeps;
  /** The explorer's services, for the tree host tests. */
  explorer: { org: OrgService; tree: OrganizationTree; findings: FindingsStore };
  /** Where VS Code writes this extension's logs (output channels): the host tests read them. */
  logUri: vscode.Uri;
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
  // The audit trail (globalStorage/audit) with its channel, sink delivery, status and commands.
  // Actor: the management principal's ARN (GetCallerIdentity, asked once, on the first event).
  const audit = setupAudit(context, log, () => aws.actor());
  const totp = registerTotp(context, log, (input) => audit.record(input));
  // What every root-task flow gets (src/commands/rootTask/README.md).
  const rootTasks: RootTaskDeps = { aws, audit, log, findings, getIndex: () => org.getIndex(), sessions: new RootSessionRegistry() };
  const tree = new OrganizationTree({ org, findings, tokensFor: (id) =>
    tokensForAccount(totp.store.list(), id).map((t) => (isTokenStale(t, findings.get(id)?.root) ? `${t.label} (stale: no root MFA)` : t.label)) });
  context.subscriptions.push(
    channel,
    aws,
    org,
    tree,
    totp.store.onDidChange(() => tree.refresh()),
    { dispose: () => void findings.flush() },
    registerCommand(log, 'rootTasks.showLog', () => log.show()),
    ...registerExplorer(log, org, tree),
    ...registerScan({ log, aws, org, findings, audit }),
    ...registerRootSessions(log, rootTasks.sessions),
    ...registerUnlockCommands(rootTasks),
    ...registerCredentialFlows(rootTasks, {
      extensionUri: context.extensionUri,
      auditSink: () => sinkFromStatus(audit.sinkStatus(), audit.strictAck()),
      onFeaturesChanged: () => void org.refresh(),
    }),
  );
  const activationMs = performance.now() - started;
  log.info('activate', `activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, totp, rootTasks, explorer: { org, tree, findings }, logUri: context.logUri };
}

export function deactivate(): void {}
