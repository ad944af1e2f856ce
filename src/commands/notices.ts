import * as vscode from 'vscode';
import type { Log } from '../services/log';

/** How long a done-note stays in the status bar: long enough to read, short enough not to pile up. */
const NOTE_MS = 10_000;

/**
 * A step the person took whose result they already see in place (the tree, the report, the status
 * bar): the log gets the line and the status bar shows it for a few seconds, instead of a toast that
 * stacks on the others. Toasts stay for what needs a decision, a warning or a result seen nowhere else.
 */
export function noteDone(log: Log, component: string, text: string): void {
  log.info(component, text);
  vscode.window.setStatusBarMessage(`$(check) ${text}`, NOTE_MS);
}
