import * as vscode from 'vscode';
import { Cancelled, UserError } from '../../core/errors';
import { formatAccountId } from '../../core/tasks';
import type { PolicyKind, PolicyTarget } from '../../flows/policyKinds';
import type { Review, ReviewInput, UnlockDecision, UnlockPerson } from '../../flows/unlock';
import type { PolicyDocuments } from '../../views/policyDocuments';
import { editorPerson } from '../person';
import type { PolicyDecisions } from './decisions';

/** Arguments for automation and tests; the interactive path asks for whatever is missing. */
export interface UnlockArgs {
  accountId?: string;
  justification?: string;
  ticket?: string;
  decision?: UnlockDecision;
  /**
   * Replaces the analyzer's proposal in the diff (as if the person had edited it). A proposal
   * given this way is never applied by the arguments alone: the person applies it in the diff.
   */
  proposedText?: string;
  /** With approvals required: act alone with this reason instead of preparing a request. */
  breakGlass?: string;
  /** Where a request ('request' decision) is saved, instead of asking. */
  requestFile?: string;
}

/**
 * The unlock flow's person in the editor: the resource quick pick, the diff (current read-only
 * vs proposed editable) with its decision, short notifications. With `decision` in the command's
 * arguments (automation, tests) the diff still opens, the decision is taken from the arguments,
 * and a refused proposal ends the task instead of waiting for an edit — except for applying a
 * `proposedText`: a policy written from an argument is one the person has seen and applied in
 * the diff, so that decision always comes from the diff's actions.
 */
export function editorUnlockPerson(documents: PolicyDocuments, decisions: PolicyDecisions, args: UnlockArgs): UnlockPerson {
  return {
    ...editorPerson(args),
    async pickTarget(targets: Array<{ target: PolicyTarget; verdict?: string }>, kind: PolicyKind) {
      const accountId = targets[0].target.accountId;
      const items = targets.map(({ target, verdict }) => ({ label: target.name, description: [target.region, verdict].filter(Boolean).join(' · '), target }));
      const picked = await vscode.window.showQuickPick(items, {
        title: `Unlock ${kind.noun} policy in ${formatAccountId(accountId)}`, placeHolder: `Choose the ${kind.noun}`, matchOnDescription: true, ignoreFocusOut: true,
      });
      if (!picked) throw new Cancelled();
      return picked.target;
    },
    async review(input: ReviewInput): Promise<Review> {
      const account = formatAccountId(input.target.accountId);
      const proposed = args.proposedText ?? input.proposed;
      const preview = await documents.show(input.taskId, account, input.target.name, input.current, proposed, `${input.target.name}: current policy ↔ proposed (${account})`);
      const slot = decisions.expect(preview, input.proposed, input.summary);
      const automated = args.decision !== undefined && !(args.decision === 'apply' && args.proposedText !== undefined) ? args.decision : undefined;
      return {
        decide: (_summary, signal, options) => automated ? Promise.resolve(automated) : decisions.wait(preview, signal, options),
        proposedText: () => preview.proposedText(),
        refused(message) {
          if (automated) throw new UserError(message);
          // Said on the review itself (its line), not in a toast that hides while they edit.
          decisions.refused(preview, message);
        },
        async dispose() {
          slot.dispose();
          await preview.dispose();
        },
      };
    },
  };
}
