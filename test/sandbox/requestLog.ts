// The request log: who called what on which resource, and how it ended — the sandbox's CloudTrail,
// for tests and benchmarks to assert on. Bounded: the oldest entries drop off past the limit.
import type { PrincipalType } from './policyEval';
import type { ServiceName } from './types';

export interface RequestLogEntry {
  seq: number;
  time: string;
  service: ServiceName;
  operation: string;
  principalArn?: string;
  principalType?: PrincipalType;
  /** The caller's account. */
  accountId?: string;
  accessKeyId?: string;
  /** For root sessions: the task policy the session is scoped to. */
  taskPolicyArn?: string;
  /** The resource acted on (ARN, OU/account id, ...). */
  target?: string;
  outcome: 'success' | 'error' | 'reset';
  errorCode?: string;
  httpStatus: number;
  requestId: string;
  durationMs: number;
  detail?: Record<string, string>;
}

export type LogFilter = Partial<Pick<RequestLogEntry, 'service' | 'operation' | 'accountId' | 'principalType' | 'outcome' | 'accessKeyId'>> & {
  /** Only entries with seq greater than this. */
  since?: number;
};

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;
  private dropped = 0;

  constructor(private readonly limit = 100_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ seq: this.nextSeq++, ...entry });
    if (this.entries.length > this.limit * 1.1) {
      const excess = this.entries.length - this.limit;
      this.entries = this.entries.slice(excess);
      this.dropped += excess;
    }
  }

  list(filter: LogFilter = {}): { entries: RequestLogEntry[]; dropped: number } {
    const keys = Object.entries(filter).filter(([k, v]) => k !== 'since' && v !== undefined) as [keyof RequestLogEntry, unknown][];
    const since = filter.since ?? 0;
    const entries = this.entries.filter((e) => e.seq > since && keys.every(([k, v]) => e[k] === v));
    return { entries, dropped: this.dropped };
  }

  clear(): void {
    this.entries = [];
    this.dropped = 0;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }
}
