import * as vscode from 'vscode';
import { Cancelled } from '../../core/errors';
import type { AwsAccess } from '../../services/awsAccess';
import type { Log } from '../../services/log';
import { userOnly } from '../../services/settings';
import { registerCommand } from '../command';

/**
 * Switch AWS Profile: a quick pick of the profiles in the user's AWS config (the SDK's own
 * loader) and the default chain. The choice is the machine setting rootTasks.profile; changing it
 * rebuilds the clients, and the identity switch drops the per-identity state (organization index,
 * guardrail caches, scan findings) and refreshes the tree. `{ profile }` picks without asking
 * ('' = the default chain).
 */
export function register(log: Log, aws: AwsAccess): vscode.Disposable[] {
  return [
    registerCommand(log, 'rootTasks.switchProfile', async (args) => {
      const given = (args as { profile?: unknown } | undefined)?.profile;
      const profile = typeof given === 'string' ? given : await pickProfile(aws);
      await vscode.workspace.getConfiguration('rootTasks').update('profile', profile || undefined, vscode.ConfigurationTarget.Global);
      log.info('aws', `profile switched to ${profile || 'the default chain'}`);
      return { profile };
    }),
  ];
}

async function pickProfile(aws: AwsAccess): Promise<string> {
  const current = userOnly<string>('profile') ?? '';
  const profiles = await aws.profiles();
  const items = [
    { label: 'Default credential chain', description: current ? '' : 'in use', detail: 'Environment variables, AWS_PROFILE, SSO, the default profile, instance roles', profile: '' },
    ...profiles.map((p) => ({ label: p.name, description: [p.kind, p.name === current ? 'in use' : ''].filter(Boolean).join(' · '), detail: p.detail || undefined, profile: p.name })),
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Switch AWS Profile',
    placeHolder: profiles.length ? 'The credentials Root Tasks uses for the management account' : 'No profile in the AWS config files: only the default chain',
  });
  if (!chosen) throw new Cancelled();
  return chosen.profile;
}
