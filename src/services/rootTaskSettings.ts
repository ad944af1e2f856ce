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

export interface ApprovalSettingsRead {
  required: number;
  /** Empty when not set. */
  allowedSignersFile: string;
  maxAgeSeconds: number;
  /** The key Approve signs with (private, or public with the private half in ssh-agent); empty: ask. */
  signingKey: string;
}

/** Two people for root: machine-scoped, user/machine values only (a workspace cannot lower them). */
export function readApprovalSettings(): ApprovalSettingsRead {
  const required = userOnly<number>('approvals.required') ?? 0;
  const minutes = userOnly<number>('approvals.requestMaxAgeMinutes') ?? 1440;
  return {
    required: [0, 1, 2].includes(required) ? required : 2,
    allowedSignersFile: (userOnly<string>('approvals.allowedSignersFile') ?? '').trim(),
    maxAgeSeconds: Math.max(5, Math.min(10080, Number.isFinite(minutes) ? minutes : 1440)) * 60,
    signingKey: (userOnly<string>('approvals.signingKey') ?? '').trim(),
  };
}
