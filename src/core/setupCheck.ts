/**
 * The "check setup" doctor, as pure evaluation: prerequisite facts (gathered by the command with
 * the management credentials) → one item per prerequisite with a status and what to do about it.
 * Facts that could not be gathered because an earlier one failed are "skip", never guessed.
 */

import { humanTime } from './humanTime';
import { formatAccountId } from './tasks';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckItem {
  id: 'credentials' | 'caller' | 'allFeatures' | 'trustedAccess' | 'rootCredentialsManagement' | 'rootSessions' | 'regionalEndpoint' | 'auditSink'
    | 'orgGuardrails' | 'auditDestination' | 'clock';
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to do when not ok. */
  action?: string;
  /** Where to do it: the setting to open or the command to run (a link next to "What to do"). */
  fix?: SetupFix;
}

/** A link from the doctor to the place of the fix; `action` is its id for the page's button. */
export interface SetupFix {
  label: string;
  action: string;
}

/**
 * The fixes the doctor links to, by item: settings open the Settings editor at the key, commands
 * run. The ids are the allow-list of the page's buttons (nothing else a page posts is run).
 */
export const SETUP_FIXES: Readonly<Partial<Record<CheckItem['id'], SetupFix>>> = {
  credentials: { label: 'Open the rootTasks.profile setting', action: 'fix:setting:rootTasks.profile' },
  trustedAccess: { label: 'Enable Centralized Root Access Features', action: 'fix:command:rootTasks.enableRootAccessFeatures' },
  rootCredentialsManagement: { label: 'Enable Centralized Root Access Features', action: 'fix:command:rootTasks.enableRootAccessFeatures' },
  rootSessions: { label: 'Enable Centralized Root Access Features', action: 'fix:command:rootTasks.enableRootAccessFeatures' },
  regionalEndpoint: { label: 'Open the rootTasks.region setting', action: 'fix:setting:rootTasks.region' },
  auditSink: { label: 'Open the rootTasks.audit.sinkUrl setting', action: 'fix:setting:rootTasks.audit.sinkUrl' },
};

/** A fact that was read, or the error (name and message only) that stopped reading it. */
export type Fact<T> = { ok: true; value: T } | { ok: false; code: string; error: string };

export interface SetupFacts {
  region: string;
  endpoint?: string;
  caller: Fact<{ arn: string; account: string }>;
  organization?: Fact<{ managementAccountId: string; featureSet: string }>;
  features?: Fact<{ rootCredentialsManagement: boolean; rootSessions: boolean }>;
  /** `reason` says why the status is 'unknown' (not implemented by the endpoint, not allowed). */
  trustedAccess?: Fact<{ status: 'enabled' | 'disabled' | 'unknown'; reason?: string }>;
  /**
   * The delivery status the audit trail publishes (core/audit SinkStatus fits) and whether intents
   * wait for its ack; undefined when a sink is configured but its status is not available here.
   */
  auditSink?: { configured: false } | (SinkFacts & { required: boolean });
  /** The organization's SCPs/RCPs judged for every member account and task (src/core/orgPolicies). */
  orgGuardrails?: Fact<OrgGuardrailFacts>;
}

export interface OrgGuardrailFacts {
  /** Policy types enabled on the root ("SCP", "RCP"). */
  enabled: string[];
  accounts: number;
  /** Accounts × tasks certainly blocked, and those that may be. */
  blocked: number;
  mayBeBlocked: number;
  /** One line per affected task: how many accounts, by which policy. */
  lines: string[];
}

export interface SinkFacts {
  configured: true;
  /** The sink's origin (never path or query). */
  sink: string;
  state: string;
  pending: number;
  failures: number;
  lastError?: string;
  lastDeliveredAt?: Date;
}

const ENABLE_FEATURES = 'Run "Root Tasks: Enable Centralized Root Access Features" with management-account credentials.';

/** Advice for the error codes IAM's organization-feature calls return (matched without "Exception"). */
const FEATURE_ERROR_ADVICE: Record<string, string> = {
  ServiceAccessNotEnabled:
    'Trusted access for IAM is not enabled in AWS Organizations. Enable it (Organizations console → Services → IAM, or `aws organizations enable-aws-service-access --service-principal iam.amazonaws.com`).',
  AccountNotManagementOrDelegatedAdministrator:
    'These credentials are neither the management account nor the IAM delegated administrator. Use management-account credentials, or register a delegated administrator for IAM.',
  CallerIsNotManagementAccount: 'Only the management account can change the organization features; a delegated administrator can only read them.',
  OrganizationNotFound: 'These credentials do not belong to an AWS Organization.',
  AWSOrganizationsNotInUse: 'These credentials do not belong to an AWS Organization.',
  OrganizationNotInAllFeaturesMode: 'The organization uses consolidated billing only. Enable all features in AWS Organizations first.',
};

const bare = (code: string) => code.replace(/Exception$/, '');
const codeIs = (code: string, name: string) => bare(code) === name;

export function adviceForError(code: string): string | undefined {
  return Object.hasOwn(FEATURE_ERROR_ADVICE, bare(code)) ? FEATURE_ERROR_ADVICE[bare(code)] : undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function evaluateSetup(f: SetupFacts): CheckItem[] {
  return withFixes([
    credentials(f),
    caller(f),
    allFeatures(f),
    trustedAccess(f),
    feature(f, 'rootCredentialsManagement', 'RootCredentialsManagement', 'Root credentials management (IAM feature)'),
    feature(f, 'rootSessions', 'RootSessions', 'Privileged root actions in member accounts (IAM feature RootSessions)'),
    regionalEndpoint(f),
    auditSink(f),
    ...(f.orgGuardrails ? [orgGuardrails(f.orgGuardrails)] : []),
  ]);
}

/** Items that are not ok and have a place to fix them get their link. */
function withFixes(items: CheckItem[]): CheckItem[] {
  return items.map((i) => (i.status !== 'ok' && i.status !== 'skip' && SETUP_FIXES[i.id] ? { ...i, fix: SETUP_FIXES[i.id] } : i));
}

function skipped(id: CheckItem['id'], title: string, because: string): CheckItem {
  return { id, title, status: 'skip', detail: `Not checked: ${because}.` };
}

function failed(id: CheckItem['id'], title: string, fact: { code: string; error: string }, fallback: string): CheckItem {
  return { id, title, status: 'fail', detail: fact.error, action: adviceForError(fact.code) ?? fallback };
}

function credentials(f: SetupFacts): CheckItem {
  const title = 'AWS credentials';
  if (f.caller.ok) return { id: 'credentials', title, status: 'ok', detail: `Signed in as ${f.caller.value.arn}.` };
  return {
    id: 'credentials', title, status: 'fail', detail: f.caller.error,
    action: 'Provide management-account credentials through the standard AWS chain: set "rootTasks.profile" to a profile (run `aws sso login --profile <name>` for SSO), or set AWS_PROFILE / the AWS_* environment variables before starting VS Code.',
  };
}

function caller(f: SetupFacts): CheckItem {
  const title = 'Management account or IAM delegated administrator';
  if (!f.caller.ok) return skipped('caller', title, 'no credentials');
  if (!f.organization) return skipped('caller', title, 'the organization was not read');
  if (!f.organization.ok) return failed('caller', title, f.organization, 'Use credentials of an account in an AWS Organization.');
  const account = f.caller.value.account;
  if (account === f.organization.value.managementAccountId) {
    return { id: 'caller', title, status: 'ok', detail: `Account ${formatAccountId(account)} is the management account.` };
  }
  if (f.features?.ok) {
    return {
      id: 'caller', title, status: 'warn',
      detail: `Account ${formatAccountId(account)} is the IAM delegated administrator: it can take root sessions but cannot change the organization features.`,
      action: 'Enabling features needs the management account; everything else works from here.',
    };
  }
  if (f.features && !f.features.ok && codeIs(f.features.code, 'AccountNotManagementOrDelegatedAdministrator')) {
    return failed('caller', title, f.features, FEATURE_ERROR_ADVICE.AccountNotManagementOrDelegatedAdministrator);
  }
  return {
    id: 'caller', title, status: 'fail',
    detail: `Account ${formatAccountId(account)} is not the management account (${formatAccountId(f.organization.value.managementAccountId)}) and could not be confirmed as the IAM delegated administrator.`,
    action: 'Use management-account credentials, or register this account as the delegated administrator for IAM.',
  };
}

function allFeatures(f: SetupFacts): CheckItem {
  const title = 'Organization with all features';
  if (!f.organization) return skipped('allFeatures', title, 'no credentials');
  if (!f.organization.ok) return failed('allFeatures', title, f.organization, 'Use credentials of an account in an AWS Organization.');
  const set = f.organization.value.featureSet;
  if (set === 'ALL') return { id: 'allFeatures', title, status: 'ok', detail: 'Feature set ALL.' };
  return {
    id: 'allFeatures', title, status: 'fail', detail: `Feature set ${set || 'unknown'}.`,
    action: 'Enable all features in AWS Organizations (Organizations console → Settings); centralized root access needs it.',
  };
}

function trustedAccess(f: SetupFacts): CheckItem {
  const title = 'Trusted access for IAM in AWS Organizations';
  const t = f.trustedAccess;
  if (!t) return skipped('trustedAccess', title, 'no credentials');
  const enable = FEATURE_ERROR_ADVICE.ServiceAccessNotEnabled;
  if (!t.ok) return failed('trustedAccess', title, t, enable);
  const v = t.value;
  if (v.status === 'enabled') return { id: 'trustedAccess', title, status: 'ok', detail: 'iam.amazonaws.com has trusted access.' };
  if (v.status === 'disabled') return { id: 'trustedAccess', title, status: 'fail', detail: 'iam.amazonaws.com has no trusted access.', action: enable };
  // Unreadable, but the IAM features can only be on with trusted access, so they settle it.
  if (f.features?.ok && (f.features.value.rootCredentialsManagement || f.features.value.rootSessions)) {
    return { id: 'trustedAccess', title, status: 'ok', detail: `Implied by the enabled IAM features (could not read it directly: ${v.reason ?? 'unknown'}).` };
  }
  return { id: 'trustedAccess', title, status: 'warn', detail: `Could not read it: ${v.reason ?? 'unknown'}.`, action: enable };
}

function feature(f: SetupFacts, key: 'rootCredentialsManagement' | 'rootSessions', name: string, title: string): CheckItem {
  const id = key;
  if (!f.features) return skipped(id, title, 'no credentials');
  if (!f.features.ok) return failed(id, title, f.features, ENABLE_FEATURES);
  if (f.features.value[key]) return { id, title, status: 'ok', detail: `${name} is enabled.` };
  const why = key === 'rootSessions' ? 'AssumeRoot (every root task) is refused until it is on.' : 'Root credentials of member accounts cannot be centrally managed until it is on.';
  return { id, title, status: 'fail', detail: `${name} is disabled. ${why}`, action: ENABLE_FEATURES };
}

function regionalEndpoint(f: SetupFacts): CheckItem {
  const id = 'regionalEndpoint';
  const title = 'Regional STS endpoint (AssumeRoot is not served by the global endpoint)';
  if (f.endpoint) {
    return { id, title, status: 'ok', detail: `Custom endpoint ${f.endpoint}, region ${f.region || '(none)'}.` };
  }
  if (REGION.test(f.region)) return { id, title, status: 'ok', detail: `STS calls go to sts.${f.region}.amazonaws.com.` };
  return {
    id, title, status: 'fail', detail: `"${f.region}" is not a region code.`,
    action: 'Set "rootTasks.region" to a region such as us-east-1 (user settings).',
  };
}

function auditSink(f: SetupFacts): CheckItem {
  const id = 'auditSink';
  const title = 'Remote audit sink';
  const s = f.auditSink;
  if (!s) return skipped(id, title, 'a sink is configured, but its delivery status is not available to this check (see the audit status bar item)');
  if (!s.configured) {
    return {
      id, title, status: 'warn', detail: 'No sink is configured: audit events are kept only in the local log.',
      action: 'Set the audit sink URL and its signing secret so events also reach your SIEM.',
    };
  }
  return deliveryItem(id, title, s);
}

/**
 * One item per further audit destination (CloudWatch Logs, S3 with Object Lock): its delivery
 * state as the webhook sink's is judged. A destination that refuses every batch (a missing log
 * group, a bucket without Object Lock) shows here as failing, with the destination's own reason.
 */
export function auditDestinationItems(destinations: ReadonlyArray<SinkFacts & { required: boolean }>): CheckItem[] {
  return destinations.map((d) => deliveryItem('auditDestination', `Audit destination: ${d.sink}`, d));
}

function deliveryItem(id: CheckItem['id'], title: string, s: SinkFacts & { required: boolean }): CheckItem {
  const backlog = s.pending ? ` ${s.pending} events wait for delivery.` : '';
  if (s.failures > 0 || s.state === 'failing') {
    return {
      id, title, status: s.required ? 'fail' : 'warn',
      detail: `${s.sink} is not reachable: ${s.lastError ?? 'delivery failing'} (${s.failures} failed attempts).${backlog}`,
      action: s.required
        ? 'Root tasks are refused while the sink cannot acknowledge the intent: fix the sink URL, its certificate or the network.'
        : 'Events are queued and delivered when the sink is back; fix the sink URL, its certificate or the network.',
    };
  }
  if (s.lastDeliveredAt) {
    return { id, title, status: 'ok', detail: `${s.sink} acknowledged events, last at ${humanTime(s.lastDeliveredAt.toISOString())}.${backlog}` };
  }
  if (s.state === 'idle' && !s.pending) return { id, title, status: 'ok', detail: `${s.sink}: every event is delivered.` };
  return {
    id, title, status: 'warn', detail: `${s.sink} has not acknowledged anything yet (delivery ${s.state}).${backlog}`,
    action: 'Check again in a moment; if it stays like this, check the sink URL and the network.',
  };
}

function orgGuardrails(fact: Fact<OrgGuardrailFacts>): CheckItem {
  const title = 'Organization guardrails (SCPs and RCPs) for root sessions';
  if (!fact.ok) {
    return {
      id: 'orgGuardrails', title, status: 'warn',
      detail: `The organization's policies could not be read (${fact.error}), so tasks they block are only found when AWS denies them.`,
      action: 'Allow organizations:ListPolicies, DescribePolicy, ListTargetsForPolicy and ListRoots to these credentials.',
    };
  }
  const g = fact.value;
  if (!g.enabled.length) return { id: 'orgGuardrails', title, status: 'ok', detail: 'Neither SCPs nor RCPs are enabled on the root: no organization policy applies to root sessions.' };
  const types = g.enabled.join(' and ');
  if (!g.blocked && !g.mayBeBlocked) return { id: 'orgGuardrails', title, status: 'ok', detail: `${types} enabled: no root task is blocked in any of the ${g.accounts} member accounts.` };
  return {
    id: 'orgGuardrails', title, status: 'warn',
    detail: `${types} enabled. ${g.lines.join('; ')}.`,
    action: 'The Organization tree marks each blocked account; its tooltip names the policy, where it is attached, the statement, and the exemption to add ("Null": {"aws:AssumedRoot": "true"}).',
  };
}

export function summarize(items: readonly CheckItem[]): { ok: number; warn: number; fail: number; skip: number; ready: boolean } {
  const count = (s: CheckStatus) => items.filter((i) => i.status === s).length;
  return { ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip'), ready: count('fail') === 0 && count('skip') === 0 };
}
