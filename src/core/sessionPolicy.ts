import type { SessionSummary } from './sessionRegistry';
import { MAX_ROOT_SESSION_SECONDS, ROOT_TASKS, formatAccountId, type RootTaskName } from './tasks';
import { plural } from './humanTime';

/** Session lifetime rules (pure): how long to ask for, when writes are still allowed, how it reads. */
export interface SessionSettings {
  /** Requested AssumeRoot duration; AWS allows at most 900 s. */
  durationSeconds: number;
  /** Writes are refused when fewer seconds than this remain. */
  minRemainingSeconds: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { durationSeconds: MAX_ROOT_SESSION_SECONDS, minRemainingSeconds: 60 };

/** Clamps whatever the settings hold into what AssumeRoot accepts (1–900 s; AWS's default when unusable). */
export function sessionDuration(seconds: number): number {
  if (!Number.isFinite(seconds)) return MAX_ROOT_SESSION_SECONDS;
  return Math.min(MAX_ROOT_SESSION_SECONDS, Math.max(1, Math.floor(seconds)));
}

export function minRemaining(seconds: number): number {
  return Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : DEFAULT_SESSION_SETTINGS.minRemainingSeconds;
}

export function secondsUntil(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
}

export type WriteCheck = { ok: true } | { ok: false; reason: 'ended' | 'expired' | 'tooLittleTime'; message: string };

/** Whether a write may start now: the session is live and has at least the minimum lifetime left. */
export function checkWritable(
  session: { ended: boolean; expiresAt: Date },
  now: Date,
  minRemainingSeconds: number,
): WriteCheck {
  const left = secondsUntil(session.expiresAt, now);
  if (left <= 0) {
    return { ok: false, reason: 'expired', message: 'The root session has expired; nothing was written. Run the task again for a fresh session.' };
  }
  if (session.ended) {
    return { ok: false, reason: 'ended', message: 'The root session was ended; nothing was written.' };
  }
  if (left < minRemainingSeconds) {
    return {
      ok: false,
      reason: 'tooLittleTime',
      message: `Only ${left} s of the root session remain (rootTasks.session.minRemainingSeconds is ${minRemainingSeconds}); nothing was written. Run the task again for a fresh session.`,
    };
  }
  return { ok: true };
}

/** 761 → "12:41". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "root · S3 unlock · 1111-2222-3333 · 12:41 left" (the status bar adds the icon). */
export function describeSession(s: { task: RootTaskName; accountId: string; expiresAt: Date }, now: Date): string {
  return `root · ${ROOT_TASKS[s.task].label} · ${formatAccountId(s.accountId)} · ${formatCountdown(secondsUntil(s.expiresAt, now))} left`;
}

/** "root · S3 unlock · 1111-2222-3333 · 12:41 left", or for a group "root · scan of X · 12 sessions · 12:41 left". */
export function describeEntry(entry: SessionSummary, now: Date): string {
  if (entry.kind === 'session') return describeSession(entry.session, now);
  const n = entry.sessions.length;
  return `root · ${entry.group.label} · ${plural(n, 'session')} · ${formatCountdown(secondsUntil(entry.expiresAt, now))} left`;
}
