import * as vscode from 'vscode';
import type { WalkthroughStep } from '../core/walkthrough';

/** Every context key the extension sets goes through here, so they all carry the prefix. */
export type ContextKey =
  | 'state'
  | 'hasTotp'
  | 'sessionActive'
  | 'featuresOff'
  | 'problemsOnly'
  | 'reviewsAwaitingDecision'
  | 'reviewsRequestOnly'
  | `walkthrough.${WalkthroughStep}`;

export function setContext(key: ContextKey, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', `rootTasks.${key}`, value);
}
