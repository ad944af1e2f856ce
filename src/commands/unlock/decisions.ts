import * as vscode from 'vscode';
import type { UnlockDecision } from '../../flows/unlock';
import { PROPOSED_SCHEME, type PolicyPreview } from '../../views/policyDocuments';

interface Slot {
  settle?: (d: UnlockDecision) => void;
  /** A decision that came before the question was asked (the diff shows first). */
  early?: UnlockDecision;
}

/**
 * The Apply / Delete policy instead / Cancel choice for an open policy diff. Not modal: the user
 * must be able to edit the proposal while the question is open. Answered by the notification's
 * buttons or by the diff editor's title actions (rootTasks.applyPolicyEdit, .deletePolicyInstead,
 * .cancelPolicyEdit); closing the diff or the session ending answers Cancel.
 */
export class PolicyDecisions {
  private readonly slots = new Map<string, Slot>();

  /** Opens the slot for a preview as soon as it exists, so a click on a title action is never lost. */
  expect(preview: PolicyPreview): vscode.Disposable {
    const key = preview.proposedUri.toString();
    this.slots.set(key, {});
    return new vscode.Disposable(() => this.slots.delete(key));
  }

  wait(preview: PolicyPreview, message: string, signal: AbortSignal, options: { canDelete: boolean; mustRequest?: boolean }): Promise<UnlockDecision> {
    const key = preview.proposedUri.toString();
    const slot = this.slots.get(key) ?? {};
    this.slots.set(key, slot);
    if (slot.early) {
      const early = slot.early;
      slot.early = undefined;
      return Promise.resolve(early);
    }
    return new Promise<UnlockDecision>((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      const settle = (d: UnlockDecision) => {
        if (slot.settle !== settle) return;
        slot.settle = undefined;
        for (const s of subscriptions) s.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve(d);
      };
      const onAbort = () => settle('cancel');
      slot.settle = settle;
      subscriptions.push(preview.onDidClose(() => settle('cancel')));
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
      const buttons = options.mustRequest ? ['Save as Request', 'Cancel'] : options.canDelete ? ['Apply', 'Delete Policy Instead', 'Cancel'] : ['Apply', 'Cancel'];
      // Dismissing the toast is not an answer: the editor title actions still are.
      void vscode.window.showInformationMessage(message, ...buttons).then((b) => {
        if (b === 'Save as Request') settle('request');
        else if (b === 'Apply') settle('apply');
        else if (b === 'Delete Policy Instead') settle('delete');
        else if (b === 'Cancel') settle('cancel');
      });
    });
  }

  /** From the editor title actions: the diff's proposed document, or the only open preview. */
  decide(decision: UnlockDecision, arg?: unknown): void {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const key = uri?.scheme === PROPOSED_SCHEME && this.slots.has(uri.toString()) ? uri.toString()
      : this.slots.size === 1 ? [...this.slots.keys()][0] : undefined;
    const slot = key === undefined ? undefined : this.slots.get(key);
    if (!slot) {
      void vscode.window.showInformationMessage('No policy preview is waiting for a decision.');
      return;
    }
    if (slot.settle) slot.settle(decision);
    else slot.early = decision;
  }
}
