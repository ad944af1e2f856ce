import { Cancelled } from '../core/errors';
import { readOnlyWhenRequired } from '../core/approvalGate';
import { createGate } from '../core/gate';
import { checkAccount } from '../core/guardrails';
import type { OrgAccount, OrgIndex } from '../core/orgIndex';
import { classifyFailure } from '../core/sessionErrors';
import type { RootSessionRegistry, SessionGroup } from '../core/sessionRegistry';
import type { BulkJournal, BulkStore } from '../core/bulkProgress';
import { journalFor, markDone, pendingAccounts } from './bulkJournal';
import { createLimiter } from '../core/rateLimit';
import type { AccountListing } from '../core/accountListing';
import { MANAGEMENT, limitKey, serviceOf } from '../core/awsQuotas';
import type { ManagementEnv, Person, Progress, RootFlowEnv } from './ports';
import { scanAccount, type AccountScan, type ScanMode, type SessionOpener } from './scanAccount';

export type { AccountScan, ScanMode } from './scanAccount';

export interface ScanEnv extends RootFlowEnv {
  management: ManagementEnv;
  /** Where the scan's sessions are registered as one group (the status bar ends them together). */
  sessions: Pick<RootSessionRegistry, 'openGroup'>;
  newTaskId(): string;
  /** Where the scan's progress record is kept (global storage), so an interrupted scan can resume. */
  progressStore?: BulkStore;
}

export interface ScanRequest {
  /** The accounts chosen (management account excluded by the picker). */
  accounts: OrgAccount[];
  /** What the person chose, for messages and the audit trail ("the organization", an OU's path). */
  scope: string;
  mode: ScanMode;
  /** Role assumed in each member account in 'role' mode. */
  roleName: string;
  /** Regions whose buckets and queues are checked; empty = the home region. */
  regions: string[];
  homeRegion: string;
  /**
   * The calls in flight the scan is paced for (rootTasks.concurrency). A few more accounts than
   * that run at once (accountsAtOnce), each holding one short session at a time.
   */
  accountConcurrency: number;
  /** Resume this interrupted scan: only its accounts not yet done are scanned. */
  resume?: BulkJournal;
  /**
   * No complete index yet: the accounts of `scopeParent` (the root, or an OU) are scanned as the
   * tree walk places them, besides `accounts`; the scan ends when the walk has ended.
   */
  listing?: { source: AccountListing; scopeParent: string };
}

export interface ScanSummary {
  accounts: number;
  scanned: number;
  calls: number;
  /** Accounts with at least one error. */
  failed: number;
  /** Accounts a cancel or the person's ending stopped midway: not counted as scanned or failed, earlier results kept. */
  interrupted: number;
  locked: number;
  suspected: number;
  /** Not scanned, with why: not ACTIVE, or refused by an account guardrail (never sessioned). */
  skipped: Array<{ accountId: string; reason: string }>;
  cancelled: boolean;
  /** Accounts left for a Resume (the progress record is kept); 0 when the scan completed. */
  remaining: number;
  /** Accounts done by the interrupted scan this one resumed (their results were kept). */
  resumedDone: number;
  /** Ended from the status bar. */
  endedByUser: boolean;
  ms: number;
}

const READ_ONLY = 'Locked-policy scan (read-only)';

/**
 * Scan accounts for locked S3 bucket and SQS queue policies. One task for the person: one
 * justification and ticket (when the guardrail asks for them) recorded in the scan's intent;
 * accounts the guardrails refuse are skipped up front and never sessioned; every root session goes
 * through the runner (guardrails again, the intent gate, the registry) under the scan's id, all
 * in one session group the person can end at once.
 */
export async function scanForLockedPolicies(env: ScanEnv, person: Person, progress: Progress, req: ScanRequest): Promise<ScanSummary> {
  const started = Date.now();
  const listing = req.listing;
  // Without a complete index the scan works from the one being listed: the guardrails judge each
  // account once its OU path is known (the runner does the same), never before.
  const index = listing ? listing.source.index : await env.getIndex();
  const guardrails = env.guardrails();
  const skipped: Array<ScanSummary['skipped'][number] & { short: string }> = [];
  const accounts: OrgAccount[] = [];
  // Every account taken so far (to scan or skipped), and the ones a resumed scan finished: none twice.
  const seen = new Set<string>(req.resume?.done().keys() ?? []);
  const admit = async (a: OrgAccount): Promise<OrgAccount | undefined> => {
    if (seen.has(a.id)) return undefined;
    seen.add(a.id);
    let skip: { reason: string; short: string } | undefined;
    // AWS refuses AssumeRoot (and role sessions) on suspended or closing accounts: say so, don't fail.
    if (a.state !== 'ACTIVE') skip = { reason: `Not scanned: the account is ${a.state}`, short: a.state.toLowerCase().replace(/_/g, ' ') };
    else {
      const verdict = req.mode === 'rootSession' ? checkAccount(guardrails, a.id, index) : { ok: true as const };
      const blocked = verdict.ok && req.mode === 'rootSession' ? await blockedByOrg(env, a.id, index) : undefined;
      if (!verdict.ok) skip = { reason: `Skipped: ${verdict.message}`, short: 'refused by a guardrail' };
      else if (blocked) skip = { reason: `Skipped: ${blocked}`, short: 'blocked by org policy' };
    }
    if (!skip) {
      accounts.push(a);
      return a;
    }
    skipped.push({ accountId: a.id, ...skip });
    // Skipped on purpose is not a scan error: the tree says "skipped: suspended".
    env.findings.setScan(a.id, [], new Date().toISOString(), undefined, skip);
    return undefined;
  };
  for (const a of req.accounts) await admit(a);
  const resumedDone = req.resume?.done().size ?? 0;
  const summary: ScanSummary = {
    accounts: req.accounts.length + resumedDone, scanned: 0, calls: 0, failed: 0, locked: 0, suspected: 0,
    skipped: [], interrupted: 0, cancelled: false, remaining: 0, resumedDone, endedByUser: false, ms: 0,
  };
  const finish = () => ({ ...summary, skipped: skipped.map(({ accountId, reason }) => ({ accountId, reason })), ms: Date.now() - started });
  if (!accounts.length && !listing) {
    await req.resume?.complete();
    return finish();
  }

  const why = req.mode === 'rootSession' && guardrails.requireJustification ? await person.justify(`locked-policy scan of ${req.scope}`) : { justification: READ_ONLY, ticket: '' };
  const scanId = env.newTaskId();
  const audit = env.management.audit;
  // The scan's intent: who, why and what, before its first session (fail closed).
  await audit.recordIntent({
    kind: 'scan.started', taskId: scanId, operation: `scan (${req.mode})`, outcome: 'ok', resource: req.scope, ...why,
    detail: { accounts: accounts.length, skipped: skipped.length, mode: req.mode, ...(listing ? { listing: 'more accounts as the organization is listed' } : {}), ...(req.resume ? { resumes: req.resume.record.id, alreadyDone: req.resume.done().size } : {}) },
  });
  const group: SessionGroup = { id: scanId, label: `scan of ${req.scope}` };
  const handle = env.sessions.openGroup(group);
  // The person's cancel or the status bar ending the group: no account starts after either, and
  // the sessions already running stop at their next call.
  const stop = AbortSignal.any([progress.signal, handle.signal]);
  const regions = req.regions.length ? req.regions : [req.homeRegion];
  const options = { mode: req.mode, regions, organizationId: index.organization.id };
  const open = req.mode === 'role' ? roleOpener(env, req.roleName, scanId, stop) : rootOpener(env, why, scanId, group, stop);
  // The progress record: account ids and outcomes only, so a reload, crash or cancel can resume.
  // While the tree is still listed the record says so (with the scope), so a resume adds the accounts listed after it stopped.
  const params = { mode: req.mode, regions: req.regions };
  const journal = await journalFor(env.progressStore, req.resume, {
    kind: 'scan', label: req.scope, params: listing ? { ...params, listing: listing.scopeParent } : params, accounts: accounts.map((a) => a.id),
  }, env.log);
  const marks: Promise<void>[] = [];
  let listingOpen = !!listing;
  const report = () => progress.report(summary.scanned, accounts.length,
    `${summary.scanned}/${accounts.length} accounts${listingOpen ? ' so far (still listing the organization)' : ''} · ${summary.locked} locked`);
  const pool = createLimiter({ ratePerSecond: 0, concurrency: accountsAtOnce(req.accountConcurrency) });
  const running: Promise<void>[] = [];
  const start = (account: OrgAccount) => running.push(pool.run(async () => {
    if (stop.aborted) return;
    const result = await scanAccount(open, account.id, options);
    // An account the stop cut short is not done and not an error of the account: a resume scans
    // it again, and its half-read state must not replace what the tree knew of it.
    if (stop.aborted && result.errors.length) {
      summary.interrupted++;
      return;
    }
    record(env, summary, result);
    // Done in the progress record only once its findings are saved (a failed save leaves it to a resume).
    const outcome = result.errors.length ? 'failed' : 'ok';
    if (journal) marks.push(env.findings.saved().then(() => markDone(journal, account.id, outcome), () => undefined));
    report();
  }));
  let listingFailed: string | undefined;
  try {
    accounts.forEach(start);
    if (listing) {
      const aborted = new Promise<undefined>((resolve) => {
        if (stop.aborted) resolve(undefined);
        else stop.addEventListener('abort', () => resolve(undefined), { once: true });
      });
      const mgmt = index.organization.managementAccountId;
      // Accounts placed before this scan followed the walk come first.
      let batch: OrgAccount[] | undefined = [...index.accounts.values()];
      for (;; batch = undefined) {
        batch ??= await Promise.race([listing.source.next(), aborted]);
        if (!batch || stop.aborted) break;
        const fresh: OrgAccount[] = [];
        for (const a of batch) {
          if (a.id === mgmt || seen.has(a.id) || !index.isUnder(a.id, listing.scopeParent)) continue;
          const taken = await admit(a);
          if (taken) fresh.push(taken);
        }
        summary.accounts = accounts.length + skipped.length + resumedDone;
        // In the record before its first session: a resume never misses an account already started.
        if (journal && fresh.length) await journal.add(fresh.map((a) => a.id)).catch((err) => env.log.warn('scan', `The progress record could not be updated (${String(err)}).`));
        fresh.forEach(start);
        report();
      }
      if (!stop.aborted) {
        listingOpen = false;
        listingFailed = await listing.source.done.then((full) => (full.isComplete() ? undefined : 'the listing stopped before its end'), (err: unknown) => String(err));
        // The whole scope is in the record now: a resume needs no listing.
        if (journal && !listingFailed) await journal.add([], params).catch(() => undefined);
        report();
      }
    }
    await Promise.all(running);
  } finally {
    handle.dispose();
  }
  try {
    await env.findings.flush();
  } finally {
    await Promise.all(marks);
  }
  if (listingFailed) env.log.warn('scan', `The organization could not be listed to the end (${listingFailed}); accounts not listed were not scanned. Resume Interrupted Bulk Work scans them once the organization can be listed.`);
  summary.remaining = accounts.length - summary.scanned;
  if (journal && !summary.remaining && !listingOpen && !listingFailed) await journal.complete().catch(() => undefined);
  summary.cancelled = stop.aborted;
  summary.endedByUser = handle.signal.aborted;
  await audit.record({
    kind: 'scan.finished', taskId: scanId, operation: `scan (${req.mode})`, resource: req.scope,
    outcome: summary.cancelled ? 'cancelled' : summary.failed ? 'error' : 'ok',
    detail: { scanned: summary.scanned, locked: summary.locked, suspected: summary.suspected, failed: summary.failed, interrupted: summary.interrupted, skipped: skipped.length },
  });
  return finish();
}

/**
 * Accounts scanned at once for a cap of `inFlight` calls: half as many again. Between its calls an
 * account spends time that holds no call slot (its audit records made durable before and after
 * AssumeRoot, the analysis of each policy); with exactly one account per slot those slots stood
 * idle. The limiter still caps the calls in flight.
 */
export function accountsAtOnce(inFlight: number): number {
  const n = Math.max(1, Math.floor(inFlight));
  return n + Math.ceil(n / 2);
}

function record(env: ScanEnv, summary: ScanSummary, result: AccountScan): void {
  summary.scanned++;
  summary.calls += result.calls;
  if (result.errors.length) summary.failed++;
  summary.locked += result.resources.filter((r) => r.verdict === 'locked').length;
  summary.suspected += result.resources.filter((r) => r.verdict === 'suspected').length;
  env.findings.setScan(result.accountId, result.resources, new Date().toISOString(), result.errors.join('\n') || undefined);
}

/**
 * Root mode: each part is a runner session under the scan's id and group, read records pipelined;
 * a cancel stops it at its next call (the session ends as cancelled).
 */
function rootOpener(env: ScanEnv, why: { justification: string; ticket: string }, scanId: string, group: SessionGroup, signal: AbortSignal): SessionOpener {
  return (accountId, task, read) =>
    env.run({
      task, accountId, ...why, parentTaskId: scanId, group, pipelineReads: true, signal, approval: readOnlyWhenRequired(env.approvals?.(), 'scan'),
    }, (t) => read({ ops: t.session.ops, gate: t }));
}

/** Role mode: AssumeRole through the management gate, the reads through a gate of the role session. */
function roleOpener(env: ScanEnv, roleName: string, scanId: string, signal: AbortSignal): SessionOpener {
  const { management } = env;
  const live = () => {
    if (signal.aborted) throw new Cancelled();
  };
  return async (accountId, _task, read) => {
    const record = (input: Parameters<typeof management.audit.record>[0]) => management.audit.record({ ...input, taskId: scanId, accountId });
    // AssumeRole counts against the management account; the role session's reads against the member's.
    const limitKeyOf = (operation: string) => limitKey(serviceOf(operation), operation === 'AssumeRole' ? MANAGEMENT : accountId, operation);
    const gate = createGate({ record, limiter: management.limiter, limitKey: limitKeyOf, pipelineReads: true, outcomeOf: deniedOrError, live });
    const session = await management.ops.assumeRole(gate, accountId, roleName);
    try {
      await read({ ops: session.ops, gate });
    } finally {
      session.end();
      await gate.settle();
    }
  };
}

function deniedOrError(err: unknown): 'denied' | 'error' {
  return classifyFailure(err) === 'accessDenied' ? 'denied' : 'error';
}

/**
 * Both scan tasks certainly blocked by the organization's SCPs/RCPs: the account is skipped like a
 * guardrail refusal (never sessioned), with the policy named. One task blocked: the runner refuses
 * that session and the account reports it.
 */
async function blockedByOrg(env: ScanEnv, accountId: string, index: OrgIndex): Promise<string | undefined> {
  if (!env.orgGuard) return undefined;
  const [s3, sqs] = await Promise.all((['S3UnlockBucketPolicy', 'SQSUnlockQueuePolicy'] as const).map((task) => env.orgGuard!({ accountId, task }, index).catch(() => undefined)));
  if (s3?.verdict !== 'blocked' || sqs?.verdict !== 'blocked') return undefined;
  const cause = s3.findings.find((f) => f.certain)!;
  return `the organization's policies block root sessions in this account: ${cause.why} Fix: ${cause.fix}`;
}

/**
 * Resumes an interrupted scan from its progress record: the accounts not yet done, with the mode
 * and regions it was started with (a new justification and a new scan id: it is a new task, and
 * its intent names the scan it resumes). Accounts no longer in the organization are marked skipped.
 */
export async function resumeScan(
  env: ScanEnv,
  person: Person,
  progress: Progress,
  journal: BulkJournal,
  req: Pick<ScanRequest, 'roleName' | 'homeRegion' | 'accountConcurrency'>,
): Promise<ScanSummary> {
  const index = await env.getIndex();
  // Findings saved since the scan started, with the process gone before its progress line: done.
  const since = Date.parse(journal.record.startedAt);
  for (const id of journal.pending()) {
    const saved = env.findings.get(id);
    if (saved?.scannedAt && !saved.skipped && Date.parse(saved.scannedAt) >= since) await markDone(journal, id, saved.scanError ? 'failed' : 'ok');
  }
  const { mode, regions, listing } = journal.record.params;
  // Stopped while the organization was still being listed: the scope's accounts listed since join the record.
  if (typeof listing === 'string') {
    const mgmt = index.organization.managementAccountId;
    await journal.add(index.accountsUnder(listing).filter((a) => a.id !== mgmt).map((a) => a.id), { mode, regions: Array.isArray(regions) ? regions : [] });
  }
  const accounts = await pendingAccounts(journal, (id) => index.accounts.get(id));
  return scanForLockedPolicies(env, person, progress, {
    ...req,
    accounts,
    scope: journal.record.label,
    mode: mode === 'role' ? 'role' : 'rootSession',
    regions: Array.isArray(regions) ? regions : [],
    resume: journal,
  });
}
