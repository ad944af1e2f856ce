import type { AuditInput } from './audit/types';
import { classifyFailure } from './sessionErrors';
import { formatAccountId } from './tasks';

/**
 * How long to keep asking CloudTrail for a root session's AssumeRoot event. CloudTrail delivers an
 * event to its event history typically within 5 minutes and documents no upper bound, so the
 * lookups are spread over about 20 minutes and then given up (recorded as not found).
 */
export const CORRELATION_DELAYS_MS: readonly number[] = [60_000, 60_000, 120_000, 180_000, 240_000, 300_000, 300_000];

export interface SessionKey {
  accountId: string;
  /** The session's access key id (ASIA…): an identifier; the secret key and token never come here. */
  accessKeyId: string;
  issuedAt: Date;
}

export interface CorrelationDeps {
  /** LookupEvents in the management account; undefined while CloudTrail has not delivered the event. */
  lookup(accessKeyId: string, since: Date): Promise<{ eventId: string; eventTime?: Date } | undefined>;
  /** Records with the session's task id, task and account filled in. */
  record(input: AuditInput): Promise<unknown>;
  /** Waits between lookups; resolves early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Waits before each lookup after the first (default CORRELATION_DELAYS_MS). */
  delaysMs?: readonly number[];
  /** Stops the lookups (the window closes): nothing is recorded then. */
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export type CorrelationOutcome = 'correlated' | 'notFound' | 'refused' | 'stopped';

/**
 * After a root session: finds its AssumeRoot event in the management account's CloudTrail and
 * records `cloudtrail.correlated` with that event's id and the session's key id, which is what
 * every call the session made in the member account carries in that account's CloudTrail. Retried
 * while CloudTrail has not delivered the event, a bounded number of times; a refusal (no
 * cloudtrail:LookupEvents) ends it at once. Either way the event is recorded, with outcome error
 * and the reason when no CloudTrail event id could be named.
 */
export async function correlateRootSession(deps: CorrelationDeps, session: SessionKey): Promise<CorrelationOutcome> {
  const delays = deps.delaysMs ?? CORRELATION_DELAYS_MS;
  // The clocks of this machine and of CloudTrail may differ: look from a little before.
  const since = new Date(session.issuedAt.getTime() - 5 * 60_000);
  // Named without the key itself: detail values are scrubbed, and the key id is the event's own field.
  const howToFind = `account ${session.accountId}'s CloudTrail event history, lookup attribute AccessKeyId = this event's accessKeyId`;
  let lastError: string | undefined;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await deps.sleep(delays[attempt - 1]!, deps.signal);
    if (deps.signal?.aborted) return 'stopped';
    try {
      const found = await deps.lookup(session.accessKeyId, since);
      if (found) {
        await deps.record({
          kind: 'cloudtrail.correlated', outcome: 'ok', operation: 'LookupEvents', accessKeyId: session.accessKeyId,
          detail: {
            cloudTrailEventId: found.eventId,
            ...(found.eventTime ? { cloudTrailEventTime: found.eventTime.toISOString() } : {}),
            lookups: attempt + 1,
            memberAccountActions: howToFind,
          },
        });
        deps.log?.(`CloudTrail: AssumeRoot of key ${session.accessKeyId} is event ${found.eventId}; the session's actions are in account ${formatAccountId(session.accountId)}'s CloudTrail event history, lookup attribute AccessKeyId = ${session.accessKeyId}.`);
        return 'correlated';
      }
      lastError = undefined;
    } catch (err) {
      lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (classifyFailure(err) === 'accessDenied') {
        await recordNotFound(deps, session, `CloudTrail refused the lookup (${lastError}); the management credentials need cloudtrail:LookupEvents.`, attempt + 1, howToFind);
        return 'refused';
      }
    }
  }
  const minutes = Math.round(delays.reduce((a, b) => a + b, 0) / 60_000);
  await recordNotFound(deps, session, `CloudTrail had not delivered the AssumeRoot event after ${delays.length + 1} lookups over ${minutes} min${lastError ? ` (last: ${lastError})` : ''}.`, delays.length + 1, howToFind);
  return 'notFound';
}

async function recordNotFound(deps: CorrelationDeps, session: SessionKey, error: string, lookups: number, howToFind: string): Promise<void> {
  await deps.record({
    kind: 'cloudtrail.correlated', outcome: 'error', operation: 'LookupEvents', accessKeyId: session.accessKeyId, error,
    detail: { lookups, memberAccountActions: howToFind },
  });
}
