import * as vscode from 'vscode';
import { Cancelled } from '../core/errors';
import { readApprovalSettings } from '../services/rootTaskSettings';

export interface ApprovalPathArgs {
  /** Automation and tests: act alone with this reason (break-glass) instead of being asked. */
  breakGlass?: string;
}

/**
 * With approvals required (rootTasks.approvals.required > 0), how a write task goes ahead:
 * `request` (prepare a request for a second person; nothing is written now) or break-glass — the
 * requester alone with a stated reason, which the audit sink must acknowledge. Undefined when
 * approvals are not required. `automated`: the command's arguments decide (no questions).
 */
export async function chooseApprovalPath(
  args: ApprovalPathArgs, options: { requestLabel?: string; automated: boolean },
): Promise<{ kind: 'request' } | { kind: 'breakGlass'; reason: string } | undefined> {
  if (readApprovalSettings().required === 0) return undefined;
  if (args.breakGlass !== undefined) return { kind: 'breakGlass', reason: args.breakGlass };
  if (options.automated) return options.requestLabel ? { kind: 'request' } : undefined;
  const items = [
    ...(options.requestLabel ? [{ label: options.requestLabel, description: 'a second person approves it; nothing is written now', path: 'request' as const }] : []),
    { label: 'Break glass: act alone', description: 'needs a reason; the audit sink must acknowledge it', path: 'breakGlass' as const },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: 'Root tasks need approval', ignoreFocusOut: true });
  if (!choice) throw new Cancelled();
  if (choice.path === 'request') return { kind: 'request' };
  const reason = await vscode.window.showInputBox({
    title: 'Break glass: why can this not wait for an approval?', ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length >= 10 ? undefined : 'At least 10 characters.'),
  });
  if (reason === undefined) throw new Cancelled();
  return { kind: 'breakGlass', reason };
}
