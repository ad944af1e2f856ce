import * as vscode from 'vscode';
import * as explorer from './commands/explorer/register';
import * as scan from './commands/scan/register';
import * as bulkWork from './commands/bulkWork/register';
import * as unlock from './commands/unlock/register';
import * as rootCredentials from './commands/rootCredentials/register';
import * as orgSetup from './commands/orgSetup/register';
import * as auditTrail from './commands/auditTrail/register';
import * as totp from './commands/totp/register';
import * as rootSessions from './commands/rootSessions/register';
import * as profile from './commands/profile/register';
import { registerCommand } from './commands/command';
import { destinationsFromStatus, sinkFromStatus } from './commands/orgSetup/checkSetup';
import type { BatchDestination } from './core/audit';
import { FindingsStore } from './core/findings';
import { RootSessionRegistry } from './core/sessionRegistry';
import { isTokenStale, tokensForAccount } from './core/totp';
import { AwsAccess } from './services/awsAccess';
import { createAwsLoader, createFlowsLoader } from './services/lazyBundles';
import { createLog } from './services/log';
import { OrgGuardMarks } from './services/orgGuardMarks';
import { OrgService } from './services/orgService';
import type { RootTaskServices } from './services/rootTaskEnv';
import { OrganizationTree } from './views/organizationTree';
import { trackWalkthrough } from './services/walkthroughKeys';

/** What activate() returns: read by the host tests (activation time), never by other extensions. */
export interface RootTasksApi {
  activationMs: number;
  totp: totp.TotpFeature;
  /** The root-task services (session registry, audit trail, ...) for the flow host tests. */
  rootTasks: RootTaskServices;
  /** The explorer's services, for the tree host tests. */
  explorer: { org: OrgService; tree: OrganizationTree; findings: FindingsStore };
  /** Where VS Code writes this extension's logs (output channels): the host tests read them. */
  logUri: vscode.Uri;
  /** The audit feature (its reopened trail is what a window reload builds), for the host tests. */
  audit: auditTrail.AuditFeature;
}

// Composition root: builds the services once and registers everything synchronously, before any
// await; no network and no SDK or flows load here (those bundles load on first use).
export function activate(context: vscode.ExtensionContext): RootTasksApi {
  const started = performance.now();
  const channel = vscode.window.createOutputChannel('AWS Root Tasks', { log: true });
  const log = createLog(channel);
  const aws = new AwsAccess(createAwsLoader(__dirname), log);
  const findings = new FindingsStore(context.globalState);
  const org = new OrgService(aws, context.globalState, log);
  // Actor of every audit event: the management principal's ARN (GetCallerIdentity, asked once).
  const audit = auditTrail.register(context, log, () => aws.actor(), {
    // Built on first send (the SDK bundle loads then), with the operator's credentials from the current settings.
    cloudWatchLogs: (target) => ({ send: (batch, signal) => aws.ops().cloudWatchLogsDestination(target).send(batch, signal) }),
    // One destination per configuration (it remembers that the bucket's Object Lock was checked).
    objectLock: (target, format) => {
      let made: BatchDestination | undefined;
      return { send: (batch, signal) => (made ??= aws.ops().objectLockDestination(target, format)).send(batch, signal) };
    },
  });
  const tokens = totp.register(context, log, (input) => audit.record(input), aws.clock);
  // CloudTrail lookups that still wait for an AssumeRoot event stop with the extension.
  const stopping = new AbortController();
  const services: RootTaskServices = {
    aws, audit, log, findings, getIndex: () => org.getIndex(), orgListing: () => org.listing(), partialIndex: () => org.index, orgPolicies: () => org.policies(),
    sessions: new RootSessionRegistry(), flows: createFlowsLoader(__dirname),
    storageDir: context.globalStorageUri.fsPath, stopping: stopping.signal, correlations: new Set(),
  };
  const walkthrough = trackWalkthrough({ memento: context.globalState, org, findings, tokens: tokens.store, onDestinationStatus: audit.onDidChangeDestinationStatus });
  const marks = new OrgGuardMarks(org, services.flows);
  const tree = new OrganizationTree({ org, findings, guardsFor: (id) => marks.get(id), tokensFor: (id) =>
    tokensForAccount(tokens.store.list(), id).map((t) => (isTokenStale(t, findings.get(id)?.root) ? `${t.label} (stale: no root MFA)` : t.label)) });
  context.subscriptions.push(
    channel, aws, org, tree, { dispose: () => stopping.abort() }, ...walkthrough.disposables,
    tokens.store.onDidChange(() => tree.refresh()),
    // Another profile or endpoint: the org index and guardrail caches go with the clients
    // (OrgService), the scan findings here.
    aws.onDidSwitchIdentity(() => findings.clear()),
    // A finished SSO sign-in: read the organization again with the new session.
    aws.onDidSignIn(() => void org.refresh()),
    ...profile.register(log, aws),
    { dispose: () => void findings.flush() },
    registerCommand(log, 'rootTasks.showLog', () => log.show()),
    ...explorer.register(log, org, tree, () => aws.identity()),
    ...scan.register(services),
    ...bulkWork.register(services),
    ...rootSessions.register(log, services.sessions),
    ...unlock.register(services),
    ...rootCredentials.register(services, context.extensionUri),
    ...orgSetup.register(services, {
      extensionUri: context.extensionUri,
      auditSink: () => sinkFromStatus(audit.sinkStatus(), audit.strictAck()),
      auditDestinations: () => destinationsFromStatus(audit.destinationStatuses(), audit.strictAck()),
      onFeaturesChanged: () => void org.refresh(),
      onChecked: (items) => walkthrough.setupChecked(items),
      orgPolicies: () => org.policiesWithIndex(),
    }),
  );
  const activationMs = performance.now() - started;
  log.info('activate', `activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, totp: tokens, rootTasks: services, explorer: { org, tree, findings }, logUri: context.logUri, audit };
}

export function deactivate(): void {}
