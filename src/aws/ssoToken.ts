import { getSSOTokenFilepath, loadSharedConfigFiles } from '@smithy/core/config';

/**
 * Where `aws sso login --profile <name>` caches the profile's IAM Identity Center token (the
 * SDK's own rule: ~/.aws/sso/cache/<sha1 of the sso-session name, or of the legacy start URL>.json),
 * or undefined when the profile is not an SSO profile.
 */
export async function ssoTokenFile(profile: string): Promise<string | undefined> {
  const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const p = configFile[profile];
  if (!p) return undefined;
  if (p.sso_session) return getSSOTokenFilepath(p.sso_session);
  if (p.sso_start_url) return getSSOTokenFilepath(p.sso_start_url);
  return undefined;
}
