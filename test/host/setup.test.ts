// Centralized root access setup in the real extension host against the sandbox: the check-setup
// doctor on a ready organization and on one with everything off, showing the features, and
// enabling trusted access + both features. Each test ends with the sandbox's organization state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckSetupResult } from '../../src/commands/orgSetup/checkSetup';
import type { EnableOutcome, FeaturesView } from '../../src/flows/orgSetup/features';
import { formatAccountId } from '../../src/core/tasks';
import { WHY, unlockHarness, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

type Shown = CheckSetupResult & { html: string };
const checkSetup = () => vscode.commands.executeCommand<Shown>('rootTasks.checkSetup');
const statuses = (r: CheckSetupResult) => Object.fromEntries(r.items.map((i) => [i.id, i.status]));
const OFF = { trustedAccessForIam: false, rootCredentialsManagement: false, rootSessions: false };

describe('centralized root access setup (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest();
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await h?.control.reset();
    h?.dispose();
  });

  it('check setup on the sample organization: every AWS prerequisite ok, shown with what was found', async () => {
    const result = await checkSetup();
    assert.ok(result, 'check setup failed');
    const { auditSink, orgGuardrails, clock, ...aws } = statuses(result);
    assert.deepEqual(aws, {
      credentials: 'ok', caller: 'ok', allFeatures: 'ok', trustedAccess: 'ok', rootCredentialsManagement: 'ok', rootSessions: 'ok', regionalEndpoint: 'ok',
    });
    // The sandbox answers with the real time in its Date header: the clock is within 10 s of AWS's.
    assert.equal(clock, 'ok');
    // The sample organization's OU Infrastructure sits under a root deny without the AssumeRoot exemption.
    assert.equal(orgGuardrails, 'warn');
    const guard = result.items.find((i) => i.id === 'orgGuardrails')!;
    assert.match(guard.detail, /S3 unlock: 1 of \d+ accounts blocked \(aws-guardrails-restrict-root-user \(p-[a-z0-9]+\): 1\)/);
    assert.match(guard.detail, /root audit: 1 of \d+ accounts blocked/);
    assert.match(guard.action ?? '', /aws:AssumedRoot/);
    // No sink is configured in the host run: said so, never reported as reachable.
    assert.notEqual(auditSink, 'ok');
    const management = (await h.control.state()).organization.managementAccountId;
    assert.match(result.items.find((i) => i.id === 'caller')!.detail, new RegExp(`Account ${formatAccountId(management)} is the management account`));
    // The tab model follows the new panel asynchronously.
    await until('the setup check tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs), (tabs) =>
      tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Root Tasks Setup Check'));
    assert.match(result.html, /data-item="rootSessions"/);
    // Read-only: the doctor changed nothing.
    assert.deepEqual((await h.control.requests()).filter((r) => /^(Enable|Disable)/.test(r.operation)), []);
  });

  it('check setup with trusted access and both features off: each fails with what to do', async () => {
    await h.control.organization(OFF);
    const result = await checkSetup();
    const s = statuses(result);
    assert.equal(s.trustedAccess, 'fail');
    assert.equal(s.rootCredentialsManagement, 'fail');
    assert.equal(s.rootSessions, 'fail');
    const item = (id: string) => result.items.find((i) => i.id === id)!;
    assert.match(item('trustedAccess').action ?? '', /enable-aws-service-access --service-principal iam\.amazonaws\.com/);
    assert.match(item('rootSessions').action ?? '', /Trusted access for IAM|Enable Centralized Root Access Features/);
    assert.match(result.html, /What to do:/);
    assert.deepEqual((await h.control.state()).organization.features, { RootCredentialsManagement: false, RootSessions: false });
  });

  it('shows the organization features', async () => {
    await h.control.organization({ rootSessions: false });
    const view = await vscode.commands.executeCommand<FeaturesView>('rootTasks.showOrganizationFeatures');
    assert.deepEqual(view?.enabled, { RootCredentialsManagement: true, RootSessions: false });
    assert.equal(view?.trustedAccess.status, 'enabled');
    assert.equal(view?.organizationId, (await h.control.state()).organization.id);
  });

  it('enables trusted access and both features, verified and audited', async () => {
    await h.control.organization(OFF);
    const outcome = await vscode.commands.executeCommand<EnableOutcome>('rootTasks.enableRootAccessFeatures', { ...WHY, confirm: true, enableTrustedAccess: true });
    assert.ok(outcome, `enable failed: ${h.errors()}`);
    assert.deepEqual(outcome.changed, ['RootCredentialsManagement', 'RootSessions']);
    assert.equal(outcome.trustedAccessEnabled, true);

    const org = (await h.control.state()).organization;
    assert.deepEqual(org.features, { RootCredentialsManagement: true, RootSessions: true });
    assert.ok(org.trustedServices.includes('iam.amazonaws.com'));
    const writes = (await h.control.requests()).filter((r) => /^(Enable|Disable)/.test(r.operation)).map((r) => r.operation);
    assert.deepEqual(writes, ['EnableAWSServiceAccess', 'EnableOrganizationsRootCredentialsManagement', 'EnableOrganizationsRootSessions']);

    const intent = h.events.find((e) => e.kind === 'intent');
    assert.equal(intent?.justification, WHY.justification);
    assert.equal(intent?.ticket, WHY.ticket);
    assert.deepEqual(h.events.filter((e) => e.kind === 'aws.write').map((e) => [e.operation, e.outcome]), writes.map((op) => [op, 'ok']));
    assert.equal(h.events.at(-1)?.kind, 'verify');
    assert.ok(h.events.indexOf(intent!) < h.events.findIndex((e) => e.kind === 'aws.write'), 'the intent is recorded before any change');

    const after = statuses(await checkSetup());
    assert.equal(after.rootSessions, 'ok');
    assert.equal(after.trustedAccess, 'ok');
  });

  it('refuses to enable without trusted access unless asked to enable it too: nothing written', async () => {
    await h.control.organization(OFF);
    const outcome = await vscode.commands.executeCommand<EnableOutcome>('rootTasks.enableRootAccessFeatures', { ...WHY, confirm: true });
    assert.equal(outcome, undefined, 'the command reports the refusal instead of a result');
    assert.deepEqual((await h.control.requests()).filter((r) => /^(Enable|Disable)/.test(r.operation)), []);
    assert.deepEqual((await h.control.state()).organization.features, { RootCredentialsManagement: false, RootSessions: false });
    assert.equal(h.events.filter((e) => e.kind === 'intent').length, 0, 'refused before any intent');
  });
});
