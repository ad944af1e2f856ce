import type * as vscode from 'vscode';
import type { TaskGuard } from '../../core/orgPolicies/types';
import { ROOT_TASKS } from '../../core/tasks';
import { fence } from './tooltips';

/** "blocked: all root tasks" / "blocked: S3 unlock" / "may be blocked: …"; empty when nothing is. */
export function guardDescription(guards: readonly TaskGuard[]): string {
  const blocked = guards.filter((g) => g.verdict === 'blocked');
  const list = (gs: readonly TaskGuard[]) => (gs.length === Object.keys(ROOT_TASKS).length ? 'all root tasks' : gs.map((g) => ROOT_TASKS[g.task].label).join(', '));
  if (blocked.length) return `blocked by org policy: ${list(blocked)}`;
  return guards.length ? `may be blocked: ${list(guards)}` : '';
}

/**
 * Per task: the policy, where it is attached, the statement and the fix — policy text is
 * attacker-influenced, so it goes in as text and code blocks, never as markdown.
 */
export function guardTooltip(md: vscode.MarkdownString, guards: readonly TaskGuard[]): void {
  if (!guards.length) return;
  md.appendMarkdown('\n\n---\n\n**Organization policies for root sessions**\n\n');
  const seen = new Set<string>();
  for (const g of guards) {
    md.appendText(`${ROOT_TASKS[g.task].label}: ${g.verdict === 'blocked' ? 'blocked' : 'may be blocked'}\n`);
    for (const f of g.findings.filter((x) => x.certain === (g.verdict === 'blocked')).slice(0, 2)) {
      const key = `${f.policy?.id}|${f.attachedTo.id}|${f.statement}`;
      if (seen.has(key)) continue;
      seen.add(key);
      md.appendText(`${f.why}\nFix: ${f.fix}\n`);
      if (f.statementText) md.appendMarkdown(`${fence(f.statementText)}\n\n`);
    }
  }
}
