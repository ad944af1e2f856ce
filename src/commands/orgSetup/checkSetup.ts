import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { SinkStatus } from '../../core/audit';
import { clockCheckItem, type ClockSkew } from '../../core/clockSkew';
import { auditDestinationItems, summarize, type CheckItem, type SetupFacts, type SinkFacts } from '../../core/setupCheck';
import type { ManagementEnv } from '../../flows/ports';
import type { FlowsModule } from '../../services/lazyBundles';
import { userOnly } from '../../services/settings';

export interface CheckSetupResult {
  items: CheckItem[];
  summary: ReturnType<typeof summarize>;
}

/**
 * Check setup: every prerequisite of centralized root access (read with the management
 * credentials), the local settings and the audit sink, each with what to do.
 */
export async function checkSetup(
  flows: FlowsModule, env: ManagementEnv, auditSink: SetupFacts['auditSink'], showSetup: (items: readonly CheckItem[], checkedAt: string) => void, arg?: unknown,
  orgPolicies?: Parameters<FlowsModule['gatherSetup']>[3],
  destinations: ReadonlyArray<SinkFacts & { required: boolean }> = [],
  clock?: ClockSkew,
): Promise<CheckSetupResult> {
  const show = (arg as { show?: boolean } | undefined)?.show !== false;
  const gathered = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking root access setup' }, () => flows.gatherSetup(env, randomUUID(), auditSink, orgPolicies));
  // The check's own AWS calls have just measured the clock against AWS's Date header.
  const items = [...gathered, ...auditDestinationItems(destinations), ...(clock ? [clockCheckItem(clock.offsetMs)] : [])];
  const summary = summarize(items);
  env.log.info('setup', `setup check: ${summary.ok} ok, ${summary.warn} warnings, ${summary.fail} failed, ${summary.skip} not checked`);
  for (const i of items.filter((x) => x.status !== 'ok')) env.log.info('setup', `${i.status}: ${i.title}: ${i.detail}`);
  if (show) showSetup(items, new Date().toISOString());
  return { items, summary };
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

/** The further destinations' facts (CloudWatch Logs, S3 with Object Lock) from their delivery status. */
export function destinationsFromStatus(statuses: readonly SinkStatus[], required: boolean): Array<SinkFacts & { required: boolean }> {
  return statuses.flatMap((s) => (s.configured ? [sinkFromStatus(s, required) as SinkFacts & { required: boolean }] : []));
}
