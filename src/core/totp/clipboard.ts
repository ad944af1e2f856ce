/** The subset of VS Code's clipboard the guard needs. */
export interface Clipboard {
  readText(): PromiseLike<string>;
  writeText(value: string): PromiseLike<void>;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Puts a value on the clipboard and takes it off again after a delay, but only if the clipboard
 * still holds exactly that value: whatever the user copied since is left alone.
 */
export class ClipboardGuard {
  private readonly pending = new Map<unknown, string>();

  constructor(
    private readonly clipboard: Clipboard,
    private readonly timers: Timers,
    private readonly onError: (err: unknown) => void,
  ) {}

  async copy(value: string, clearAfterSeconds: number): Promise<void> {
    await this.clipboard.writeText(value);
    const handle = this.timers.setTimeout(() => {
      this.pending.delete(handle);
      this.clearIfHolding(value).catch(this.onError);
    }, clearAfterSeconds * 1000);
    this.pending.set(handle, value);
  }

  /** Resolves true when it cleared the clipboard. */
  async clearIfHolding(value: string): Promise<boolean> {
    if ((await this.clipboard.readText()) !== value) return false;
    await this.clipboard.writeText('');
    return true;
  }

  /** On shutdown nothing is left on a timer: values still on the clipboard are cleared now. */
  dispose(): void {
    for (const [handle, value] of this.pending) {
      this.timers.clearTimeout(handle);
      this.clearIfHolding(value).catch(this.onError);
    }
    this.pending.clear();
  }
}
