import type { KeyValueStore } from './findings';

/**
 * The first-run walkthrough's steps (package.json `contributes.walkthroughs`), in its order. Each
 * completes through the context key `rootTasks.walkthrough.<step>` when the thing it asks for has
 * really happened; never on a click.
 */
export const WALKTHROUGH_STEPS = ['credentials', 'setupChecked', 'features', 'scanned', 'auditDestination', 'totp'] as const;
export type WalkthroughStep = (typeof WALKTHROUGH_STEPS)[number];

const KEY = 'rootTasks.walkthrough.v1';

/**
 * Which steps are done. A step, once done, stays done (VS Code keeps its checkmark the same way):
 * the events that complete a step (a setup check, a delivery to an audit destination) are kept in
 * the extension's global state, so activation shows them again without asking AWS.
 */
export class WalkthroughProgress {
  private readonly done: Set<WalkthroughStep>;

  constructor(private readonly store: KeyValueStore, private readonly show: (step: WalkthroughStep) => void) {
    const kept = store.get<string[]>(KEY) ?? [];
    this.done = new Set(WALKTHROUGH_STEPS.filter((s) => kept.includes(s)));
    for (const step of this.done) show(step);
  }

  /** Marks a step done when `when` holds (once; later calls are free). */
  mark(step: WalkthroughStep, when = true): void {
    if (!when || this.done.has(step)) return;
    this.done.add(step);
    void this.store.update(KEY, WALKTHROUGH_STEPS.filter((s) => this.done.has(s)));
    this.show(step);
  }

  isDone(step: WalkthroughStep): boolean {
    return this.done.has(step);
  }
}
