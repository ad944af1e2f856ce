import * as vscode from 'vscode';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../core/guardrails';
import { DEFAULT_SESSION_SETTINGS, minRemaining, sessionDuration, type SessionSettings } from '../core/sessionPolicy';
import { userOnly } from './settings';

/**
 * Guardrail and session settings. Settings that would widen what may be done if a workspace
 * changed them (requireJustification, ticketPattern, allowedAccounts, session duration and minimum
 * lifetime) are machine-scoped, restricted in untrusted workspaces, and read from user/machine
 * values only. The two lists that only ever narrow (protectedResources, deniedAccounts) are
 * merged from every level: a repository may add protections but can never remove the user's.
 */
export function readGuardrailSettings(): GuardrailSettings {
  return {
    requireJustification: userOnly<boolean>('guardrails.requireJustification') ?? DEFAULT_GUARDRAILS.requireJustification,
    ticketPattern: userOnly<string>('guardrails.ticketPattern') ?? DEFAULT_GUARDRAILS.ticketPattern,
    allowedAccounts: strings(userOnly<unknown>('guardrails.allowedAccounts')),
    protectedResources: mergedList('guardrails.protectedResources'),
    deniedAccounts: mergedList('guardrails.deniedAccounts'),
  };
}

export function readSessionSettings(): SessionSettings {
  return {
    durationSeconds: sessionDuration(userOnly<number>('session.durationSeconds') ?? DEFAULT_SESSION_SETTINGS.durationSeconds),
    minRemainingSeconds: minRemaining(userOnly<number>('session.minRemainingSeconds') ?? DEFAULT_SESSION_SETTINGS.minRemainingSeconds),
  };
}

function mergedList(key: string): string[] {
  const info = vscode.workspace.getConfiguration('rootTasks').inspect<unknown>(key);
  const all = [info?.defaultValue, info?.globalValue, info?.workspaceValue, info?.workspaceFolderValue].flatMap(strings);
  return [...new Set(all)];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean) : [];
}
