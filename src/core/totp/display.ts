import { describeError } from '../errors';
import { formatAccountId } from '../tasks';
import { formatCode, totpAt } from './code';
import type { Timers } from './clipboard';
import type { RevealVia } from './service';
import type { TokenMeta } from './types';

/** What the status bar item shows; `action` is what a click does. */
export interface StatusView {
  text: string;
  tooltip: string;
  action?: 'copy' | 'reveal';
}

export interface DisplayDeps extends Timers {
  /** The time codes are for: AWS's time when this machine's clock is off (see core/clockSkew). */
  now(): number;
  /** Why the clock is not trusted (shown as a warning with the code), undefined when it is. */
  clockWarning?(): string | undefined;
  loadSecret(token: TokenMeta): Promise<Uint8Array>;
  /** Records the reveal; the code is shown only once this resolves. */
  reveal(token: TokenMeta, via: RevealVia): Promise<void>;
  /** `undefined` hides the item. */
  render(view: StatusView | undefined): void;
}

/**
 * The status-bar TOTP display, editor-free. A timer runs only while a code is on screen, and
 * fires on the next second boundary so the countdown ticks with the clock; with no token, a
 * masked code, a missing secret or an audit failure there is no timer at all.
 */
export class TotpDisplay {
  private token: TokenMeta | undefined;
  private secret: Uint8Array | undefined;
  private problem: string | undefined;
  /** Unmasked mode: whether the reveal for this token was recorded (the code shows only when 'done'). */
  private revealState: 'none' | 'pending' | 'done' = 'none';
  /** Masked mode: a click revealed the code until this time (the end of that time step). */
  private revealedUntil = 0;
  private timer: unknown;
  /** Bumped on every token change so late secret loads and audit results for the old one are dropped. */
  private generation = 0;
  private view: StatusView | undefined;

  constructor(private readonly deps: DisplayDeps, private masked: boolean) {}

  /** The text on screen now (undefined when hidden): read by the host tests. */
  get text(): string | undefined {
    return this.view?.text;
  }

  get timerRunning(): boolean {
    return this.timer !== undefined;
  }

  setToken(token: TokenMeta | undefined): void {
    const same = token && this.token && token.id === this.token.id && token.algorithm === this.token.algorithm
      && token.digits === this.token.digits && token.period === this.token.period;
    this.token = token;
    if (same) return this.update();
    this.generation++;
    this.secret = undefined;
    this.problem = undefined;
    this.revealState = 'none';
    this.revealedUntil = 0;
    this.update();
    if (token) this.load(token, this.generation);
  }

  setMasked(masked: boolean): void {
    if (masked === this.masked) return;
    this.masked = masked;
    this.revealedUntil = 0;
    // Turning the mask off shows codes again without a click: a new reveal to record.
    if (!masked && this.revealState === 'done') this.revealState = 'none';
    this.autoReveal();
    this.update();
  }

  /**
   * A click on the masked item: records the reveal, then shows the code until its step ends.
   * Unmasked, a click on the warning left by a failed audit retries the reveal.
   */
  async revealNow(): Promise<void> {
    const token = this.token;
    const generation = this.generation;
    if (!token || !this.secret) return;
    if (!this.masked) {
      this.problem = undefined;
      this.revealState = 'none';
      this.autoReveal();
      return this.update();
    }
    await this.deps.reveal(token, 'click');
    if (generation !== this.generation) return;
    const periodMs = token.period * 1000;
    this.revealedUntil = (Math.floor(this.deps.now() / periodMs) + 1) * periodMs;
    this.update();
  }

  /** Recomputes the view now (the clock's offset from AWS changed). */
  refresh(): void {
    this.update();
  }

  dispose(): void {
    this.stop();
    this.generation++;
  }

  private load(token: TokenMeta, generation: number): void {
    this.deps.loadSecret(token).then((secret) => {
      if (generation !== this.generation) return;
      this.secret = secret;
      this.autoReveal();
      this.update();
    }, (err: unknown) => this.fail(generation, describeError(err)));
  }

  /** Unmasked mode shows the code without a click: that is a reveal too, recorded once per token. */
  private autoReveal(): void {
    const token = this.token;
    const generation = this.generation;
    if (this.masked || this.revealState !== 'none' || !token || !this.secret) return;
    this.revealState = 'pending';
    this.deps.reveal(token, 'statusBar').then(() => {
      if (generation !== this.generation) return;
      this.revealState = 'done';
      this.update();
    }, (err: unknown) => this.fail(generation, `Code hidden: the reveal could not be recorded in the audit log (${describeError(err)}).`));
  }

  private fail(generation: number, message: string): void {
    if (generation !== this.generation) return;
    this.problem = message;
    this.update();
  }

  private update(): void {
    this.stop();
    this.view = this.compute();
    this.deps.render(this.view);
  }

  private compute(): StatusView | undefined {
    const token = this.token;
    if (!token) return undefined;
    const name = token.label;
    const linked = token.accountId ? ` (account ${formatAccountId(token.accountId)})` : '';
    if (this.problem) {
      return { text: `$(warning) ${name}`, tooltip: `TOTP ${name}${linked}: ${this.problem}`, action: this.secret ? 'reveal' : undefined };
    }
    if (!this.secret) return { text: `$(key) ${name} …`, tooltip: `TOTP ${name}${linked}: loading` };
    const now = this.deps.now();
    if (this.masked && now >= this.revealedUntil) {
      return { text: `$(key) ${name} ${formatCode('•'.repeat(token.digits))}`, tooltip: `TOTP ${name}${linked}: click to reveal the code`, action: 'reveal' };
    }
    if (!this.masked && this.revealState !== 'done') return { text: `$(key) ${name} …`, tooltip: `TOTP ${name}${linked}: loading` };
    const { code, secondsLeft } = totpAt(this.secret, token, now);
    this.timer = this.deps.setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 1000 - (now % 1000));
    const warning = this.deps.clockWarning?.();
    if (warning) {
      return { text: `$(warning) ${name} ${formatCode(code)} · ${secondsLeft}s`, tooltip: `TOTP ${name}${linked}: ${warning} Click to copy the code.`, action: 'copy' };
    }
    return { text: `$(key) ${name} ${formatCode(code)} · ${secondsLeft}s`, tooltip: `TOTP ${name}${linked}: click to copy the code`, action: 'copy' };
  }

  private stop(): void {
    if (this.timer === undefined) return;
    this.deps.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
