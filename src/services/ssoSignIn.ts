import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from './log';

export interface SsoSignInDeps {
  /** Where the profile's SSO token is cached (the SDK's rule), undefined for a non-SSO profile. */
  tokenFile(profile: string): Promise<string | undefined>;
  /** A new token appeared: credentials can be asked for again. */
  onSignedIn(profile: string): void;
  log: Log;
  pollMs?: number;
  timeoutMs?: number;
}

const INSTALL_CLI = 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html';

/**
 * The way back from an expired or missing SSO session: a notification with Sign In, which runs
 * `aws sso login --profile <name>` in a terminal (or says what to install when the CLI is not on
 * the PATH), then watches the SDK's token cache file (polling, at most five minutes) and tells
 * the extension to retry as soon as a new valid token is there. No window reload.
 */
export class SsoSignIn {
  private readonly pending = new Set<string>();
  private disposed = false;

  constructor(private readonly deps: SsoSignInDeps) {}

  /** Offers sign-in once per profile at a time (many calls fail together when a session ends). */
  offer(profile: string): void {
    if (this.pending.has(profile)) return;
    this.pending.add(profile);
    this.run(profile).catch((err: unknown) => this.deps.log.warn('sso', `sign-in for ${profile} failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.pending.delete(profile));
  }

  /** Stops waiting for sign-ins (the extension is going away). */
  dispose(): void {
    this.disposed = true;
  }

  private async run(profile: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `The AWS SSO session of profile "${profile}" has expired or is missing: Root Tasks has no AWS credentials.`, 'Sign In');
    if (choice !== 'Sign In') return;
    const file = await this.deps.tokenFile(profile);
    if (!file) {
      void vscode.window.showErrorMessage(`Profile "${profile}" has no sso_session or sso_start_url in the AWS config: it cannot sign in with SSO.`);
      return;
    }
    const before = await tokenState(file);
    if (findOnPath('aws')) {
      const terminal = vscode.window.createTerminal({ name: `AWS SSO sign-in (${profile})` });
      terminal.show();
      terminal.sendText(`aws sso login --profile ${shellQuote(profile)}`);
    } else {
      void vscode.window.showErrorMessage(
        `Signing in with SSO needs the AWS CLI v2 ("aws sso login"), which is not on the PATH. Install it (${INSTALL_CLI}) and run "aws sso login --profile ${profile}"; Root Tasks carries on as soon as the sign-in is done.`);
    }
    this.deps.log.info('sso', `waiting for a new SSO token for profile ${profile}`);
    const deadline = Date.now() + (this.deps.timeoutMs ?? 300_000);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, this.deps.pollMs ?? 1000));
      if (this.disposed) return;
      const now = await tokenState(file);
      if (now.valid && now.digest !== before.digest) {
        this.deps.log.info('sso', `profile ${profile} signed in`);
        this.deps.onSignedIn(profile);
        void vscode.window.showInformationMessage(`Signed in: profile "${profile}" has a new SSO session.`);
        return;
      }
    }
    void vscode.window.showWarningMessage(`No new SSO sign-in for profile "${profile}" within ${Math.round((this.deps.timeoutMs ?? 300_000) / 60_000)} minutes. After signing in, refresh the organization.`);
  }
}

/** Whether the cached token is unexpired, and a digest to tell a new one (the token itself is not kept). */
async function tokenState(file: string): Promise<{ valid: boolean; digest: string }> {
  try {
    const text = await fs.promises.readFile(file, 'utf8');
    const { expiresAt, accessToken } = JSON.parse(text) as { expiresAt?: string; accessToken?: string };
    const valid = typeof accessToken === 'string' && !!expiresAt && Date.parse(expiresAt) > Date.now();
    return { valid, digest: createHash('sha256').update(text).digest('hex') };
  } catch {
    return { valid: false, digest: '' };
  }
}

/** The executable `name` on the extension host's PATH, if any. */
export function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function shellQuote(s: string): string {
  return /^[\w.@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
