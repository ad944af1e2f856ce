import type * as vscode from 'vscode';
import type { RootSessionRegistry } from '../../core/sessionRegistry';
import type { Log } from '../../services/log';
import { SessionStatus } from '../../views/sessionStatus';
import { registerCommand } from '../command';
import { endRootSession } from './endSession';

/** The root-session UI every flow shares: the status bar countdown and rootTasks.endRootSession. */
export function register(log: Log, sessions: RootSessionRegistry): vscode.Disposable[] {
  return [
    new SessionStatus(sessions),
    registerCommand(log, 'rootTasks.endRootSession', (arg) => endRootSession(sessions, arg)),
    { dispose: () => sessions.dispose() },
  ];
}
