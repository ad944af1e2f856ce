import * as vscode from 'vscode';
import { targetOf } from '../../core/targets';
import * as approvals from '../approvals/register';
import { saveRequestFile } from '../approvals/requestFiles';
import { rootFlowEnv, type RootTaskServices } from '../../services/rootTaskEnv';
import { PolicyDocuments } from '../../views/policyDocuments';
import { chooseAccounts } from '../accountScope';
import { chooseApprovalPath } from '../approvalPath';
import { registerCommand } from '../command';
import { PolicyDecisions } from './decisions';
import { editorUnlockPerson, type UnlockArgs } from './review';

/**
 * The two unlock commands and the diff editor's Apply / Delete policy instead / Cancel actions.
 * The commands return an UnlockResult (for automation and tests); failures are shown by the wrapper.
 * Arguments for automation: { accountId, bucket, region? } or { accountId, queueUrl }, with
 * { decision, proposedText?, justification, ticket }. A proposedText is shown in the diff and
 * only the person applies it there (review.ts); queue URLs and regions are checked first.
 */
export function register(services: RootTaskServices): vscode.Disposable[] {
  const documents = new PolicyDocuments();
  const decisions = new PolicyDecisions();
  const unlock = async (which: 'bucket' | 'queue', arg: unknown) => {
    const flows = services.flows();
    const kind = which === 'bucket' ? flows.BUCKET_POLICY : flows.QUEUE_POLICY;
    const args: UnlockArgs = arg && typeof arg === 'object' ? (arg as UnlockArgs) : {};
    const scope = await chooseAccounts(services.getIndex, arg, { title: `Unlock ${kind.noun} policy: choose the member account`, pick: 'one' });
    const accountId = scope.accounts[0].id;
    const ops = services.aws.ops();
    const target = flows.targetFromArgs(kind, targetOf(arg), arg, accountId, { region: ops.region, endpoint: ops.endpoint });
    const person = editorUnlockPerson(documents, decisions, args);
    const breakGlass = await askBreakGlass(args);
    const result = await flows.unlockPolicy(rootFlowEnv(services), person, kind, { accountId, target, region: ops.region, breakGlass });
    return result.request ? { ...result, requestFile: await saveRequestFile(result.request, result.resource.split(/[:/]/).at(-1) || 'request', args.requestFile) } : result;
  };
  return [
    documents,
    decisions,
    registerCommand(services.log, 'rootTasks.unlockBucketPolicy', (arg) => unlock('bucket', arg)),
    registerCommand(services.log, 'rootTasks.unlockQueuePolicy', (arg) => unlock('queue', arg)),
    registerCommand(services.log, 'rootTasks.applyPolicyEdit', (arg) => decisions.decide('apply', arg)),
    registerCommand(services.log, 'rootTasks.deletePolicyInstead', (arg) => decisions.decide('delete', arg)),
    registerCommand(services.log, 'rootTasks.cancelPolicyEdit', (arg) => decisions.decide('cancel', arg)),
    registerCommand(services.log, 'rootTasks.saveAsRequest', (arg) => decisions.decide('request', arg)),
    ...approvals.register(services, documents),
  ];
}

/** With approvals required: prepare a request (the default), or break glass with a stated reason. */
async function askBreakGlass(args: UnlockArgs): Promise<string | undefined> {
  const path = await chooseApprovalPath(args, { requestLabel: 'Prepare a request for approval', automated: args.decision !== undefined });
  return path?.kind === 'breakGlass' ? path.reason : undefined;
}
