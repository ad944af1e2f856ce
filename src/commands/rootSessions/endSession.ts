import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { describeEntry } from '../../core/sessionPolicy';
import type { RootSessionRegistry, SessionSummary } from '../../core/sessionRegistry';

/**
 * rootTasks.endRootSession: ends live root sessions now (status bar click). A scan's sessions are
 * one entry and end together (the scan starts no new one). With several entries, asks which (or
 * all). The flow that owns a session sees its signal abort and writes nothing more.
 */
export async function endRootSession(sessions: RootSessionRegistry, arg?: unknown): Promise<void> {
  const given = typeof arg === 'string' ? arg : typeof (arg as { taskId?: unknown })?.taskId === 'string' ? (arg as { taskId: string }).taskId : undefined;
  if (given !== undefined) {
    if (!sessions.end(given, 'endedByUser')) sessions.endGroup(given, 'endedByUser');
    return;
  }
  const live = sessions.summary();
  if (!live.length) {
    void vscode.window.showInformationMessage('No root session is active.');
    return;
  }
  if (live.length === 1) {
    end(sessions, live[0]);
    return;
  }
  const now = new Date();
  const all = { label: `End all ${live.length} root sessions`, entries: live };
  const picked = await vscode.window.showQuickPick(
    [all, ...live.map((s) => ({ label: describeEntry(s, now), entries: [s] }))],
    { title: 'End root session' },
  );
  if (!picked) throw new Cancelled();
  for (const entry of picked.entries) end(sessions, entry);
}

function end(sessions: RootSessionRegistry, entry: SessionSummary): void {
  if (entry.kind === 'group') sessions.endGroup(entry.group.id, 'endedByUser');
  else sessions.end(entry.session.taskId, 'endedByUser');
}
