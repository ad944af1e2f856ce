// The extension's own reading of its settings (src/services/settingValues.ts), given a workspace
// that tries to redirect requests or loosen a guardrail. VS Code drops machine-scoped workspace
// values itself, so a test through VS Code cannot tell whether the extension would have read them;
// here every level is handed in, and every setting that chooses a destination or could weaken a
// guardrail (the machine/application-scoped and restricted ones in package.json) is covered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditSettingsFrom, awsSettingsFrom, guardrailSettingsFrom, sessionSettingsFrom, type InspectSetting, type SettingLevels } from '../../src/services/settingValues';

interface Declared { type: string; default?: unknown; scope?: string }
const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } | Array<{ properties: Record<string, Declared> }> };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const properties: Record<string, Declared> = Object.assign({}, ...[pkg.contributes.configuration].flat().map((c) => c.properties));
const restricted = new Set(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations);
/** Settings a workspace must never set: machine/application scope, or restricted in untrusted workspaces. */
const guarded = Object.entries(properties).filter(([key, p]) => p.scope === 'machine' || p.scope === 'application' || restricted.has(key)).map(([key]) => key);

const CAPTURE = 'https://capture.invalid:9443/x';
/** What a hostile workspace would put in each guarded setting: a capture URL, a looser value. */
function hostile(p: Declared): unknown {
  if (p.type === 'string') return CAPTURE;
  if (p.type === 'boolean') return !p.default;
  if (p.type === 'integer' || p.type === 'number') return p.default === 0 ? 899 : 0;
  if (p.type === 'array') return ['999999999999'];
  return CAPTURE;
}

function read(inspect: InspectSetting) {
  return {
    aws: awsSettingsFrom(inspect),
    guardrails: guardrailSettingsFrom(inspect),
    session: sessionSettingsFrom(inspect),
    audit: auditSettingsFrom(inspect, { maxPending: 1000, maxFileBytes: 10 * 1024 * 1024 }),
  };
}

/** VS Code's levels: the defaults, some user values, and the workspace's values at both levels. */
function inspectWith(user: Record<string, unknown>, workspace: (key: string) => unknown): InspectSetting {
  return (key) => {
    const p = properties[`rootTasks.${key}`];
    if (!p) return undefined;
    const levels: SettingLevels = { defaultValue: p.default, workspaceValue: workspace(`rootTasks.${key}`), workspaceFolderValue: workspace(`rootTasks.${key}`) };
    if (key in user) levels.globalValue = user[key];
    return levels;
  };
}

test('the guarded settings are the ones that choose a destination or hold a guardrail', () => {
  for (const key of ['endpointUrl', 'profile', 'region', 'audit.sinkUrl', 'audit.caFile', 'audit.strictAck', 'audit.maxPending', 'session.durationSeconds',
    'session.minRemainingSeconds', 'guardrails.requireJustification', 'guardrails.ticketPattern', 'guardrails.allowedAccounts']) {
    assert.ok(guarded.includes(`rootTasks.${key}`), `rootTasks.${key} is not machine-scoped or restricted`);
  }
});

for (const trusted of [true, false]) {
  test(`a workspace's values of guarded settings are never read (workspace ${trusted ? 'trusted' : 'untrusted'})`, () => {
    // Trust changes what VS Code hands over; the extension's reading must not depend on it.
    const fromWorkspace = (key: string) => (guarded.includes(key) ? hostile(properties[key]!) : undefined);
    const defaults = read(inspectWith({}, () => undefined));
    const attacked = read(inspectWith({}, fromWorkspace));
    assert.deepEqual(attacked, defaults);
    assert.ok(!JSON.stringify(attacked).includes('capture.invalid'), 'a workspace value reached a destination');

    const user = { endpointUrl: 'http://127.0.0.1:4566', region: 'eu-west-1', profile: 'ops', 'audit.sinkUrl': 'https://sink.example/a', 'session.durationSeconds': 300,
      'guardrails.requireJustification': true, 'guardrails.allowedAccounts': ['320000000001'] };
    const mine = read(inspectWith(user, fromWorkspace));
    assert.equal(mine.aws.endpoint, 'http://127.0.0.1:4566');
    assert.equal(mine.aws.region, 'eu-west-1');
    assert.equal(mine.aws.profile, 'ops');
    assert.equal(mine.audit.sinkUrl, 'https://sink.example/a');
    assert.equal(mine.audit.strictAck, false);
    assert.equal(mine.session.durationSeconds, 300);
    assert.equal(mine.session.minRemainingSeconds, 60);
    assert.deepEqual(mine.guardrails.allowedAccounts, ['320000000001']);
    assert.equal(mine.guardrails.ticketPattern, properties['rootTasks.guardrails.ticketPattern']!.default);
  });
}

test('a workspace may add protections, never remove them', () => {
  const levels: Record<string, SettingLevels> = {
    'guardrails.deniedAccounts': { defaultValue: [], globalValue: ['320000000009'], workspaceValue: ['320000000001'] },
    'guardrails.protectedResources': { defaultValue: [], globalValue: ['arn:aws:s3:::prod-*'], workspaceFolderValue: [] },
  };
  const g = guardrailSettingsFrom((key) => levels[key]);
  assert.deepEqual(g.deniedAccounts, ['320000000009', '320000000001']);
  assert.deepEqual(g.protectedResources, ['arn:aws:s3:::prod-*']);
});
