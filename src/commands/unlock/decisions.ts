import * as vscode from 'vscode';
import type { UnlockDecision } from '../../flows/unlock';
import { setContext } from '../../services/contextKeys';
import { decisionLine, type DecisionState } from '../../views/decisionText';
import { PROPOSED_SCHEME, type PolicyPreview } from '../../views/policyDocuments';

interface Slot {
  preview: PolicyPreview;
  state: DecisionState;
  settle?: (d: UnlockDecision) => void;
  /** A decision that came before the question was asked (the diff shows first). */
  early?: UnlockDecision;
}

/**
 * The Apply / Delete Policy Instead / Cancel decision of an open policy review, where the review
 * is: the diff editor's title actions, shown only while the review can still act (a context key
 * lists the open reviews' proposed documents), and a line after the proposal's first line saying
 * what Apply will do now, updated as the person edits. Not modal: the person edits while it is
 * open. Closing the diff or the session ending answers Cancel; when the task ends the slot goes,
 * the actions hide and the diff closes, so nothing clickable outlives it.
 */
export class PolicyDecisions implements vscode.Disposable {
  private readonly slots = new Map<string, Slot>();
  private readonly line = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 3em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.line,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === PROPOSED_SCHEME) this.redraw();
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redraw()),
    ];
  }

  /** Opens the slot as soon as the preview exists, so a click on a title action is never lost. */
  expect(preview: PolicyPreview, original: string, summary: string): vscode.Disposable {
    const key = preview.proposedUri.toString();
    this.slots.set(key, { preview, state: { text: original, original, summary } });
    this.changed();
    return new vscode.Disposable(() => {
      this.slots.delete(key);
      this.changed();
    });
  }

  /** A refused proposal: said on the review's own line until the person edits it. */
  refused(preview: PolicyPreview, message: string): void {
    const slot = this.slots.get(preview.proposedUri.toString());
    if (!slot) return;
    slot.state.refused = { text: preview.proposedText(), message };
    this.redraw();
  }

  /** `mustRequest`: approvals are required, so the review offers Save as Request and Cancel only. */
  wait(preview: PolicyPreview, signal: AbortSignal, options: { mustRequest?: boolean } = {}): Promise<UnlockDecision> {
    const slot = this.slots.get(preview.proposedUri.toString());
    if (!slot) return Promise.resolve('cancel');
    slot.state.working = undefined;
    slot.state.requestOnly = options.mustRequest === true;
    this.changed();
    if (slot.early) {
      const early = slot.early;
      slot.early = undefined;
      return Promise.resolve(this.taken(slot, early));
    }
    return new Promise<UnlockDecision>((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      const settle = (d: UnlockDecision) => {
        if (slot.settle !== settle) return;
        slot.settle = undefined;
        for (const s of subscriptions) s.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve(this.taken(slot, d));
      };
      const onAbort = () => settle('cancel');
      slot.settle = settle;
      subscriptions.push(preview.onDidClose(() => settle('cancel')));
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
    });
  }

  /** From the editor title actions: the diff's proposed document, or the only open review. */
  decide(decision: UnlockDecision, arg?: unknown): void {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const open = [...this.slots.entries()].filter(([, s]) => !s.state.working);
    const key = uri?.scheme === PROPOSED_SCHEME && this.slots.has(uri.toString()) ? uri.toString()
      : open.length === 1 ? open[0][0] : undefined;
    const slot = key === undefined ? undefined : this.slots.get(key);
    if (!slot || slot.state.working) {
      void vscode.window.showInformationMessage('No policy review is waiting for a decision.');
      return;
    }
    if (slot.settle) slot.settle(decision);
    else slot.early = decision;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.slots.clear();
    void setContext('reviewsAwaitingDecision', {});
    void setContext('reviewsRequestOnly', {});
  }

  /** Once decided, the review shows what is happening and offers nothing to click until asked again. */
  private taken(slot: Slot, d: UnlockDecision): UnlockDecision {
    slot.state.working = d;
    this.changed();
    return d;
  }

  private changed(): void {
    const open: Record<string, true> = {};
    const requestOnly: Record<string, true> = {};
    for (const [key, slot] of this.slots) {
      if (slot.state.working) continue;
      open[key] = true;
      if (slot.state.requestOnly) requestOnly[key] = true;
    }
    // `resource in rootTasks.reviewsAwaitingDecision` in package.json: the title actions show
    // only on a review that can still act; Apply and Delete not on one that may only be requested.
    void setContext('reviewsAwaitingDecision', open);
    void setContext('reviewsRequestOnly', requestOnly);
    this.redraw();
  }

  private redraw(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== PROPOSED_SCHEME) continue;
      const slot = this.slots.get(editor.document.uri.toString());
      if (!slot) {
        editor.setDecorations(this.line, []);
        continue;
      }
      slot.state.text = editor.document.getText();
      const first = editor.document.lineAt(0).range.end;
      editor.setDecorations(this.line, [{
        range: new vscode.Range(first, first),
        renderOptions: { after: { contentText: decisionLine(slot.state) } },
        hoverMessage: slot.state.summary,
      }]);
    }
  }
}
