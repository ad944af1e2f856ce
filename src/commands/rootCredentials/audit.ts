import * as vscode from 'vscode';
import type { AuditOutcome, CredentialEnv } from '../../flows/credentials/audit';
import type { FlowsModule } from '../../services/lazyBundles';
import { journalToResume } from '../../services/bulkProgress';
import { chooseAccounts } from '../accountScope';
import { editorPerson, withProgress } from '../person';

export interface AuditArgs {
  justification?: string;
  ticket?: string;
  /** Open the report when done (default true). */
  show?: boolean;
}

/** rootTasks.auditRootCredentials: accounts → justification → the audit flow → report. */
export async function auditCommand(
  flows: FlowsModule, env: CredentialEnv, showReport: (reveal: boolean) => void, arg?: unknown, storageDir?: string,
): Promise<AuditOutcome> {
  const args = (arg ?? {}) as AuditArgs;
  const resume = storageDir ? await journalToResume(storageDir, arg) : undefined;
  const scope = await chooseAccounts(env.getIndex, resume ? { accountIds: resume.pending() } : arg, { title: 'Audit root user credentials', pick: 'many' });
  const label = resume?.record.label ?? scope.label;
  const outcome = await withProgress(`Auditing root credentials${resume ? ' (resumed)' : ''}`, (progress) =>
    flows.auditRootCredentials(env, editorPerson(args), progress, { ...scope, label, resume }));
  if (args.show !== false) showReport(true);
  const { summary } = outcome;
  void vscode.window.showInformationMessage(
    `Root credential audit: ${summary.clean} clean, ${summary.withAnyCredential} with root credentials, ${summary.errors} failed` +
      (outcome.notAudited.length ? `, ${outcome.notAudited.length} not audited (cancelled)` : '') +
      (outcome.inactive.length ? `; ${outcome.inactive.length} inactive accounts skipped` : '') + '.',
  );
  return outcome;
}
