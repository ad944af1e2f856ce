import * as vscode from 'vscode';
import { PROPOSED_SCHEME, type PolicyPreview } from '../../views/policyDocuments';

export type UnlockDecision = 'apply' | 'delete' | 'cancel';

/**
 * The Apply / Delete policy instead / Cancel choice for an open policy diff. Not modal: the user
 * must be able to edit the proposal while the question is open. Answered by the notification's
 * buttons or by the diff editor's title actions (rootTasks.applyPolicyEdit, .deletePolicyInstead,
 * .cancelPolicyEdit); closing the diff or the session ending answers Cancel.
 */
export class PolicyDecisions {
  private readonly pending = new Map<string, (d: UnlockDecision) => void>();

  wait(preview: PolicyPreview, message: string, signal: AbortSignal, options: { canDelete: boolean }): Promise<UnlockDecision> {
    const key = preview.proposedUri.toString();
    return new Promise<UnlockDecision>((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      const settle = (d: UnlockDecision) => {
        if (this.pending.get(key) !== settle) return;
        this.pending.delete(key);
        for (const s of subscriptions) s.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve(d);
      };
      const onAbort = () => settle('cancel');
      this.pending.set(key, settle);
      subscriptions.push(preview.onDidClose(() => settle('cancel')));
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
      const buttons = options.canDelete ? ['Apply', 'Delete Policy Instead', 'Cancel'] : ['Apply', 'Cancel'];
      // Dismissing the toast is not an answer: the editor title actions still are.
      void vscode.window.showInformationMessage(message, ...buttons).then((b) => {
        if (b === 'Apply') settle('apply');
        else if (b === 'Delete Policy Instead') settle('delete');
        else if (b === 'Cancel') settle('cancel');
      });
    });
  }

  /** From the editor title actions: the diff's proposed document, or the only open question. */
  decide(decision: UnlockDecision, arg?: unknown): void {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const key = uri?.scheme === PROPOSED_SCHEME ? uri.toString() : this.pending.size === 1 ? [...this.pending.keys()][0] : undefined;
    const settle = key === undefined ? undefined : this.pending.get(key);
    if (!settle) {
      void vscode.window.showInformationMessage('No policy preview is waiting for a decision.');
      return;
    }
    settle(decision);
  }
}
