import { plural } from '../core/humanTime';

/**
 * What the open review says Apply will do *now*, from the proposal as the person left it: the
 * line at the top of the proposed policy changes as they edit. Pure (no vscode), unit-tested.
 */
export interface DecisionState {
  /** The proposal's text now. */
  text: string;
  /** The proposal as first shown, to tell an edit. */
  original: string;
  /** The analysis in a sentence ("1 locking statement removed, everything else kept."). */
  summary: string;
  /** A decision was taken and the task is working on it: nothing to click. */
  working?: 'apply' | 'delete' | 'request' | 'cancel';
  /** Approvals are required: the proposal can only be saved as a request. */
  requestOnly?: boolean;
  /** The last refused proposal and why: shown while the text is still that proposal. */
  refused?: { text: string; message: string };
}

export function applyNow(text: string, original: string): string {
  if (!text.trim()) return 'Apply will delete the policy (the proposal is empty)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'Apply will be refused: the proposal is not valid JSON';
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  const n = Array.isArray(statements) ? statements.length : statements && typeof statements === 'object' ? 1 : 0;
  const edited = text.trim() !== original.trim() ? 'edited ' : '';
  return `Apply will write this ${edited}policy (${plural(n, 'statement')})`;
}

/** The one line shown after the proposal's first line. */
export function decisionLine(s: DecisionState): string {
  if (s.working === 'cancel') return 'Cancelling…';
  if (s.working) return s.working === 'delete' ? 'Deleting the policy…' : s.working === 'request' ? 'Saving the request…' : 'Applying…';
  if (s.requestOnly) return `Approvals are required: Save as Request saves this proposal for a second person; nothing is written now. ${s.summary}`;
  if (s.refused && s.refused.text === s.text) return `Refused: ${s.refused.message} Edit it, delete the policy instead, or cancel.`;
  // What Apply does comes first: the side-by-side editor is narrow and the line may be cut.
  return `${applyNow(s.text, s.original)}. ${s.summary}`;
}
