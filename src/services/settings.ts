import * as vscode from 'vscode';
import type { AwsSettings } from '../aws/context';
import { awsSettingsFrom, userValue, type InspectSetting } from './settingValues';

const SECTION = 'rootTasks';

/** VS Code's view of one setting's levels, for the readers in settingValues.ts. */
export const inspectSetting: InspectSetting = (key) => vscode.workspace.getConfiguration(SECTION).inspect(key);

/**
 * A setting that decides where requests or credentials go is read from user/machine settings
 * only (settingValues.ts): a cloned repository's .vscode/settings.json can never redirect
 * credentials, whatever the host does with machine-scoped workspace values.
 */
export function userOnly<T>(key: string): T | undefined {
  return userValue<T>(inspectSetting, key);
}

export function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
}

export function readAwsSettings(): AwsSettings {
  return awsSettingsFrom(inspectSetting);
}

/** True when a configuration change touches settings that rebuild the AWS clients. */
export function affectsAws(e: vscode.ConfigurationChangeEvent): boolean {
  return ['endpointUrl', 'profile', 'region', 'requestsPerSecond', 'concurrency', 'requestsPerSecondPerAccount'].some((k) =>
    e.affectsConfiguration(`${SECTION}.${k}`),
  );
}
