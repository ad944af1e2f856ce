import * as vscode from 'vscode';
import type { AwsSettings } from '../aws/context';

const SECTION = 'rootTasks';

/**
 * A setting that decides where requests or credentials go is read from user/machine settings
 * only. VS Code already ignores workspace values of machine/application-scoped settings, and
 * restrictedConfigurations covers untrusted workspaces; reading only globalValue makes sure a
 * cloned repository's .vscode/settings.json can never redirect credentials, whatever the host does.
 */
export function userOnly<T>(key: string): T | undefined {
  const info = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return info?.globalValue ?? info?.defaultValue;
}

export function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
}

export function readAwsSettings(): AwsSettings {
  const endpoint = (userOnly<string>('endpointUrl') ?? '').trim();
  const profile = (userOnly<string>('profile') ?? '').trim();
  return {
    region: (userOnly<string>('region') ?? 'us-east-1').trim() || 'us-east-1',
    endpoint: endpoint || undefined,
    profile: profile || undefined,
    requestsPerSecond: Math.max(0, setting<number>('requestsPerSecond', 10)),
    concurrency: Math.max(1, Math.min(64, setting<number>('concurrency', 8))),
  };
}

/** True when a configuration change touches settings that rebuild the AWS clients. */
export function affectsAws(e: vscode.ConfigurationChangeEvent): boolean {
  return ['endpointUrl', 'profile', 'region', 'requestsPerSecond', 'concurrency'].some((k) =>
    e.affectsConfiguration(`${SECTION}.${k}`),
  );
}
