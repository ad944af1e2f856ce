import type { GuardrailSettings } from '../core/guardrails';
import type { SessionSettings } from '../core/sessionPolicy';
import { inspectSetting } from './settings';
import { approvalSettingsFrom, correlationSettingsFrom, guardrailSettingsFrom, sessionSettingsFrom, type ApprovalSettingsRead, type CorrelationSettingsRead } from './settingValues';

/**
 * Guardrail and session settings (read in settingValues.ts): the ones that would widen what may
 * be done if a workspace changed them are machine-scoped, restricted in untrusted workspaces, and
 * read from user/machine values only; the two lists that only narrow are merged from every level.
 */
export function readGuardrailSettings(): GuardrailSettings {
  return guardrailSettingsFrom(inspectSetting);
}

export function readSessionSettings(): SessionSettings {
  return sessionSettingsFrom(inspectSetting);
}

export type { ApprovalSettingsRead } from './settingValues';

/** Two people for root: machine-scoped, user/machine values only (a workspace cannot lower them). */
export function readApprovalSettings(): ApprovalSettingsRead {
  return approvalSettingsFrom(inspectSetting);
}

/** CloudTrail correlation of root sessions (machine-scoped: it makes AWS calls with the management credentials). */
export function readCorrelationSettings(): CorrelationSettingsRead {
  return correlationSettingsFrom(inspectSetting);
}
