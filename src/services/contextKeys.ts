import * as vscode from 'vscode';

/** Every context key the extension sets goes through here, so they all carry the prefix. */
export type ContextKey =
  | 'state'
  | 'hasTotp'
  | 'sessionActive'
  | 'featuresOff'
  | 'problemsOnly'
  | 'reviewsAwaitingDecision'
  | 'reviewsRequestOnly';

export function setContext(key: ContextKey, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', `rootTasks.${key}`, value);
}
