import { AuditWriteError, isAuditFailure } from './audit/errors';
import type { AuditInput, AuditOutcome } from './audit/types';
import { describeError } from './errors';
import type { LimitKey, Limiter } from './rateLimit';

/**
 * The one audited gate every AWS call of every flow goes through — root sessions, role sessions
 * and the management credentials alike: the call is paced by the limiter, then recorded as an
 * aws.read / aws.write event with its outcome and request id. Writes always wait for their
 * record; a write whose record cannot be made durable fails.
 */
export interface CallGate {
  read<T>(operation: string, resource: string, call: () => Promise<T>): Promise<T>;
  write<T>(operation: string, resource: string, call: () => Promise<T>, extra?: Partial<AuditInput>): Promise<T>;
}

export interface AuditedGate extends CallGate {
  /** Waits for every queued read record; throws the first one that failed. */
  settle(): Promise<void>;
  /** Calls made through this gate. */
  readonly calls: number;
}

export interface GateOptions {
  /** Writes one audit event (the caller fills in task, account, task id). */
  record(input: AuditInput): Promise<unknown>;
  limiter: Pick<Limiter, 'run'>;
  /** The limiter key of an operation (service and the account whose quota it counts against). */
  limitKey?: (operation: string) => LimitKey;
  /** Throws when no call may start any more (session ended, flow cancelled). */
  live?: () => void;
  /** Throws when a write may not start (too little of the session left). */
  writable?: () => void;
  /** The error text recorded for a failed call. */
  describe?: (err: unknown, operation: string, resource: string) => string;
  /** The outcome recorded for a failed call (default 'error'). */
  outcomeOf?: (err: unknown) => AuditOutcome;
  /** Told of a failed call's error before it is rethrown unchanged. */
  onFailure?: (err: unknown, operation: string, resource: string) => void;
  /**
   * Read records are written without holding up the next call: waiting for each record's fsync
   * put the audit log's latency on every call. Records are appended as the calls end; the first
   * failed record stops every call not yet sent, also one already waiting in the limiter (fail
   * closed); settle() before the session is reported.
   */
  pipelineReads?: boolean;
  /** Read-only diagnostics: a read record that cannot be written is reported, not fatal. */
  bestEffortReads?: (err: unknown) => void;
}

/** `result.$metadata.requestId` (SDK outputs and errors) or a plain `requestId` field (our ops). */
export function requestIdOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { requestId?: unknown; $metadata?: { requestId?: unknown } };
  const id = v.$metadata?.requestId ?? v.requestId;
  return typeof id === 'string' && id ? id : undefined;
}

export function createGate(options: GateOptions): AuditedGate {
  const describe = options.describe ?? ((err: unknown) => describeError(err));
  let pending: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  let calls = 0;

  const check = () => {
    if (failure) throw failure.error;
  };
  // Whatever the recorder threw, a record that could not be written is an audit failure: flows stop
  // the session on it (fail closed) instead of treating it as one resource's error.
  const asAuditFailure = (err: unknown): unknown =>
    isAuditFailure(err) ? err : new AuditWriteError(`The audit record could not be written (${describeError(err)}); no further AWS call is made.`);
  const record = (input: AuditInput): Promise<unknown> => Promise.resolve().then(() => options.record(input)).catch((err: unknown) => {
    throw asAuditFailure(err);
  });
  // A write's record is awaited: its failure fails the write and every later call.
  const recordWrite = async (input: AuditInput): Promise<void> => {
    try {
      await record(input);
    } catch (error) {
      failure ??= { error };
      throw error;
    }
  };
  const recordRead = async (input: AuditInput): Promise<void> => {
    const write = record(input).then(() => undefined, (error: unknown) => {
      if (options.bestEffortReads) options.bestEffortReads(error);
      else failure ??= { error };
    });
    if (options.pipelineReads) pending.push(write);
    else {
      await write;
      check();
    }
  };

  const call = async <T>(kind: 'aws.read' | 'aws.write', operation: string, resource: string, fn: () => Promise<T>, extra?: Partial<AuditInput>): Promise<T> => {
    check();
    options.live?.();
    if (kind === 'aws.write') options.writable?.();
    calls++;
    let result: T;
    let refused: { error: unknown } | undefined;
    try {
      // Checked again once the limiter lets the call go: reads started together (a scan reads an
      // account's policies at once) may wait there while an earlier record fails or the flow ends.
      result = await options.limiter.run(async () => {
        try {
          check();
          options.live?.();
        } catch (error) {
          refused = { error };
          throw error;
        }
        return fn();
      }, options.limitKey?.(operation));
    } catch (err) {
      // Never sent: nothing to record.
      if (refused && refused.error === err) throw err;
      options.onFailure?.(err, operation, resource);
      const event: AuditInput = {
        ...extra, kind, operation, resource,
        outcome: options.outcomeOf?.(err) ?? 'error', error: describe(err, operation, resource), requestId: requestIdOf(err),
      };
      if (kind === 'aws.read') await recordRead(event);
      else await recordWrite(event);
      throw err;
    }
    const event: AuditInput = { ...extra, kind, operation, resource, outcome: 'ok', requestId: requestIdOf(result) };
    if (kind === 'aws.read') await recordRead(event);
    else await recordWrite(event);
    return result;
  };

  return {
    read: (operation, resource, fn) => call('aws.read', operation, resource, fn),
    write: (operation, resource, fn, extra) => call('aws.write', operation, resource, fn, extra),
    async settle() {
      const waiting = pending;
      pending = [];
      await Promise.all(waiting);
      check();
    },
    get calls() {
      return calls;
    },
  };
}
