import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { SinkStatus } from '../core/audit';
import { describeError } from '../core/errors';
import type { AuditRecorder } from '../core/sessionRunner';
import { evaluateSetup, summarize, type CheckItem, type Fact, type SetupFacts } from '../core/setupCheck';
import type { AwsAccess } from '../views/awsAccess';
import type { Log } from '../views/log';
import { userOnly } from '../views/settings';
import { auditedGate } from './featuresGate';

export interface CheckSetupDeps {
  aws: AwsAccess;
  audit: AuditRecorder;
  log: Log;
  /** The audit trail's sink delivery status and whether intents wait for its acknowledgement (undefined: not available). */
  auditSink: () => SetupFacts['auditSink'];
  showSetup(items: readonly CheckItem[], checkedAt: string): void;
}

export interface CheckSetupResult {
  items: CheckItem[];
  summary: ReturnType<typeof summarize>;
}

/**
 * Check setup: reads every prerequisite of centralized root access with the management
 * credentials (identity, organization, IAM features, trusted access) plus the local settings and
 * the audit sink, and shows each with what to do. Read-only; the reads are audited best-effort,
 * so a broken audit log does not hide the rest of the diagnosis.
 */
export async function checkSetup(deps: CheckSetupDeps, arg?: unknown): Promise<CheckSetupResult> {
  const show = (arg as { show?: boolean } | undefined)?.show !== false;
  const items = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking root access setup' }, () => gather(deps));
  const summary = summarize(items);
  deps.log.info('setup', `setup check: ${summary.ok} ok, ${summary.warn} warnings, ${summary.fail} failed, ${summary.skip} not checked`);
  for (const i of items.filter((x) => x.status !== 'ok')) deps.log.info('setup', `${i.status}: ${i.title}: ${i.detail}`);
  if (show) deps.showSetup(items, new Date().toISOString());
  return { items, summary };
}

async function gather(deps: CheckSetupDeps): Promise<CheckItem[]> {
  const aws = deps.aws.context();
  const ops = deps.aws.module();
  const gate = auditedGate(deps.audit, aws.limiter, { taskId: randomUUID() }, (err) => deps.log.warn('setup', `audit: ${describeError(err)}`));
  const fact = async <T>(read: () => Promise<T>): Promise<Fact<T>> => {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      return { ok: false, code: ops.errorName(err), error: describeError(err) };
    }
  };
  const facts: SetupFacts = {
    region: aws.settings.region,
    endpoint: aws.settings.endpoint,
    caller: await fact(() => aws.callerIdentity()),
    auditSink: deps.auditSink(),
  };
  if (facts.caller.ok) {
    [facts.organization, facts.features, facts.trustedAccess] = await Promise.all([
      fact(() => ops.describeOrganizationFacts(aws, gate)),
      fact(async () => {
        const f = await ops.listOrganizationFeatures(aws, gate);
        return { rootCredentialsManagement: f.enabled.RootCredentialsManagement, rootSessions: f.enabled.RootSessions };
      }),
      fact(() => ops.readTrustedAccess(aws, gate)),
    ]);
  }
  return evaluateSetup(facts);
}

/**
 * The sink fact from the settings alone, for when the trail's delivery status is not passed in:
 * no sink URL is a fact (not configured); with one, its state is unknown here and says so.
 */
export function sinkFromSettings(): SetupFacts['auditSink'] {
  return (userOnly<string>('audit.sinkUrl') ?? '').trim() ? undefined : { configured: false };
}

/** The sink fact from the delivery worker's own status (reachable = it has delivered or is idle). */
export function sinkFromStatus(status: SinkStatus, required: boolean): SetupFacts['auditSink'] {
  if (!status.configured) return { configured: false };
  return {
    configured: true,
    sink: status.sink,
    state: status.state,
    pending: status.pending,
    failures: status.failures,
    lastError: status.lastError,
    lastDeliveredAt: status.lastDeliveredAt,
    required,
  };
}
