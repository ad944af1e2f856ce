import * as vscode from 'vscode';
import type { Log } from '../services/log';
import { describeError, isCancellation, isEndedByUser } from '../core/errors';

export type Handler = (...args: unknown[]) => unknown;

/**
 * The one command wrapper: logs the run, treats user cancellation as normal, and shows a failure
 * with a "Show Log" action without awaiting the message (a toast must never hold a flow open).
 */
export function registerCommand(log: Log, id: string, handler: Handler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    log.debug('command', `run ${id}`);
    try {
      return await handler(...args);
    } catch (err) {
      if (isCancellation(err)) {
        log.info('command', `${id} cancelled`);
        return undefined;
      }
      // The person ended the session themselves: say what happened, in a calm voice.
      if (isEndedByUser(err)) {
        log.info('command', `${id}: ${err.message}`);
        void vscode.window.showInformationMessage(err.message);
        return undefined;
      }
      const message = describeError(err);
      log.error('command', `${id} failed: ${message}`);
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show();
      });
      return undefined;
    }
  });
}
