import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { describeSession } from '../../core/sessionPolicy';
import type { RootSessionRegistry } from '../../core/sessionRegistry';

/**
 * rootTasks.endRootSession: ends a live root session now (status bar click). With several live,
 * asks which (or all). The flow that owns the session sees its signal abort and writes nothing more.
 */
export async function endRootSession(sessions: RootSessionRegistry, arg?: unknown): Promise<void> {
  const live = sessions.list();
  const given = typeof arg === 'string' ? arg : typeof (arg as { taskId?: unknown })?.taskId === 'string' ? (arg as { taskId: string }).taskId : undefined;
  if (given !== undefined) {
    sessions.end(given, 'endedByUser');
    return;
  }
  if (!live.length) {
    void vscode.window.showInformationMessage('No root session is active.');
    return;
  }
  if (live.length === 1) {
    sessions.end(live[0].taskId, 'endedByUser');
    return;
  }
  const now = new Date();
  const all = { label: `End all ${live.length} root sessions`, taskIds: live.map((s) => s.taskId) };
  const picked = await vscode.window.showQuickPick(
    [all, ...live.map((s) => ({ label: describeSession(s, now), taskIds: [s.taskId] }))],
    { title: 'End root session' },
  );
  if (!picked) throw new Cancelled();
  for (const id of picked.taskIds) sessions.end(id, 'endedByUser');
}
