// How the extension reads its settings, without the editor: the values of each level come in
// through `inspect`, so a unit test can hand it a workspace that tries to redirect requests or
// loosen a guardrail and check the extension's own reading, not only what VS Code filters out.
// (No vscode import: src/services/settings.ts passes VS Code's inspect in.)
import type { AwsSettings } from '../aws/context';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../core/guardrails';
import { DEFAULT_SESSION_SETTINGS, minRemaining, sessionDuration, type SessionSettings } from '../core/sessionPolicy';

/** One setting's values per level, as `WorkspaceConfiguration.inspect` gives them. */
export interface SettingLevels {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Key under `rootTasks.` → its levels. */
export type InspectSetting = (key: string) => SettingLevels | undefined;

/**
 * A setting that decides where requests or credentials go, or that could weaken a guardrail:
 * the user's (or remote machine's) value, else the default — never a workspace or folder value,
 * whatever the editor does with them and whether or not the workspace is trusted.
 */
export function userValue<T>(inspect: InspectSetting, key: string): T | undefined {
  const info = inspect(key);
  return (info?.globalValue ?? info?.defaultValue) as T | undefined;
}

/** A setting a workspace may set (pacing, scan mode): the most specific level wins. */
export function anyLevelValue<T>(inspect: InspectSetting, key: string, fallback: T): T {
  const info = inspect(key);
  return (info?.workspaceFolderValue ?? info?.workspaceValue ?? info?.globalValue ?? info?.defaultValue ?? fallback) as T;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const num = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** Calls in flight by default: at ~3.5 ms of client CPU per call, 12 keep one core well short of full at 50 ms per call. */
export const DEFAULT_IN_FLIGHT = 12;

export function awsSettingsFrom(inspect: InspectSetting): AwsSettings {
  const endpoint = text(userValue(inspect, 'endpointUrl'));
  const profile = text(userValue(inspect, 'profile'));
  return {
    region: text(userValue(inspect, 'region')) || 'us-east-1',
    endpoint: endpoint || undefined,
    profile: profile || undefined,
    // Deprecated; still honoured as a global ceiling when someone set it (the default is now 0: none).
    requestsPerSecond: Math.max(0, num(anyLevelValue(inspect, 'requestsPerSecond', 0), 0)),
    concurrency: Math.max(1, Math.min(64, num(anyLevelValue(inspect, 'concurrency', DEFAULT_IN_FLIGHT), DEFAULT_IN_FLIGHT))),
    requestsPerSecondPerAccount: Math.max(0, num(anyLevelValue(inspect, 'requestsPerSecondPerAccount', 0), 0)),
  };
}

/**
 * Guardrails: the settings that would widen what may be done are read from user values only; the
 * two lists that only ever narrow (protectedResources, deniedAccounts) are merged from every
 * level: a repository may add protections but can never remove the user's.
 */
export function guardrailSettingsFrom(inspect: InspectSetting): GuardrailSettings {
  const require = userValue<unknown>(inspect, 'guardrails.requireJustification');
  const pattern = userValue<unknown>(inspect, 'guardrails.ticketPattern');
  return {
    requireJustification: typeof require === 'boolean' ? require : DEFAULT_GUARDRAILS.requireJustification,
    ticketPattern: typeof pattern === 'string' ? pattern : DEFAULT_GUARDRAILS.ticketPattern,
    allowedAccounts: strings(userValue(inspect, 'guardrails.allowedAccounts')),
    protectedResources: mergedList(inspect, 'guardrails.protectedResources'),
    deniedAccounts: mergedList(inspect, 'guardrails.deniedAccounts'),
  };
}

export function sessionSettingsFrom(inspect: InspectSetting): SessionSettings {
  return {
    durationSeconds: sessionDuration(num(userValue(inspect, 'session.durationSeconds'), DEFAULT_SESSION_SETTINGS.durationSeconds)),
    minRemainingSeconds: minRemaining(num(userValue(inspect, 'session.minRemainingSeconds'), DEFAULT_SESSION_SETTINGS.minRemainingSeconds)),
  };
}

export interface AuditSettings {
  sinkUrl: string;
  caFile: string;
  strictAck: boolean;
  maxPending: number;
  maxFileBytes: number;
  /** What destinations receive: the native events or OCSF 1.1.0. */
  format: 'native' | 'ocsf';
  /** The webhook's shape: Standard Webhooks or the Splunk HTTP Event Collector preset. */
  sinkPreset: 'standardWebhooks' | 'splunkHec';
  /** CloudWatch Logs destination: the group and stream the security team names (empty group: off). */
  logGroup: string;
  logStream: string;
  /** S3 with Object Lock destination (empty bucket: off). */
  s3Bucket: string;
  s3Prefix: string;
  s3RetentionMode: 'COMPLIANCE' | 'GOVERNANCE';
  s3RetentionDays: number;
}

export function auditSettingsFrom(inspect: InspectSetting, defaults: { maxPending: number; maxFileBytes: number }): AuditSettings {
  return {
    sinkUrl: text(userValue(inspect, 'audit.sinkUrl')),
    caFile: text(userValue(inspect, 'audit.caFile')),
    strictAck: userValue(inspect, 'audit.strictAck') === true,
    maxPending: Math.max(0, Math.floor(num(userValue(inspect, 'audit.maxPending'), defaults.maxPending))),
    maxFileBytes: Math.max(65536, Math.floor(num(userValue(inspect, 'audit.maxFileBytes'), defaults.maxFileBytes))),
    format: userValue(inspect, 'audit.format') === 'ocsf' ? 'ocsf' : 'native',
    sinkPreset: userValue(inspect, 'audit.sinkPreset') === 'splunkHec' ? 'splunkHec' : 'standardWebhooks',
    logGroup: text(userValue(inspect, 'audit.cloudWatchLogs.logGroup')),
    logStream: text(userValue(inspect, 'audit.cloudWatchLogs.logStream')) || 'aws-root-tasks',
    s3Bucket: text(userValue(inspect, 'audit.s3.bucket')),
    s3Prefix: typeof userValue(inspect, 'audit.s3.prefix') === 'string' ? text(userValue(inspect, 'audit.s3.prefix')) : 'aws-root-tasks/audit/',
    s3RetentionMode: userValue(inspect, 'audit.s3.retentionMode') === 'GOVERNANCE' ? 'GOVERNANCE' : 'COMPLIANCE',
    s3RetentionDays: Math.max(1, Math.min(36500, Math.floor(num(userValue(inspect, 'audit.s3.retentionDays'), 365)))),
  };
}

/** CloudTrail correlation after each root session: on unless the user turns it off. */
export interface CorrelationSettingsRead {
  enabled: boolean;
  /** Seconds between LookupEvents calls while CloudTrail has not delivered the event. */
  intervalSeconds: number;
  /** Lookups before giving up (the first one right after the session). */
  attempts: number;
}

export function correlationSettingsFrom(inspect: InspectSetting): CorrelationSettingsRead {
  return {
    enabled: userValue(inspect, 'audit.cloudTrailCorrelation') !== false,
    intervalSeconds: Math.max(1, Math.min(3600, num(userValue(inspect, 'audit.cloudTrailLookupIntervalSeconds'), 60))),
    attempts: Math.max(1, Math.min(100, Math.floor(num(userValue(inspect, 'audit.cloudTrailLookupAttempts'), 20)))),
  };
}

function mergedList(inspect: InspectSetting, key: string): string[] {
  const info = inspect(key);
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
export function approvalSettingsFrom(inspect: InspectSetting): ApprovalSettingsRead {
  const required = userValue<number>(inspect, 'approvals.required') ?? 0;
  const minutes = userValue<number>(inspect, 'approvals.requestMaxAgeMinutes') ?? 1440;
  return {
    required: [0, 1, 2].includes(required) ? required : 2,
    allowedSignersFile: (userValue<string>(inspect, 'approvals.allowedSignersFile') ?? '').trim(),
    maxAgeSeconds: Math.max(5, Math.min(10080, Number.isFinite(minutes) ? minutes : 1440)) * 60,
    signingKey: (userValue<string>(inspect, 'approvals.signingKey') ?? '').trim(),
  };
}
