import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import { describeEntry } from '../../core/sessionPolicy';
import type { RootSessionRegistry, SessionSummary } from '../../core/sessionRegistry';
import { ROOT_TASKS, formatAccountId } from '../../core/tasks';
import { plural } from '../../core/humanTime';

/** `{ confirm: true }` (automation, tests) ends without the question. */
interface EndArgs {
  taskId?: string;
  confirm?: boolean;
}

/**
 * rootTasks.endRootSession: ends live root sessions now (status bar click). A scan's sessions are
 * one entry and end together (the scan starts no new one). With several entries, asks which (or
 * all); a task in flight is named and the person asked first, since its work stops at once. The
 * flow that owns a session sees its signal abort, writes nothing more, and reports "ended by you".
 */
export async function endRootSession(sessions: RootSessionRegistry, arg?: unknown): Promise<void> {
  const args: EndArgs = typeof arg === 'string' ? { taskId: arg } : arg && typeof arg === 'object' ? (arg as EndArgs) : {};
  if (typeof args.taskId === 'string') {
    if (!sessions.end(args.taskId, 'endedByUser')) sessions.endGroup(args.taskId, 'endedByUser');
    return;
  }
  const live = sessions.summary();
  if (!live.length) {
    void vscode.window.showInformationMessage('No root session is active.');
    return;
  }
  let chosen: SessionSummary[] = live;
  if (live.length > 1) {
    const now = new Date();
    const all = { label: `End all ${live.length} root sessions`, entries: live };
    const picked = await vscode.window.showQuickPick(
      [all, ...live.map((s) => ({ label: describeEntry(s, now), entries: [s] }))],
      { title: 'End root session' },
    );
    if (!picked) throw new Cancelled();
    chosen = picked.entries;
  }
  if (!args.confirm && !(await confirmEnd(sessions, chosen))) throw new Cancelled();
  for (const entry of chosen) end(sessions, entry);
}

/** "End the root session of S3 unlock on account 3200-0000-0001 (arn:aws:s3:::bucket)?" — modal. */
async function confirmEnd(sessions: RootSessionRegistry, entries: SessionSummary[]): Promise<boolean> {
  const lines = entries.map((e) => {
    if (e.kind === 'group') return `${e.group.label} (${plural(e.sessions.length, 'session')})`;
    const resources = sessions.claimsOf(e.session.taskId);
    const what = resources.length ? ` (${resources.join(', ')})` : '';
    return `${ROOT_TASKS[e.session.task].label} on account ${formatAccountId(e.session.accountId)}${what}`;
  });
  const title = entries.length === 1 ? `End the root session of ${lines[0]}?` : `End ${entries.length} root sessions?`;
  const detail = `${entries.length === 1 ? '' : `${lines.join('\n')}\n\n`}The task stops now and writes nothing more; its credentials are dropped.`;
  const button = entries.length === 1 ? 'End Session' : 'End Sessions';
  return (await vscode.window.showWarningMessage(title, { modal: true, detail }, button)) === button;
}

function end(sessions: RootSessionRegistry, entry: SessionSummary): void {
  if (entry.kind === 'group') sessions.endGroup(entry.group.id, 'endedByUser');
  else sessions.end(entry.session.taskId, 'endedByUser');
}
