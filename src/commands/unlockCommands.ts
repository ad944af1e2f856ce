import type * as vscode from 'vscode';
import { PolicyDocuments } from '../views/policyDocuments';
import { registerCommand } from './command';
import { PolicyDecisions } from './rootTask/decision';
import type { RootTaskDeps } from './rootTask/runner';
import { runUnlock } from './rootTask/unlockFlow';
import { bucketPolicyKind } from './unlockBucketPolicy';
import { queuePolicyKind } from './unlockQueuePolicy';

/**
 * The two unlock commands and the diff editor's Apply / Delete policy instead / Cancel actions.
 * The commands return an UnlockResult (for automation and tests); failures are shown by the wrapper.
 */
export function registerUnlockCommands(deps: RootTaskDeps): vscode.Disposable[] {
  const documents = new PolicyDocuments();
  const decisions = new PolicyDecisions();
  const flow = { ...deps, documents, decisions };
  const bucket = bucketPolicyKind(deps.aws);
  const queue = queuePolicyKind(deps.aws);
  return [
    documents,
    registerCommand(deps.log, 'rootTasks.unlockBucketPolicy', (arg) => runUnlock(flow, bucket, arg)),
    registerCommand(deps.log, 'rootTasks.unlockQueuePolicy', (arg) => runUnlock(flow, queue, arg)),
    registerCommand(deps.log, 'rootTasks.applyPolicyEdit', (arg) => decisions.decide('apply', arg)),
    registerCommand(deps.log, 'rootTasks.deletePolicyInstead', (arg) => decisions.decide('delete', arg)),
    registerCommand(deps.log, 'rootTasks.cancelPolicyEdit', (arg) => decisions.decide('cancel', arg)),
  ];
}
