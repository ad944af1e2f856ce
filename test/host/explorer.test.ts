// The organization explorer in the real extension host against the sandbox sample org: the tree
// renders the organization as the sandbox holds it, a scan flags the locked bucket and queue with
// their statements, and a workspace can never redirect the endpoint.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readFixture } from '../support/fixtures';
import type { SandboxFixtureInfo } from '../support/sandboxFixture';
import { freshSandbox } from '../support/freshSandbox';
import { sandboxControl } from '../sandbox/controlClient';
import type { RootTasksApi } from '../../src/extension';
import type { Node } from '../../src/views/tree/nodes';
import sampleSeed from '../sandbox/seeds/sample-org.json';
import { recentLogErrors, WHY } from './support/unlockHarness';
import { until } from './support/wait';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';

describe('organization explorer', () => {
  let api: RootTasksApi;
  let sandbox: SandboxFixtureInfo;

  before(async () => {
    api = await vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID)!.activate();
    const info = readFixture<SandboxFixtureInfo>('sandbox');
    assert.ok(info, 'the sandbox fixture must run for the host tier');
    sandbox = info;
    // Other suites change policies and credentials: start from the sample organization.
    await freshSandbox();
  });

  after(() => freshSandbox());

  async function walk(node?: Node, out: Node[] = []): Promise<Node[]> {
    for (const child of await api.explorer.tree.getChildren(node)) {
      out.push(child);
      if (child.kind === 'organization' || child.kind === 'root' || child.kind === 'ou') await walk(child, out);
    }
    return out;
  }

  /** Organization → Root → the root's children (enough to reach a top-level OU). */
  async function walkTo(ouId: string): Promise<Node[]> {
    const out: Node[] = [];
    for (const org of await api.explorer.tree.getChildren()) {
      if (org.kind !== 'organization') continue;
      for (const root of await api.explorer.tree.getChildren(org)) {
        out.push(...(await api.explorer.tree.getChildren(root)).filter((n) => n.kind !== 'ou' || n.ou.id === ouId));
      }
    }
    return out;
  }

  it('renders every OU and account of the sandbox organization', async () => {
    await vscode.commands.executeCommand('rootTasks.refreshOrganization');
    const nodes = await walk();
    const state = await sandboxControl(sandbox.endpoint).state();
    const accounts = nodes.filter((n): n is Extract<Node, { kind: 'account' }> => n.kind === 'account');
    const ous = nodes.filter((n) => n.kind === 'ou');
    assert.equal(nodes[0].kind, 'organization');
    assert.equal(accounts.length, state.accounts.length, 'every account, management included');
    assert.equal(ous.length, state.ous.length);
    const management = accounts.filter((a) => a.management);
    assert.deepEqual(management.map((a) => a.account.id), [sandbox.managementAccountId]);
    const item = api.explorer.tree.getTreeItem(management[0]);
    assert.match(String(item.description), /management/);
    assert.equal(item.id, management[0].account.arn, 'ids are ARNs, stable across refreshes');
    assert.ok(!nodes.some((n) => n.kind === 'error' || n.kind === 'notice'), 'complete listing, no error nodes');
  });

  it('shows a TOTP token linked to the management account on its root user, and no policy groups', async () => {
    const label = 'host-mgmt-root';
    // 20 bytes in base32: a valid seed for the test only.
    await vscode.commands.executeCommand('rootTasks.addTotpToken', { label, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', accountId: sandbox.managementAccountId });
    try {
      await api.explorer.org.getIndex();
      const management = api.explorer.tree.accountNode(sandbox.managementAccountId);
      assert.ok(management);
      const children = await api.explorer.tree.getChildren(management);
      assert.deepEqual(children.map((c) => c.kind), ['rootStatus'], 'root tasks never target the management account');
      const item = api.explorer.tree.getTreeItem(children[0]);
      assert.match(String(item.description), new RegExp(`TOTP: ${label}`));
      assert.equal(item.contextValue, 'rootStatus.management');
    } finally {
      await vscode.commands.executeCommand('rootTasks.removeTotpToken', { label });
    }
  });

  it('scans and flags the locked bucket and queue with the locking statement', async () => {
    // Root-session mode with the justification guardrail on (both defaults): the scan's one
    // justification and ticket come as arguments.
    const summary = await vscode.commands.executeCommand<{ locked: number; failed: number; skipped: number }>('rootTasks.scanLockedPolicies', { target: { kind: 'organization' }, ...WHY });
    assert.ok(summary, `the scan returns its summary; it failed: ${recentLogErrors(api.logUri.fsPath)}`);
    assert.equal(summary.failed, 0);
    // Skipped, not failed: the suspended account, and Network Hub, whose OU's SCP denies root sessions.
    assert.equal(summary.skipped, 2, 'the suspended account and the SCP-blocked account are skipped, not failed');
    const account = api.explorer.tree.accountNode('320000000001');
    assert.ok(account);
    const [, s3, sqs] = await api.explorer.tree.getChildren(account);
    assert.equal(s3.kind, 'group');
    const buckets = await api.explorer.tree.getChildren(s3);
    const receipts = buckets.find((n) => n.kind === 'resource' && n.finding.name === 'acme-payments-prod-receipts');
    assert.ok(receipts && receipts.kind === 'resource', 'the locked bucket is listed');
    assert.equal(receipts.finding.verdict, 'locked');
    const tooltip = api.explorer.tree.getTreeItem(receipts).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /"Sid": "DenyEveryone"/, 'the tooltip shows the locking statement');
    assert.equal(api.explorer.tree.getTreeItem(receipts).contextValue, 'bucket.locked');
    assert.ok(!buckets.some((n) => n.kind === 'resource' && n.finding.name === 'acme-payments-prod-artifacts'), 'an ordinary policy is not flagged');
    const queues = await api.explorer.tree.getChildren(sqs);
    const settlement = queues.find((n) => n.kind === 'resource' && n.finding.name === 'payments-settlement');
    assert.ok(settlement && settlement.kind === 'resource');
    assert.equal(settlement.finding.verdict, 'locked');
    assert.equal(api.explorer.tree.getTreeItem(settlement).contextValue, 'queue.locked');
  });

  it('shows a permanently failing OU as an error node with retry, never as a smaller tree', async () => {
    const control = sandboxControl(sandbox.endpoint);
    const state = await control.state();
    const dev = state.ous.find((o) => o.name === 'Dev');
    assert.ok(dev, 'the sample org has a Dev OU');
    await control.faults({ failTargets: [dev.id] });
    try {
      await vscode.commands.executeCommand('rootTasks.refreshOrganization');
      const nodes = await walk();
      assert.ok(nodes.some((n) => n.kind === 'notice' && /Listing incomplete/.test(n.message)), 'the tree says it is incomplete');
      const devNode = nodes.find((n) => n.kind === 'ou' && n.ou.id === dev.id);
      assert.ok(devNode);
      const children = await api.explorer.tree.getChildren(devNode);
      assert.equal(children[0].kind, 'error', 'an error node heads the failed OU');
      const item = api.explorer.tree.getTreeItem(children[0]);
      assert.equal(item.command?.command, 'rootTasks.retryListing');
      // What was listed before the failure stays visible under the error node.
      assert.ok(children.some((n) => n.kind === 'account'), 'the cached accounts of the OU stay');
      await control.faults({});
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      const after = await api.explorer.tree.getChildren(devNode);
      assert.ok(!after.some((n) => n.kind === 'error'), 'retry clears the error');
      assert.ok(!(await walk()).some((n) => n.kind === 'notice'), 'and the tree is complete again');
    } finally {
      await control.faults({});
    }
  });

  it('shows the first page of a large OU at once, with a Loading row, then all of it', async () => {
    const control = sandboxControl(sandbox.endpoint);
    // The sample organization (same management credentials) with a new top-level OU of 45
    // accounts, and slow pages: that OU's first listing takes three round trips. (A parent listed
    // before keeps its listing until a new one is complete, so the OU must be new to the index.)
    const seed = structuredClone(sampleSeed) as unknown as { ous: Array<{ name: string; accounts?: Array<Record<string, unknown>> }> };
    const accounts = Array.from({ length: 45 }, (_, i) => ({ id: String(390000000100 + i), name: `Research ${i}`, email: `research-${i}@acme.example` }));
    seed.ous.push({ name: 'Research', accounts });
    await control.seed(seed as never);
    await control.faults({ latencyMs: 300 });
    try {
      const state = await control.state();
      const big = state.ous.find((o) => o.name === 'Research')!;
      const size = state.accounts.filter((a) => a.parentId === big.id).length;
      assert.equal(size, 45);
      const refreshing = vscode.commands.executeCommand('rootTasks.refreshOrganization');
      const ouNode = async () => {
        const nodes = await walkTo(big.id);
        return nodes.find((n) => n.kind === 'ou' && n.ou.id === big.id);
      };
      const partial = await until('the OU shown while its listing is still going (a Loading row)', async () => {
        const node = await ouNode();
        return node ? await api.explorer.tree.getChildren(node) : [];
      }, (children) => children.some((n) => n.kind === 'loading'));
      const shown = partial.filter((n) => n.kind === 'account').length;
      assert.ok(shown >= 20 && shown < size, `${shown} of ${size} accounts shown from the first pages`);
      assert.equal(partial.at(-1)!.kind, 'loading', 'the Loading row comes last');
      assert.equal(api.explorer.tree.getTreeItem(partial.at(-1)!).label, 'Loading…');
      await refreshing;
      const all = await api.explorer.tree.getChildren((await ouNode())!);
      assert.ok(!all.some((n) => n.kind === 'loading'));
      assert.equal(all.filter((n) => n.kind === 'account').length, size);
    } finally {
      await freshSandbox();
      await vscode.commands.executeCommand('rootTasks.refreshOrganization');
    }
  });

  it('ignores an endpoint set in the workspace settings', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tier opens a workspace folder');
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    // A dead port: if the extension followed it, the refresh below would fail. VS Code drops
    // workspace values of machine-scoped settings like these, so nothing shows when it has read
    // them; the marker (a window-scoped setting the refresh does not use) in the same file does.
    const marker = `host-test-${process.pid}-${Date.now()}`;
    const workspaceMarker = () => vscode.workspace.getConfiguration('rootTasks').inspect<string>('scan.roleName')?.workspaceValue;
    fs.writeFileSync(settingsFile, JSON.stringify({ 'rootTasks.endpointUrl': 'http://127.0.0.1:9', 'rootTasks.region': 'eu-west-3', 'rootTasks.scan.roleName': marker }));
    try {
      await until('VS Code to read the workspace settings file', workspaceMarker, (v) => v === marker);
      const control = sandboxControl(sandbox.endpoint);
      await control.clearRequests();
      await vscode.commands.executeCommand('rootTasks.refreshOrganization');
      const calls = await control.requests({ service: 'organizations' });
      assert.ok(calls.length > 0, 'the refresh still went to the user-configured sandbox');
      assert.equal(api.explorer.org.state, 'ready');
      assert.equal(vscode.workspace.getConfiguration('rootTasks').inspect('endpointUrl')?.globalValue, sandbox.endpoint);
    } finally {
      fs.rmSync(settingsFile, { force: true });
      await until('VS Code to drop the removed workspace settings', workspaceMarker, (v) => v === undefined);
    }
  });
});
