import * as vscode from 'vscode';
import type { AwsContext, AwsSettings, CallerIdentity } from '../aws/context';
import type { ProfileSummary } from '../aws/profiles';
import { ClockSkew } from '../core/clockSkew';
import { UserError } from '../core/errors';
import type { ManagementOps } from '../aws/managementOps';
import type { AwsModule } from './lazyBundles';
import type { Log } from './log';
import { affectsAws, readAwsSettings } from './settings';
import { SsoSignIn } from './ssoSignIn';

/**
 * Hands out the AWS context for the current settings: built on first use (that is when the SDK
 * bundle loads), rebuilt when a relevant setting changes, destroyed with the extension.
 */
export class AwsAccess implements vscode.Disposable {
  private current: AwsContext | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly switched = new vscode.EventEmitter<void>();
  /** The profile or endpoint changed: another identity, whose per-identity state must go. */
  readonly onDidSwitchIdentity = this.switched.event;
  private readonly subscription: vscode.Disposable;
  /** This machine's clock against AWS's, from the Date header of every AWS response. */
  readonly clock = new ClockSkew();
  private readonly signedIn = new vscode.EventEmitter<string>();
  /** A profile's SSO sign-in completed (a new token is cached): retry what failed. */
  readonly onDidSignIn = this.signedIn.event;
  private readonly sso: SsoSignIn;

  constructor(
    private readonly load: () => AwsModule,
    private readonly log: Log,
  ) {
    this.sso = new SsoSignIn({ tokenFile: (profile) => this.load().ssoTokenFile(profile), onSignedIn: (p) => this.signedIn.fire(p), log });
    let effective = JSON.stringify(readAwsSettings());
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsAws(e)) return;
      // A workspace value of a user-only setting changes nothing: keep clients and the tree.
      const next = JSON.stringify(readAwsSettings());
      if (next === effective) return;
      const before = JSON.parse(effective) as AwsSettings;
      const after = JSON.parse(next) as AwsSettings;
      effective = next;
      this.actorFailedAt = undefined;
      this.current?.dispose();
      this.current = undefined;
      this.log.info('aws', 'settings changed; clients will be rebuilt on next use');
      this.changed.fire();
      if ((before.profile ?? '') !== (after.profile ?? '') || (before.endpoint ?? '') !== (after.endpoint ?? '')) this.switched.fire();
    });
  }

  /**
   * Who acts, for the audit trail: the management principal's ARN. A failed lookup (no
   * credentials) is remembered for a minute, so TOTP events without AWS credentials do not each
   * wait for the whole credential chain (which may end in an instance-metadata timeout).
   */
  async actor(): Promise<string> {
    const now = Date.now();
    if (this.actorFailedAt && now - this.actorFailedAt < 60_000) return 'unknown (no AWS identity)';
    try {
      const identity = await this.context().callerIdentity();
      this.actorFailedAt = undefined;
      return identity.arn || 'unknown (no AWS identity)';
    } catch {
      this.actorFailedAt = now;
      return 'unknown (no AWS identity)';
    }
  }
  private actorFailedAt: number | undefined;

  /** The identity in use (GetCallerIdentity, asked once per context). */
  identity(): Promise<CallerIdentity> {
    return this.context().callerIdentity();
  }

  /** The profiles of the user's AWS config, read with the SDK's own loader (loads the SDK bundle). */
  profiles(): Promise<ProfileSummary[]> {
    return this.load().listProfiles();
  }

  /** The management credentials' operations, bound to the current context. */
  ops(): ManagementOps {
    return this.context().ops;
  }

  context(): AwsContext {
    if (!this.current) {
      const settings = readAwsSettings();
      // Every AWS call at debug level, allow-listed fields only (never the SDK's own logger).
      this.current = this.load().createAwsContext(settings, undefined, (c) =>
        this.log.debug('aws', `${c.service}.${c.operation} ${c.status ?? '-'}${c.error ? ` ${c.error}` : ''} ${c.ms.toFixed(0)} ms${c.attempts && c.attempts > 1 ? ` ${c.attempts} attempts` : ''}${c.requestId ? ` req ${c.requestId}` : ''}`),
      {
        mfaCode: (request) => this.askMfaCode(request),
        // The tree only shows "no credentials": say why, without waiting for the toast.
        mfaRefused: (message) => {
          this.log.warn('aws', message);
          void vscode.window.showWarningMessage(message);
        },
        onServerDate: (serverMs, localMs) => this.clock.record(serverMs, localMs),
        ssoExpired: (profile) => this.sso.offer(profile),
      });
      this.log.info('aws', `clients for region ${settings.region}${settings.endpoint ? ` at ${settings.endpoint}` : ''}${settings.profile ? `, profile ${settings.profile}` : ''}`);
    }
    return this.current;
  }

  /**
   * The MFA code for a profile that assumes a role with `mfa_serial`. Asked once per role
   * session (the SDK's chain keeps the credentials); cancelling leaves the extension without
   * credentials and says so, and nothing is remembered, so the next AWS call asks again.
   */
  private async askMfaCode({ profile, serial }: { profile: string; serial: string }): Promise<string> {
    this.log.info('aws', `profile ${profile} needs an MFA code (device ${serial})`);
    const code = await vscode.window.showInputBox({
      title: `AWS MFA code for profile "${profile}"`,
      prompt: `Profile "${profile}" assumes a role protected by the MFA device ${serial}. Enter the device's current code.`,
      placeHolder: '6-digit code',
      ignoreFocusOut: true,
      validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'The code is 6 digits.'),
    });
    if (code === undefined) {
      const message = `No AWS credentials: the MFA code for profile "${profile}" (device ${serial}) was not entered.`;
      this.log.info('aws', message);
      void vscode.window.showWarningMessage(message);
      throw new UserError(message);
    }
    return code.trim();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.switched.dispose();
    this.signedIn.dispose();
    this.sso.dispose();
    this.current?.dispose();
  }
}
