import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import type { OrgFeature } from '../../aws/orgFeatures';
import type { EnableOutcome, EnablePerson } from '../../flows/orgSetup/features';
import type { ManagementEnv } from '../../flows/ports';
import type { FlowsModule } from '../../services/lazyBundles';
import { editorPerson } from '../person';

export interface EnableArgs {
  /** Default: both features. */
  features?: OrgFeature[];
  justification?: string;
  ticket?: string;
  /** Skip the confirmation (tests, automation). */
  confirm?: boolean;
  /** With `confirm`, also enable trusted access for IAM when it is off (the dialog asks otherwise). */
  enableTrustedAccess?: boolean;
}

/** rootTasks.enableRootAccessFeatures: the enable flow with a modal confirmation listing each change. */
export async function enableFeaturesCommand(flows: FlowsModule, env: ManagementEnv, onChanged: () => void, arg?: unknown): Promise<EnableOutcome> {
  const args = (arg ?? {}) as EnableArgs;
  const person: EnablePerson = { ...editorPerson(args), ...(args.confirm === true ? {} : { confirmEnable }) };
  const outcome = await flows.enableRootAccessFeatures(env, person, randomUUID(), { features: args.features, enableTrustedAccess: args.enableTrustedAccess });
  if (outcome.changed.length) onChanged();
  void vscode.window.showInformationMessage(outcome.message);
  return outcome;
}

async function confirmEnable(organizationId: string, lines: string[]): Promise<boolean> {
  return (await vscode.window.showWarningMessage(`Enable centralized root access for organization ${organizationId}?`, { modal: true, detail: lines.join('\n') }, 'Enable')) === 'Enable';
}
