// One client-side check suite for the parts another emulator (moto) also implements: the
// Organizations tree calls, S3 bucket policy calls and SQS queue attributes. Run against the
// sandbox and against moto_server, it shows the sandbox answers as an implementation nobody here
// wrote does. Targets declare where they knowingly differ (`quirks`, documented by each target).
import assert from 'node:assert/strict';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListTargetsForPolicyCommand,
  UpdatePolicyCommand,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, ListBucketsCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SetQueueAttributesCommand, SQSClient, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { rejectsWith, type Creds } from './helpers';

/** The organization every target is arranged with: OUs by path, accounts by OU path. */
export const LAYOUT = {
  ous: ['Security', 'Workloads', 'Workloads/Prod', 'Workloads/Dev'],
  accounts: [
    { name: 'Security Tooling', ou: 'Security' },
    { name: 'Shared Services', ou: 'Workloads' },
    { name: 'Payments Prod', ou: 'Workloads/Prod' },
    { name: 'Storefront Prod', ou: 'Workloads/Prod' },
    { name: 'Payments Dev', ou: 'Workloads/Dev' },
  ],
  /** The account that holds the bucket and the queue. */
  holder: 'Payments Prod',
  bucket: 'crosscheck-payments-receipts',
  queue: 'crosscheck-settlement',
} as const;

export interface CrossCheckTarget {
  endpoint: string;
  region: string;
  management: Creds;
  managementAccountId: string;
  /** Account id of LAYOUT.holder. */
  holderAccountId: string;
  quirks: {
    /** AWS rejects MaxResults > 20 (InvalidInputException). */
    rejectsMaxResultsOver20: boolean;
    /** Error name for a forged NextToken (AWS: InvalidInputException). */
    forgedTokenError: string;
    /** Error name for ListParents of an unknown child (AWS: ChildNotFoundException). */
    unknownChildError: string;
    /** AWS returns BucketRegion when ListBuckets has any parameter. */
    bucketRegionWithParameters: boolean;
    /** Error name for attaching a policy to an unknown account (AWS: TargetNotFoundException). */
    unknownTargetError: string;
  };
}

const cfg = (t: CrossCheckTarget, credentials: Creds) => ({ endpoint: t.endpoint, region: t.region, credentials, maxAttempts: 1 });

async function holderCredentials(t: CrossCheckTarget): Promise<Creds> {
  const sts = new STSClient(cfg(t, t.management));
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${t.holderAccountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'crosscheck' }));
  sts.destroy();
  const c = r.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** Follows NextToken to the end with one-item pages. */
async function all<T>(page: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await page(token);
    out.push(...(r.items ?? []));
    token = r.next;
  } while (token);
  return out;
}

async function walkTree(org: OrganizationsClient, rootId: string): Promise<{ tree: Record<string, string[]>; ids: Record<string, string> }> {
  const tree: Record<string, string[]> = {};
  const ids: Record<string, string> = { '': rootId };
  const visit = async (parentId: string, path: string) => {
    const accounts = await all((NextToken) =>
      org.send(new ListAccountsForParentCommand({ ParentId: parentId, MaxResults: 1, NextToken })).then((r) => ({ items: r.Accounts, next: r.NextToken })),
    );
    tree[path] = accounts.map((a) => a.Name!).sort();
    for (const a of accounts) ids[a.Name!] = a.Id!;
    const ous = await all((NextToken) =>
      org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, MaxResults: 1, NextToken })).then((r) => ({ items: r.OrganizationalUnits, next: r.NextToken })),
    );
    for (const ou of ous) {
      const child = path ? `${path}/${ou.Name}` : ou.Name!;
      ids[child] = ou.Id!;
      await visit(ou.Id!, child);
    }
  };
  await visit(rootId, '');
  return { tree, ids };
}

function expectedTree(): Record<string, string[]> {
  const tree: Record<string, string[]> = { '': [] };
  for (const ou of LAYOUT.ous) tree[ou] = [];
  for (const a of LAYOUT.accounts) tree[a.ou]!.push(a.name);
  for (const k of Object.keys(tree)) tree[k]!.sort();
  return tree;
}

export const CROSS_CHECKS: { name: string; run(t: CrossCheckTarget): Promise<void> }[] = [
  {
    name: 'Organizations: the tree walked with one-item pages; children and parents agree',
    async run(t) {
      const org = new OrganizationsClient(cfg(t, t.management));
      const roots = (await org.send(new ListRootsCommand({}))).Roots!;
      assert.equal(roots.length, 1);
      const { tree, ids } = await walkTree(org, roots[0]!.Id!);
      const rootAccounts = tree['']!;
      tree[''] = rootAccounts.filter((n) => ids[n] !== t.managementAccountId);
      assert.equal(rootAccounts.length, tree['']!.length + 1, 'the management account sits under the root');
      assert.deepEqual(tree, expectedTree());
      const workloads = ids.Workloads!;
      const children = await org.send(new ListChildrenCommand({ ParentId: workloads, ChildType: 'ORGANIZATIONAL_UNIT' }));
      assert.deepEqual(children.Children?.map((c) => c.Id).sort(), [ids['Workloads/Prod'], ids['Workloads/Dev']].sort());
      const accountChildren = await org.send(new ListChildrenCommand({ ParentId: workloads, ChildType: 'ACCOUNT' }));
      assert.deepEqual(accountChildren.Children, [{ Id: ids['Shared Services'], Type: 'ACCOUNT' }]);
      const parents = await org.send(new ListParentsCommand({ ChildId: ids['Payments Prod'] }));
      assert.deepEqual(parents.Parents, [{ Id: ids['Workloads/Prod'], Type: 'ORGANIZATIONAL_UNIT' }]);
      const ouParents = await org.send(new ListParentsCommand({ ChildId: workloads }));
      assert.deepEqual(ouParents.Parents, [{ Id: roots[0]!.Id, Type: 'ROOT' }]);
      org.destroy();
    },
  },
  {
    name: 'Organizations: ListAccounts pages to every account; DescribeAccount; unknown ids',
    async run(t) {
      const org = new OrganizationsClient(cfg(t, t.management));
      const accounts = await all((NextToken) => org.send(new ListAccountsCommand({ MaxResults: 2, NextToken })).then((r) => ({ items: r.Accounts, next: r.NextToken })));
      assert.equal(accounts.length, LAYOUT.accounts.length + 1);
      const holder = accounts.find((a) => a.Id === t.holderAccountId)!;
      const described = (await org.send(new DescribeAccountCommand({ AccountId: holder.Id }))).Account!;
      assert.deepEqual([described.Name, described.Status, described.State], [LAYOUT.holder, 'ACTIVE', 'ACTIVE']);
      await rejectsWith(org.send(new DescribeAccountCommand({ AccountId: '999999999999' })), 'AccountNotFoundException');
      await rejectsWith(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-abcd-zzzzzzzz' })), 'ParentNotFoundException');
      await rejectsWith(org.send(new ListParentsCommand({ ChildId: '999999999999' })), t.quirks.unknownChildError);
      await rejectsWith(org.send(new ListAccountsCommand({ NextToken: 'forged' })), t.quirks.forgedTokenError);
      if (t.quirks.rejectsMaxResultsOver20) await rejectsWith(org.send(new ListAccountsCommand({ MaxResults: 21 })), 'InvalidInputException');
      else assert.ok((await org.send(new ListAccountsCommand({ MaxResults: 21 }))).Accounts);
      org.destroy();
    },
  },
  {
    name: 'S3: bucket policy round trip in a member account; ListBuckets; unknown buckets',
    async run(t) {
      const s3 = new S3Client({ ...cfg(t, await holderCredentials(t)), forcePathStyle: true });
      const listed = await s3.send(new ListBucketsCommand({ MaxBuckets: 10 }));
      const bucket = listed.Buckets?.find((b) => b.Name === LAYOUT.bucket);
      assert.ok(bucket, 'the member account lists its bucket');
      assert.equal(bucket.BucketRegion, t.quirks.bucketRegionWithParameters ? t.region : undefined);
      await rejectsWith(s3.send(new GetBucketPolicyCommand({ Bucket: LAYOUT.bucket })), 'NoSuchBucketPolicy');
      // A policy that does not lock the caller out: moto does not enforce policies, AWS and the sandbox do.
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'KeepTheBucket', Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${LAYOUT.bucket}` }],
      });
      await s3.send(new PutBucketPolicyCommand({ Bucket: LAYOUT.bucket, Policy: policy }));
      assert.deepEqual(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: LAYOUT.bucket }))).Policy!), JSON.parse(policy));
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: LAYOUT.bucket }));
      await rejectsWith(s3.send(new GetBucketPolicyCommand({ Bucket: LAYOUT.bucket })), 'NoSuchBucketPolicy');
      await rejectsWith(s3.send(new GetBucketPolicyCommand({ Bucket: 'crosscheck-no-such-bucket' })), 'NoSuchBucket');
      s3.destroy();
    },
  },
  {
    name: 'SQS: queue URL, attributes, a policy set and removed with Policy = ""',
    async run(t) {
      const sqs = new SQSClient(cfg(t, await holderCredentials(t)));
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: LAYOUT.queue }))).QueueUrl!;
      assert.ok(url.endsWith(`/${t.holderAccountId}/${LAYOUT.queue}`), url);
      assert.ok((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'crosscheck-' }))).QueueUrls?.includes(url));
      const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
      assert.equal(attrs.QueueArn, `arn:aws:sqs:${t.region}:${t.holderAccountId}:${LAYOUT.queue}`);
      assert.equal(attrs.VisibilityTimeout, '30');
      assert.equal(attrs.Policy, undefined);
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: 'sqs:DeleteQueue', Resource: attrs.QueueArn }],
      });
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy, VisibilityTimeout: '45' } }));
      const after = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy', 'VisibilityTimeout'] }))).Attributes!;
      assert.deepEqual(JSON.parse(after.Policy!), JSON.parse(policy));
      assert.equal(after.VisibilityTimeout, '45');
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } }));
      assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }))).Attributes?.Policy, undefined);
      await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'crosscheck-no-such-queue' })), 'QueueDoesNotExist');
      await rejectsWith(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as QueueAttributeName] })), 'InvalidAttributeName');
      sqs.destroy();
    },
  },
  {
    name: 'Organizations policies: enable SCPs, FullAWSAccess, create / describe / update / attach / detach, targets, errors',
    async run(t) {
      const org = new OrganizationsClient(cfg(t, t.management));
      const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
      const enabled = await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
      assert.deepEqual(enabled.Root!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
      assert.equal(enabled.Root!.Id, rootId);
      assert.deepEqual((await org.send(new ListRootsCommand({}))).Roots![0]!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
      await rejectsWith(org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })), 'PolicyTypeAlreadyEnabledException');
      await rejectsWith(org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' })), 'PolicyTypeNotEnabledException');

      const listed = (await org.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
      const full = listed.find((p) => p.Id === 'p-FullAWSAccess')!;
      assert.deepEqual({ ...full, Arn: undefined }, { Id: 'p-FullAWSAccess', Arn: undefined, Name: 'FullAWSAccess', Description: 'Allows access to every operation', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: true });
      const fullContent = JSON.parse((await org.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' }))).Policy!.Content!);
      assert.deepEqual(fullContent.Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);

      const { ids } = await walkTree(org, rootId);
      const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } } }] });
      const created = await org.send(new CreatePolicyCommand({ Name: 'DenyRoot', Description: 'no root', Type: 'SERVICE_CONTROL_POLICY', Content: content }));
      const summary = created.Policy!.PolicySummary!;
      assert.match(summary.Id!, /^p-[a-z0-9]{8}$/);
      assert.match(summary.Arn!, new RegExp(`^arn:aws:organizations::${t.managementAccountId}:policy/o-[a-z0-9]+/service_control_policy/${summary.Id}$`));
      assert.deepEqual([summary.Name, summary.Description, summary.Type, summary.AwsManaged, created.Policy!.Content], ['DenyRoot', 'no root', 'SERVICE_CONTROL_POLICY', false, content]);
      await rejectsWith(org.send(new CreatePolicyCommand({ Name: 'DenyRoot', Description: 'again', Type: 'SERVICE_CONTROL_POLICY', Content: content })), 'DuplicatePolicyException');
      assert.deepEqual((await org.send(new DescribePolicyCommand({ PolicyId: summary.Id! }))).Policy, created.Policy);
      const updated = await org.send(new UpdatePolicyCommand({ PolicyId: summary.Id!, Name: 'DenyRootUser' }));
      assert.deepEqual([updated.Policy!.PolicySummary!.Name, updated.Policy!.Content], ['DenyRootUser', content]);
      await rejectsWith(org.send(new DescribePolicyCommand({ PolicyId: 'p-00000000' })), 'PolicyNotFoundException');

      await org.send(new AttachPolicyCommand({ PolicyId: summary.Id!, TargetId: ids['Workloads/Prod']! }));
      await org.send(new AttachPolicyCommand({ PolicyId: summary.Id!, TargetId: ids['Payments Dev']! }));
      await rejectsWith(org.send(new AttachPolicyCommand({ PolicyId: summary.Id!, TargetId: '999999999999' })), t.quirks.unknownTargetError);
      const targets = async () => ((await org.send(new ListTargetsForPolicyCommand({ PolicyId: summary.Id! }))).Targets ?? [])
        .map((x) => ({ TargetId: x.TargetId, Name: x.Name, Type: x.Type, arn: /^arn:aws:organizations::\d{12}:(ou|account)\/o-[a-z0-9]+\//.test(x.Arn ?? '') }))
        .sort((a, b) => a.TargetId!.localeCompare(b.TargetId!));
      assert.deepEqual(await targets(), [
        { TargetId: ids['Payments Dev'], Name: 'Payments Dev', Type: 'ACCOUNT', arn: true },
        { TargetId: ids['Workloads/Prod'], Name: 'Prod', Type: 'ORGANIZATIONAL_UNIT', arn: true },
      ].sort((a, b) => a.TargetId!.localeCompare(b.TargetId!)));
      const onProd = (await org.send(new ListPoliciesForTargetCommand({ TargetId: ids['Workloads/Prod']!, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!.map((p) => p.Name).sort();
      assert.deepEqual(onProd, ['DenyRootUser', 'FullAWSAccess'], 'FullAWSAccess stays attached to every target');
      await org.send(new DetachPolicyCommand({ PolicyId: summary.Id!, TargetId: ids['Workloads/Prod']! }));
      assert.deepEqual((await targets()).map((x) => x.Name), ['Payments Dev']);

      const disabled = await org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
      assert.deepEqual(disabled.Root!.PolicyTypes, []);
      org.destroy();
    },
  },
];
