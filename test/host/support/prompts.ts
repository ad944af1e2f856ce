// The input boxes the extension shows, seen from the tests. The tests and the extension share the
// extension host's `vscode` API object (the tests are loaded from the extension's own folder), so
// wrapping window.showInputBox here sees every prompt the extension opens: the positive event a
// test waits for before it answers or closes a prompt, and what proves how often a flow asked.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export interface PromptWatch {
  /** Every input box the extension asked for, in order. */
  readonly shown: vscode.InputBoxOptions[];
  /** Answers that failed the prompt's own validation (each such prompt was cancelled instead). */
  readonly refused: string[];
  /** Their titles, in order. */
  titles(): string[];
  dispose(): void;
}

type ShowInputBox = typeof vscode.window.showInputBox;

/**
 * Records every input box. With `answer`, a prompt is answered by it instead of being shown (an
 * answer that fails the prompt's own validation is recorded in `refused` and cancels the prompt);
 * without, the real input box opens as usual.
 */
export function watchInputBoxes(answer?: (options: vscode.InputBoxOptions) => string | undefined): PromptWatch {
  const window = vscode.window as { showInputBox: ShowInputBox };
  const original = window.showInputBox;
  const shown: vscode.InputBoxOptions[] = [];
  const refused: string[] = [];
  const watched: ShowInputBox = (options, token) => {
    shown.push(options ?? {});
    if (!answer) return original.call(vscode.window, options, token);
    const value = answer(options ?? {});
    return Promise.resolve(value).then(async (v) => {
      if (v !== undefined && options?.validateInput) {
        const problem = await options.validateInput(v);
        if (problem) {
          refused.push(`the answer ${JSON.stringify(v)} to "${options.title}" fails its validation: ${JSON.stringify(problem)}`);
          return undefined;
        }
      }
      return v;
    });
  };
  window.showInputBox = watched;
  assert.equal(vscode.window.showInputBox, watched, 'window.showInputBox cannot be watched in this extension host');
  return {
    shown,
    refused,
    titles: () => shown.map((o) => o.title ?? o.prompt ?? ''),
    dispose: () => {
      if (window.showInputBox === watched) window.showInputBox = original;
    },
  };
}
