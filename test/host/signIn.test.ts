// Signing in the way AWS users do, in the real extension host against the sandbox: a profile that
// assumes a role with mfa_serial asks for the code (right code → the tree; wrong code → a message
// and nothing kept; cancel → no credentials), and a sandbox whose Date header runs 45 s ahead
// makes the TOTP status bar warn and show the code for AWS's time, and Check Setup report it.
// The AWS config files are this suite's own temporary files (the run's TMPDIR), never the home's.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { generateSecret, generateSync } from 'otplib';
import type { CheckSetupResult } from '../../src/commands/orgSetup/checkSetup';
import type { RootTasksApi } from '../../src/extension';
import { totpCode } from '../sandbox/mfa';
import type { SandboxControl } from '../sandbox';
import { readFixture } from '../support/fixtures';
import { freshSandbox } from '../support/freshSandbox';
import type { SandboxFixtureInfo } from '../support/sandboxFixture';
import { watchInputBoxes, type PromptWatch } from './support/prompts';
import { until } from './support/wait';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';
const MANAGEMENT = '210987654321';
const SERIAL = `arn:aws:iam::${MANAGEMENT}:mfa/sandbox-admin`;
// The management user's virtual MFA device in the sample seed.
const SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const PROFILE = 'host-mfa';
const ENV = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;

/** A code the sandbox refuses now: none of the three steps it accepts. */
function wrongCode(): string {
  const accepted = [-1, 0, 1].map((s) => totpCode(SEED, Date.now(), s));
  return ['000000', '111111', '222222', '333333'].find((c) => !accepted.includes(c))!;
}

describe('signing in: MFA profiles', () => {
  let api: RootTasksApi;
  let sandbox: SandboxFixtureInfo;
  let dir: string;
  let prompts: PromptWatch;
  let answer: () => string | undefined = () => undefined;
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  const config = () => vscode.workspace.getConfiguration('rootTasks');

  before(async () => {
    api = await vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID)!.activate();
    sandbox = readFixture<SandboxFixtureInfo>('sandbox')!;
    assert.ok(sandbox, 'the sandbox fixture must run for the host tier');
    await freshSandbox();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-tasks-signin-'));
    fs.writeFileSync(path.join(dir, 'config'), [
      `[profile ${PROFILE}]`,
      `role_arn = arn:aws:iam::${MANAGEMENT}:role/OrganizationAdmin`,
      'source_profile = base',
      `mfa_serial = ${SERIAL}`,
      'role_session_name = host-mfa',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'credentials'), [
      '[base]', `aws_access_key_id = ${sandbox.accessKeyId}`, `aws_secret_access_key = ${sandbox.secretAccessKey}`, '',
    ].join('\n'));
    // The extension host is this process: the SDK's chain reads these on its next context.
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    prompts = watchInputBoxes((o) => (o.title?.startsWith('AWS MFA code') ? answer() : undefined));
    await config().update('profile', PROFILE, vscode.ConfigurationTarget.Global);
    await until('the profile setting', () => api.rootTasks.aws.context().settings.profile, (p) => p === PROFILE);
  });

  after(async () => {
    prompts?.dispose();
    await config().update('profile', undefined, vscode.ConfigurationTarget.Global);
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await freshSandbox();
  });

  const mfaPrompts = () => prompts.shown.filter((o) => o.title?.startsWith('AWS MFA code'));

  it('cancel: no credentials, and the message names the profile and device', async () => {
    answer = () => undefined;
    const before = mfaPrompts().length;
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'noCredentials', api.explorer.org.message);
    assert.match(api.explorer.org.message, new RegExp(`MFA code for profile "${PROFILE}" \\(device ${SERIAL}\\) was not entered`));
    const asked = mfaPrompts().slice(before);
    assert.ok(asked.length >= 1, 'the code was asked for');
    assert.match(asked[0]!.title!, new RegExp(PROFILE));
    assert.match(asked[0]!.prompt!, new RegExp(SERIAL));
    assert.deepEqual(await api.explorer.tree.getChildren(), []);
  });

  it('a wrong code: AWS refuses it with a message, nothing is cached, the next try asks again', async () => {
    const control = await freshSandbox();
    answer = wrongCode;
    const before = mfaPrompts().length;
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'noCredentials', api.explorer.org.message);
    assert.match(api.explorer.org.message, /AWS refused the MFA code for profile "host-mfa"/);
    assert.match(api.explorer.org.message, /MultiFactorAuthentication failed with invalid MFA one time pass code/);
    const refused = (await control.requests()).filter((r) => r.operation === 'AssumeRole');
    assert.ok(refused.length >= 1 && refused.every((r) => r.errorCode === 'AccessDenied'), 'STS checked the code and refused it');
    const afterWrong = mfaPrompts().length;
    assert.ok(afterWrong > before);
    await api.explorer.org.refresh();
    assert.ok(mfaPrompts().length > afterWrong, 'nothing was cached: asked again');
  });

  it('the right code: the tree, and the session is reused without asking again', async () => {
    answer = () => totpCode(SEED, Date.now());
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'ready', api.explorer.org.message);
    const roots = await api.explorer.tree.getChildren();
    assert.equal(roots.find((n) => n.kind === 'organization')?.kind, 'organization');
    const identity = await api.rootTasks.aws.context().callerIdentity();
    assert.equal(identity.arn, `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAdmin/host-mfa`);
    const asked = mfaPrompts().length;
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'ready');
    assert.equal(mfaPrompts().length, asked, 'the role session is reused for its lifetime');
  });

  it('profiles from the SDK loader; a switch drops the org index and scan findings, then the new identity', async () => {
    const profiles = await api.rootTasks.aws.profiles();
    assert.deepEqual(profiles.map((p) => [p.name, p.kind]), [['base', 'keys'], [PROFILE, 'role (MFA)']]);
    assert.match(profiles[1]!.detail, /role\/OrganizationAdmin · from base/);
    assert.ok(!JSON.stringify(profiles).includes(sandbox.secretAccessKey), 'no secret in the listing');
    assert.equal(api.explorer.org.state, 'ready');
    api.explorer.findings.setScan('320000000001', [], new Date().toISOString());
    const asked = mfaPrompts().length;

    await vscode.commands.executeCommand('rootTasks.switchProfile', { profile: 'base' });
    await until('the switch', () => api.rootTasks.aws.context().settings.profile, (p) => p === 'base');
    assert.equal(api.explorer.org.index, undefined, 'the organization index of the old identity is gone');
    assert.equal(api.explorer.findings.get('320000000001'), undefined, 'scan findings of the old identity are gone');
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'ready', api.explorer.org.message);
    assert.equal((await api.rootTasks.aws.identity()).arn, sandbox.managementArn);
    assert.equal(mfaPrompts().length, asked, 'plain keys: no MFA prompt');
    await vscode.commands.executeCommand('rootTasks.switchProfile', { profile: PROFILE });
  });
});

describe('signing in: a skewed clock', () => {
  let api: RootTasksApi;
  let control: SandboxControl;
  const label = 'host-skew';
  const secret = generateSecret({ length: 20 });

  before(async () => {
    api = await vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID)!.activate();
    control = await freshSandbox();
    await vscode.workspace.getConfiguration('rootTasks.totp').update('mask', false, vscode.ConfigurationTarget.Global);
    const token = await vscode.commands.executeCommand<{ id: string }>('rootTasks.addTotpToken', { label, secret });
    assert.ok(token, 'the token was not added');
    await vscode.commands.executeCommand('rootTasks.selectTotpToken', { label });
  });

  after(async () => {
    await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label });
    await vscode.workspace.getConfiguration('rootTasks.totp').update('mask', undefined, vscode.ConfigurationTarget.Global);
    await control.dateHeader(0);
    // Calls at the real time put the clock back for the suites after this one.
    await api.explorer.org.refresh();
    await freshSandbox();
  });

  /** The codes for AWS's time around now (45 s ahead), allowing a second either side. */
  const awsCodes = () => new Set([-1, 0, 1].map((d) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 45 + d })));

  it('45 s of skew from the Date header: a warning and the code for AWS time, Check Setup says so', async () => {
    await control.dateHeader(45);
    // A call the extension makes anyway; no request is added to learn the time.
    await control.clearRequests();
    const result = await vscode.commands.executeCommand<CheckSetupResult>('rootTasks.checkSetup', { show: false });
    const clock = result.items.find((i) => i.id === 'clock');
    assert.equal(clock?.status, 'warn');
    assert.match(clock!.detail, /4[4-6] s behind AWS's/);
    assert.ok(!(await control.requests()).some((r) => r.operation === 'GetServerTime'));

    const text = await until('the skew warning', () => api.totp.statusText(), (t) => (t ?? '').startsWith(`$(warning) ${label} `));
    const code = /(\d{3}) (\d{3}) · \d+s$/.exec(text ?? '');
    assert.ok(code, `no code shown: ${JSON.stringify(text)}`);
    assert.ok(awsCodes().has(`${code[1]}${code[2]}`), `shows ${code[1]}${code[2]}, AWS time gives ${[...awsCodes()].join(' or ')}`);
  });

  it('back in sync: the warning goes and the local code shows', async () => {
    await control.dateHeader(0);
    await api.explorer.org.refresh();
    await until('no skew warning', () => api.totp.statusText(), (t) => (t ?? '').startsWith(`$(key) ${label} `));
  });
});

describe('signing in: SSO sessions', () => {
  let api: RootTasksApi;
  let control: SandboxControl;
  let dir: string;
  const saved = Object.fromEntries(['HOME', 'PATH', ...ENV].map((k) => [k, process.env[k]]));
  const window = vscode.window as unknown as Record<string, unknown>;
  const originals = { showWarningMessage: window.showWarningMessage, showErrorMessage: window.showErrorMessage, createTerminal: window.createTerminal };
  const warnings: string[] = [];
  const errors: string[] = [];
  const typed: string[] = [];
  const cacheFile = (session: string) => path.join(dir, '.aws', 'sso', 'cache', `${createHash('sha1').update(session).digest('hex')}.json`);
  /** What `aws sso login` leaves behind: a token the portal knows, cached where the SDK looks. */
  async function signInLikeTheCli(session: string, user: string): Promise<void> {
    const accessToken = randomBytes(24).toString('base64url');
    await control.ssoToken(accessToken, 3600, user);
    fs.mkdirSync(path.dirname(cacheFile(session)), { recursive: true });
    fs.writeFileSync(cacheFile(session), JSON.stringify({
      startUrl: `https://${session}.awsapps.com/start`, region: 'us-east-1', accessToken, expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    }));
  }

  before(async () => {
    api = await vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID)!.activate();
    control = await freshSandbox();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'root-tasks-sso-'));
    const profile = (name: string, session: string) => [
      `[profile ${name}]`, `sso_session = ${session}`, `sso_account_id = ${MANAGEMENT}`, 'sso_role_name = OrganizationAdmin', 'region = us-east-1',
      `[sso-session ${session}]`, `sso_start_url = https://${session}.awsapps.com/start`, 'sso_region = us-east-1', '',
    ];
    fs.writeFileSync(path.join(dir, 'config'), [...profile('host-sso', 'acme'), ...profile('host-sso-b', 'acme-b')].join('\n'));
    fs.writeFileSync(path.join(dir, 'credentials'), '');
    fs.mkdirSync(path.join(dir, 'bin'));
    // The SDK keeps SSO tokens under ~/.aws/sso/cache: this suite's own HOME, not the run's.
    process.env.HOME = dir;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    window.showWarningMessage = (message: string, ...items: unknown[]) => {
      warnings.push(message);
      return Promise.resolve(/SSO session/.test(message) && items.includes('Sign In') ? 'Sign In' : undefined);
    };
    window.showErrorMessage = (message: string) => {
      errors.push(message);
      return Promise.resolve(undefined);
    };
    window.createTerminal = () => ({ show: () => undefined, sendText: (t: string) => typed.push(t), dispose: () => undefined });
  });

  after(async () => {
    Object.assign(window, originals);
    await vscode.workspace.getConfiguration('rootTasks').update('profile', undefined, vscode.ConfigurationTarget.Global);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await freshSandbox();
  });

  it('no AWS CLI: Sign In says what to install, and a sign-in made elsewhere is picked up by itself', async () => {
    process.env.PATH = path.join(dir, 'bin');
    await vscode.commands.executeCommand('rootTasks.switchProfile', { profile: 'host-sso' });
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'noCredentials', api.explorer.org.message);
    assert.match(api.explorer.org.message, /SSO session of profile "host-sso" has expired or is missing/);
    await until('the Sign In notification', () => warnings, (w) => w.some((m) => /SSO session of profile "host-sso"/.test(m)));
    await until('what to install', () => errors, (e) => e.some((m) => /AWS CLI v2/.test(m) && /aws sso login --profile host-sso/.test(m)));
    assert.deepEqual(typed, [], 'no terminal without the CLI');
    await signInLikeTheCli('acme', 'alice@acme.example');
    await until('the organization with the new session', () => api.explorer.org.state, (s) => s === 'ready', 10_000);
    assert.equal((await api.rootTasks.aws.identity()).arn, `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAdmin/alice@acme.example`);
  });

  it('expired session → Sign In runs aws sso login in a terminal → the tree recovers without a reload', async () => {
    fs.writeFileSync(path.join(dir, 'bin', 'aws'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    // The CLI's cache for this session holds an expired token.
    await signInLikeTheCli('acme-b', 'bob@acme.example');
    const cached = JSON.parse(fs.readFileSync(cacheFile('acme-b'), 'utf8')) as Record<string, string>;
    fs.writeFileSync(cacheFile('acme-b'), JSON.stringify({ ...cached, expiresAt: new Date(Date.now() - 60_000).toISOString() }));
    await vscode.commands.executeCommand('rootTasks.switchProfile', { profile: 'host-sso-b' });
    await api.explorer.org.refresh();
    assert.equal(api.explorer.org.state, 'noCredentials', api.explorer.org.message);
    await until('aws sso login in a terminal', () => typed, (t) => t.includes('aws sso login --profile host-sso-b'));
    await signInLikeTheCli('acme-b', 'bob@acme.example');
    await until('the organization with the new session', () => api.explorer.org.state, (s) => s === 'ready', 10_000);
    assert.equal((await api.rootTasks.aws.identity()).arn, `arn:aws:sts::${MANAGEMENT}:assumed-role/OrganizationAdmin/bob@acme.example`);
    assert.equal((await api.explorer.tree.getChildren()).some((n) => n.kind === 'organization'), true);
  });
});
