import { loadSharedConfigFiles } from '@smithy/core/config';

/** One profile of the user's AWS config and credentials files, described without its secrets. */
export interface ProfileSummary {
  name: string;
  /** How it gets credentials: "SSO", "role (MFA)", "keys", "credential_process", ... */
  kind: string;
  /** Non-secret details worth showing: the role, the SSO account and role, the region. */
  detail: string;
}

/**
 * The profiles in the AWS config and credentials files (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE when set), read with the SDK's own loader, afresh each time.
 * Nothing secret leaves here: keys and tokens are only looked at to say a profile has them.
 */
export async function listProfiles(): Promise<ProfileSummary[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort((a, b) =>
    a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b));
  return names.map((name) => {
    const p = { ...credentialsFile[name], ...configFile[name] };
    const region = p.region ? `region ${p.region}` : '';
    const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ');
    if (p.sso_session || p.sso_start_url) {
      return { name, kind: 'SSO', detail: join(p.sso_account_id && `account ${p.sso_account_id}`, p.sso_role_name, p.sso_session && `session ${p.sso_session}`, region) };
    }
    if (p.role_arn) {
      return { name, kind: p.mfa_serial ? 'role (MFA)' : 'role', detail: join(p.role_arn, p.source_profile && `from ${p.source_profile}`, p.credential_source && `from ${p.credential_source}`, region) };
    }
    if (p.credential_process) return { name, kind: 'credential_process', detail: region };
    if (p.aws_access_key_id) return { name, kind: p.aws_session_token ? 'temporary keys' : 'keys', detail: region };
    return { name, kind: 'settings only', detail: region };
  });
}
