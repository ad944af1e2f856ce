// Organizations against the sandbox with the real SDK: the tree, 20-item pages with opaque
// NextTokens (and configurable empty pages), account State, who may read, and the input errors.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListChildrenCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { assumeRoot, assumeScanRole, rejectsWith, SAMPLE, type Creds } from './helpers';

describe('sandbox Organizations', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControl;
  let org: OrganizationsClient;
  const client = (creds: Creds) => new OrganizationsClient({ endpoint: sandbox.endpoint, region: sandbox.region, credentials: creds, maxAttempts: 1 });

  before(async () => {
    sandbox = await startSandbox();
    control = sandboxControl(sandbox.endpoint);
    org = client(sandbox.management);
  });
  beforeEach(() => control.reset());
  after(() => sandbox.close());

  test('DescribeOrganization and ListRoots', async () => {
    const o = (await org.send(new DescribeOrganizationCommand({}))).Organization!;
    assert.deepEqual([o.Id, o.FeatureSet, o.MasterAccountId, o.MasterAccountEmail], ['o-acme7k2p9q4x', 'ALL', SAMPLE.management, 'aws-management@acme.example']);
    assert.equal(o.Arn, `arn:aws:organizations::${SAMPLE.management}:organization/o-acme7k2p9q4x`);
    const roots = (await org.send(new ListRootsCommand({}))).Roots!;
    assert.deepEqual(roots.map((r) => [r.Id, r.Name]), [['r-ac3e', 'Root']]);
  });

  test('the tree: OUs, accounts and children per parent, parents per child, nested paths', async () => {
    const top = (await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-ac3e' }))).OrganizationalUnits!;
    assert.deepEqual(top.map((o) => o.Name), ['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']);
    const workloads = top.find((o) => o.Name === 'Workloads')!;
    assert.match(workloads.Id!, /^ou-ac3e-[a-z0-9]{8}$/);
    const envs = (await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: workloads.Id }))).OrganizationalUnits!;
    const prod = envs.find((o) => o.Name === 'Prod')!;
    assert.equal(prod.Path, `o-acme7k2p9q4x/r-ac3e/${workloads.Id}/${prod.Id}/`);
    const accounts = (await org.send(new ListAccountsForParentCommand({ ParentId: prod.Id }))).Accounts!;
    assert.deepEqual(accounts.map((a) => a.Name), ['Payments Prod', 'Storefront Prod', 'Data Lake Prod']);
    assert.equal(accounts[0]!.Paths?.[0], `o-acme7k2p9q4x/r-ac3e/${workloads.Id}/${prod.Id}/${SAMPLE.paymentsProd}/`);
    const kids = await org.send(new ListChildrenCommand({ ParentId: workloads.Id, ChildType: 'ORGANIZATIONAL_UNIT' }));
    assert.deepEqual(kids.Children?.map((c) => c.Type), ['ORGANIZATIONAL_UNIT', 'ORGANIZATIONAL_UNIT']);
    const rootAccounts = await org.send(new ListChildrenCommand({ ParentId: 'r-ac3e', ChildType: 'ACCOUNT' }));
    assert.deepEqual(rootAccounts.Children, [{ Id: SAMPLE.management, Type: 'ACCOUNT' }]);
    assert.deepEqual((await org.send(new ListParentsCommand({ ChildId: SAMPLE.paymentsProd }))).Parents, [{ Id: prod.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    assert.deepEqual((await org.send(new ListParentsCommand({ ChildId: workloads.Id }))).Parents, [{ Id: 'r-ac3e', Type: 'ROOT' }]);
  });

  test('DescribeAccount with State; unknown ids are not found', async () => {
    const legacy = (await org.send(new DescribeAccountCommand({ AccountId: SAMPLE.legacy }))).Account!;
    assert.deepEqual([legacy.Name, legacy.State, legacy.Status, legacy.JoinedMethod], ['Legacy Marketing', 'SUSPENDED', 'SUSPENDED', 'CREATED']);
    assert.ok(legacy.JoinedTimestamp instanceof Date);
    await rejectsWith(org.send(new DescribeAccountCommand({ AccountId: '999999999999' })), 'AccountNotFoundException');
    await rejectsWith(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-ac3e-zzzzzzzz' })), 'ParentNotFoundException');
    await rejectsWith(org.send(new ListParentsCommand({ ChildId: '999999999999' })), 'ChildNotFoundException');
    await rejectsWith(org.send(new ListChildrenCommand({ ParentId: 'r-ac3e', ChildType: 'BUCKET' as never })), 'InvalidInputException');
    await rejectsWith(org.send(new DescribeAccountCommand({ AccountId: 'not-an-id' })), 'InvalidInputException');
  });

  test('MaxResults is 1–20; NextTokens are opaque and bound to their call', async () => {
    const e = await rejectsWith(org.send(new ListAccountsCommand({ MaxResults: 21 })), 'InvalidInputException');
    assert.equal((e as unknown as { Reason?: string }).Reason, 'MAX_VALUE_EXCEEDED');
    await rejectsWith(org.send(new ListAccountsCommand({ MaxResults: 0 })), 'InvalidInputException');
    const first = await org.send(new ListAccountsCommand({ MaxResults: 5 }));
    assert.equal(first.Accounts?.length, 5);
    assert.ok(first.NextToken);
    const second = await org.send(new ListAccountsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    assert.notEqual(second.Accounts?.[0]?.Id, first.Accounts?.[0]?.Id);
    await rejectsWith(org.send(new ListRootsCommand({ NextToken: first.NextToken })), 'InvalidInputException');
    await rejectsWith(org.send(new ListAccountsCommand({ NextToken: 'forged' })), 'InvalidInputException');
    const all = [];
    for await (const page of paginateListAccounts({ client: org, pageSize: 20 }, {})) all.push(...(page.Accounts ?? []));
    assert.equal(all.length, 12);
  });

  test('empty pages with a NextToken: a client that follows NextToken still gets every account', async () => {
    await control.seed({ generate: { accounts: 120, ous: 8, bucketsPerAccount: 0, queuesPerAccount: 0 } });
    const c = client(sandbox.management);
    await control.faults({ emptyPageRate: 0.5, seed: 7 });
    let empty = 0;
    const ids = new Set<string>();
    for await (const page of paginateListAccounts({ client: c, pageSize: 20 }, {})) {
      if (!page.Accounts?.length) empty++;
      for (const a of page.Accounts ?? []) ids.add(a.Id!);
    }
    assert.ok(empty > 0, 'some pages came back empty');
    assert.equal(ids.size, 121);
  });

  test('who may read: management and the delegated administrator; members, scan roles and root sessions may not', async () => {
    assert.equal((await client(SAMPLE.delegatedAdminUser).send(new ListAccountsCommand({}))).Accounts?.length, 12);
    await rejectsWith(client(SAMPLE.delegatedAdminUser).send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'config.amazonaws.com' })), 'AccessDeniedException');
    await rejectsWith(client(SAMPLE.memberUser).send(new ListAccountsCommand({})), 'AccessDeniedException');
    const member = (await client(SAMPLE.memberUser).send(new DescribeOrganizationCommand({}))).Organization;
    assert.equal(member?.MasterAccountId, SAMPLE.management, 'any member may describe its organization');
    await rejectsWith(client(await assumeScanRole(sandbox, SAMPLE.paymentsProd)).send(new ListRootsCommand({})), 'AccessDeniedException');
    await rejectsWith(client(await assumeRoot(sandbox, SAMPLE.paymentsProd, 'S3UnlockBucketPolicy')).send(new DescribeOrganizationCommand({})), 'AccessDeniedException');
  });

  test('trusted access and delegated administrators', async () => {
    const listed = await org.send(new ListAWSServiceAccessForOrganizationCommand({}));
    assert.deepEqual(listed.EnabledServicePrincipals?.map((s) => s.ServicePrincipal), ['iam.amazonaws.com']);
    await org.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    assert.deepEqual((await org.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals, []);
    await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    assert.equal((await control.state()).organization.trustedServices[0], 'iam.amazonaws.com');
    await rejectsWith(org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'not a principal' })), 'InvalidInputException');
    const admins = await org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    assert.deepEqual(admins.DelegatedAdministrators?.map((a) => a.Id), [SAMPLE.security]);
  });
});
