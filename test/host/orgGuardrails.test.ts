// The organization's SCPs and RCPs in the real extension host against the sample organization:
// Network Hub (OU Infrastructure) sits under a Control Tower-style root deny without the
// aws:AssumedRoot exemption. Its account is marked in the tree with the policy and the fix, its
// unlock is refused before any AssumeRoot, and once the exemption is added in the organization
// and the organization refreshed, the same unlock goes through.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DescribePolicyCommand, ListPoliciesCommand, OrganizationsClient, UpdatePolicyCommand } from '@aws-sdk/client-organizations';
import type { UnlockResult } from '../../src/flows/unlock';
import { readFixture } from '../support/fixtures';
import type { SandboxFixtureInfo } from '../support/sandboxFixture';
import { WHY, unlockHarness, type UnlockHarness } from './support/unlockHarness';

const NETWORK_HUB = '310000000003';
const FLOW_LOGS = 'acme-network-flow-logs';
const unlockBucket = (args: object) => vscode.commands.executeCommand<UnlockResult | undefined>('rootTasks.unlockBucketPolicy', { ...WHY, ...args });

describe('organization guardrails for root sessions (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
    await h.api.explorer.org.refresh();
    await h.control.clearRequests();
  });
  after(async () => {
    // Later suites see the seed's policies again, in the sandbox and in the extension's cache.
    await h?.control.reset();
    await h?.api.explorer.org.refresh();
    h?.dispose();
  });

  it('marks the blocked account in the tree: the policy, where it is attached, the statement and the fix', async () => {
    const tree = h.api.explorer.tree;
    const node = tree.accountNode(NETWORK_HUB);
    assert.ok(node, 'Network Hub is in the tree');
    const item = tree.getTreeItem(node);
    assert.match(String(item.description), /blocked by org policy: all root tasks/);
    // Policy text goes in as text (escaped markdown); read it back as shown.
    const tooltip = (item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tooltip, /aws-guardrails-restrict-root-user/);
    assert.match(tooltip, /OU "Infrastructure"/);
    assert.match(tooltip, /GRRESTRICTROOTUSER/);
    assert.match(tooltip, /aws:AssumedRoot/);
    const exempt = tree.getTreeItem(tree.accountNode('340000000001')!);
    assert.doesNotMatch(String(exempt.description), /blocked/, 'the OU under the exempting policy is not marked');
  });

  it('refuses the unlock before any AssumeRoot, naming the policy; after the exemption and a refresh the same unlock succeeds', async () => {
    assert.equal(await unlockBucket({ accountId: NETWORK_HUB, bucket: FLOW_LOGS, decision: 'delete' }), undefined);
    assert.match(h.errors(), /aws-guardrails-restrict-root-user/);
    assert.match(h.errors(), /"Null": \{"aws:AssumedRoot": "true"\}/);
    assert.deepEqual(h.kinds(), ['guardrail.refused']);
    assert.deepEqual(await h.rootCalls(), [], 'no AssumeRoot reached the sandbox');

    const info = readFixture<SandboxFixtureInfo>('sandbox')!;
    const credentials = { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey };
    const org = new OrganizationsClient({ endpoint: info.endpoint, region: info.region, credentials, maxAttempts: 1 });
    try {
      const policies = await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
      const id = policies.Policies!.find((p) => p.Name === 'aws-guardrails-restrict-root-user')!.Id!;
      const doc = JSON.parse((await org.send(new DescribePolicyCommand({ PolicyId: id }))).Policy!.Content!);
      doc.Statement[0].Condition.Null = { 'aws:AssumedRoot': 'true' };
      await org.send(new UpdatePolicyCommand({ PolicyId: id, Content: JSON.stringify(doc) }));
    } finally {
      org.destroy();
    }
    await vscode.commands.executeCommand('rootTasks.refreshOrganization');
    await h.api.explorer.org.refresh();
    assert.doesNotMatch(String(h.api.explorer.tree.getTreeItem(h.api.explorer.tree.accountNode(NETWORK_HUB)!).description), /blocked/);
    h.events.length = 0;
    const result = await unlockBucket({ accountId: NETWORK_HUB, bucket: FLOW_LOGS, decision: 'delete' });
    assert.equal(result?.outcome, 'deleted', h.errors());
    assert.deepEqual((await h.rootCalls()).map((c) => c.operation), ['AssumeRoot', 'GetBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'GetBucketPolicy']);
  });
});
