import type { RootTaskName } from './tasks';

/** What the registry needs of a root session: it never sees credentials, only how to drop them. */
export interface EndableSession {
  readonly accountId: string;
  readonly task: RootTaskName;
  readonly expiresAt: Date;
  readonly ended: boolean;
  end(): void;
}

export type SessionEndReason = 'finished' | 'cancelled' | 'failed' | 'expired' | 'endedByUser' | 'shutdown';

/** Sessions that belong together (a scan's): shown as one item and ended together. */
export interface SessionGroup {
  readonly id: string;
  /** What the person started, e.g. "scan of Workloads". */
  readonly label: string;
}

export interface RegisteredSession {
  readonly taskId: string;
  readonly group?: SessionGroup;
  readonly task: RootTaskName;
  readonly accountId: string;
  readonly expiresAt: Date;
  /** Aborted when the session ends for any reason; flows waiting on the user stop waiting. */
  readonly signal: AbortSignal;
}

interface Entry extends RegisteredSession {
  session: EndableSession;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
  onEnd: (reason: SessionEndReason) => void;
}

// setTimeout fires at once for delays above 2^31-1 ms; sessions never last that long anyway.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The live root sessions and the resources tasks are working on. In memory only: a session is
 * here from AssumeRoot until it ends (task done, cancelled, failed, expired, ended by the user),
 * and ending it drops the credentials. A resource can be claimed by one task at a time.
 */
export class RootSessionRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly claims = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly groupControllers = new Map<string, AbortController>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Claims a resource for a task; false when another task holds it. Re-claiming by the holder is fine. */
  claim(resource: string, taskId: string): boolean {
    const holder = this.claims.get(resource);
    if (holder !== undefined && holder !== taskId) return false;
    this.claims.set(resource, taskId);
    return true;
  }

  /** Drops every claim of a task. */
  release(taskId: string): void {
    for (const [resource, holder] of this.claims) if (holder === taskId) this.claims.delete(resource);
  }

  holderOf(resource: string): string | undefined {
    return this.claims.get(resource);
  }

  /** The resources a task holds (to name them when asking before ending its session). */
  claimsOf(taskId: string): string[] {
    return [...this.claims].filter(([, holder]) => holder === taskId).map(([resource]) => resource);
  }

  /** Registers a fresh session; it is ended (reason 'expired') when its expiry time comes. */
  add(taskId: string, session: EndableSession, onEnd: (reason: SessionEndReason) => void, group?: SessionGroup): RegisteredSession {
    if (this.entries.has(taskId)) throw new Error(`A root session is already registered for task ${taskId}`);
    const controller = new AbortController();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt.getTime() - this.now().getTime()));
    const entry: Entry = {
      taskId,
      group,
      task: session.task,
      accountId: session.accountId,
      expiresAt: session.expiresAt,
      signal: controller.signal,
      session,
      controller,
      onEnd,
      timer: setTimeout(() => this.end(taskId, 'expired'), delay),
    };
    this.entries.set(taskId, entry);
    this.fire();
    return entry;
  }

  /**
   * Ends a session: drops its credentials, aborts its signal, forgets it. The first end wins and
   * its reason is returned; later calls return undefined.
   */
  end(taskId: string, reason: SessionEndReason): SessionEndReason | undefined {
    const entry = this.entries.get(taskId);
    if (!entry) return undefined;
    this.entries.delete(taskId);
    clearTimeout(entry.timer);
    entry.session.end();
    entry.controller.abort(reason);
    entry.onEnd(reason);
    this.fire();
    return reason;
  }

  /**
   * Ends every live session of a group and aborts the group's signal, so the work that owns it
   * (a scan) starts no new session. Returns how many sessions were ended.
   */
  endGroup(groupId: string, reason: SessionEndReason): number {
    this.groupControllers.get(groupId)?.abort(reason);
    const ids = [...this.entries.values()].filter((e) => e.group?.id === groupId).map((e) => e.taskId);
    for (const id of ids) this.end(id, reason);
    return ids.length;
  }

  /**
   * A group's signal: aborted when the person ends the group from the status bar. The owner
   * (a scan) checks it before each new session and disposes it when done.
   */
  openGroup(group: SessionGroup): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    this.groupControllers.set(group.id, controller);
    return { signal: controller.signal, dispose: () => void this.groupControllers.delete(group.id) };
  }

  get(taskId: string): RegisteredSession | undefined {
    return this.entries.get(taskId);
  }

  /** Live sessions, soonest expiry first. */
  list(): RegisteredSession[] {
    return [...this.entries.values()].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  }

  /**
   * What the status bar shows: each ungrouped session on its own, each group as one entry with
   * its session count and the soonest expiry. Soonest expiry first.
   */
  summary(): SessionSummary[] {
    const out: SessionSummary[] = [];
    const groups = new Map<string, SessionSummary & { kind: 'group' }>();
    for (const s of this.list()) {
      if (!s.group) {
        out.push({ kind: 'session', session: s, expiresAt: s.expiresAt });
        continue;
      }
      const g = groups.get(s.group.id);
      if (g) g.sessions.push(s);
      else {
        const entry = { kind: 'group' as const, group: s.group, sessions: [s], expiresAt: s.expiresAt };
        groups.set(s.group.id, entry);
        out.push(entry);
      }
    }
    return out;
  }

  get size(): number {
    return this.entries.size;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Ends everything (extension shutdown). */
  dispose(): void {
    for (const c of this.groupControllers.values()) c.abort('shutdown');
    for (const id of [...this.entries.keys()]) this.end(id, 'shutdown');
    this.claims.clear();
    this.listeners.clear();
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}

/** One status bar line: a session, or a group of sessions (count and soonest expiry). */
export type SessionSummary =
  | { kind: 'session'; session: RegisteredSession; expiresAt: Date }
  | { kind: 'group'; group: SessionGroup; sessions: RegisteredSession[]; expiresAt: Date };
