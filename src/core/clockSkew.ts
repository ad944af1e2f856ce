import type { CheckItem } from './setupCheck';

/** Above this difference from AWS's clock, TOTP codes are computed for AWS's time and a warning shows. */
export const SKEW_THRESHOLD_MS = 10_000;

/**
 * How far the local clock is from AWS's, learnt from the `Date` header of responses the extension
 * receives anyway (no extra calls). The header has whole seconds, so the server's time is taken
 * as the middle of its second; the latest response wins (a clock that was corrected is seen at
 * once). Positive offset: AWS is ahead of this machine.
 */
export class ClockSkew {
  private offset: number | undefined;
  private measuredAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  /** A response's `Date` header (ms since the epoch) and the local time it arrived. */
  record(serverDateMs: number, localMs: number): void {
    const next = serverDateMs + 500 - localMs;
    const before = this.offset;
    this.offset = next;
    this.measuredAt = localMs;
    // Listeners care about the warning and the corrected code: whole-second changes are enough.
    if (before === undefined || Math.abs(next - before) >= 1000 || this.isSkewed(before) !== this.isSkewed(next)) {
      for (const l of this.listeners) l();
    }
  }

  /** The last measured offset in ms (AWS minus local), undefined before any AWS response. */
  get offsetMs(): number | undefined {
    return this.offset;
  }

  /** Local time of the last measurement. */
  get lastMeasuredAt(): number | undefined {
    return this.measuredAt;
  }

  get skewed(): boolean {
    return this.isSkewed(this.offset);
  }

  /** The time to compute codes for: AWS's when the clock is off by more than the threshold. */
  correct(localMs: number): number {
    return this.skewed ? localMs + (this.offset ?? 0) : localMs;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private isSkewed(offset: number | undefined): boolean {
    return offset !== undefined && Math.abs(offset) > SKEW_THRESHOLD_MS;
  }
}

/** "45 s behind", "2 min 5 s ahead of" — how this machine's clock stands against AWS's. */
export function describeSkew(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const amount = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
  // AWS ahead (positive offset) means the local clock is behind.
  return `${amount} ${offsetMs > 0 ? 'behind' : 'ahead of'}`;
}

/** The Check Setup line for the clock: measured from AWS responses of this check. */
export function clockCheckItem(offsetMs: number | undefined): CheckItem {
  const title = 'Clock';
  if (offsetMs === undefined) {
    return { id: 'clock', title, status: 'skip', detail: 'No AWS response has been received yet to compare the clock with.' };
  }
  if (Math.abs(offsetMs) <= SKEW_THRESHOLD_MS) {
    return { id: 'clock', title, status: 'ok', detail: `This computer's clock is within ${Math.max(1, Math.round(Math.abs(offsetMs) / 1000))} s of AWS's.` };
  }
  return {
    id: 'clock', title, status: 'warn',
    detail: `This computer's clock is ${describeSkew(offsetMs)} AWS's (from the Date header of its responses). TOTP codes are shown for AWS's time.`,
    action: 'Synchronise the system clock (NTP); MFA codes typed from a phone and signed requests depend on it.',
  };
}
