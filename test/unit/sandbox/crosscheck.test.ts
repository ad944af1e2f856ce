// The shared cross-check suite (crossCheck.ts) against the sandbox and against moto_server.
// moto is arranged through its own APIs (CreateOrganization, CreateAccount, CreateBucket, ...);
// the sandbox from an equivalent seed. Where moto differs from AWS (not the sandbox from AWS):
//  - it accepts MaxResults above 20 (AWS: InvalidInputException);
//  - a forged NextToken is InvalidToken (AWS: InvalidInputException);
//  - ListParents of an unknown child is AccountNotFoundException (AWS: ChildNotFoundException);
//  - ListBuckets never returns BucketRegion (AWS: when any parameter is given);
//  - it re-serializes queue policies (the checks compare policies as JSON, not text);
//  - attaching to an unknown account is AccountNotFoundException (AWS: TargetNotFoundException).
import { after, before, describe, test } from 'node:test';
import { CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type SandboxHandle, type SeedAccount, type SeedOrg, type SeedOu } from '../../sandbox/index';
import { CROSS_CHECKS, LAYOUT, type CrossCheckTarget } from './crossCheck';
import { motoInstalled, startMoto, type Moto } from './motoServer';

function sandboxSeed(): SeedOrg {
  const ous = new Map<string, SeedOu>();
  const top: SeedOu[] = [];
  for (const path of LAYOUT.ous) {
    const parts = path.split('/');
    const ou: SeedOu = { name: parts.at(-1)!, ous: [], accounts: [] };
    ous.set(path, ou);
    if (parts.length === 1) top.push(ou);
    else ous.get(parts.slice(0, -1).join('/'))!.ous!.push(ou);
  }
  LAYOUT.accounts.forEach((a, i) => {
    const account: SeedAccount = { id: String(400000000001 + i), name: a.name };
    if (a.name === LAYOUT.holder) {
      account.buckets = [{ name: LAYOUT.bucket }];
      account.queues = [{ name: LAYOUT.queue }];
    }
    ous.get(a.ou)!.accounts!.push(account);
  });
  return {
    management: { id: '400000000000', name: 'Management', user: { userName: 'crosscheck', accessKeyId: 'AKIACROSSCHECK000001', secretAccessKey: 'crossCheckSecretForTheSandboxOnly/000000' } },
    ous: top,
  };
}

describe('cross-check: sandbox', () => {
  let sandbox: SandboxHandle;
  let target: CrossCheckTarget;
  before(async () => {
    sandbox = await startSandbox({ seed: sandboxSeed() });
    target = {
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      management: sandbox.management,
      managementAccountId: sandbox.managementAccountId,
      holderAccountId: String(400000000001 + LAYOUT.accounts.findIndex((a) => a.name === LAYOUT.holder)),
      quirks: {
        rejectsMaxResultsOver20: true, forgedTokenError: 'InvalidInputException', unknownChildError: 'ChildNotFoundException', bucketRegionWithParameters: true,
        unknownTargetError: 'TargetNotFoundException',
      },
    };
  });
  after(() => sandbox.close());
  for (const check of CROSS_CHECKS) test(check.name, () => check.run(target));
});

/** Builds LAYOUT in moto through the APIs a real organization would use. */
async function arrangeMoto(endpoint: string): Promise<CrossCheckTarget> {
  const management = { accessKeyId: 'AKIAMOTOMANAGEMENT01', secretAccessKey: 'motoDoesNotCheckSecretsButTheSdkSignsAll' };
  const cfg = { endpoint, region: 'us-east-1', credentials: management, maxAttempts: 1 };
  const org = new OrganizationsClient(cfg);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const ouIds = new Map<string, string>([['', rootId]]);
  for (const path of LAYOUT.ous) {
    const parts = path.split('/');
    const parent = ouIds.get(parts.slice(0, -1).join('/'))!;
    const ou = await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: parts.at(-1)! }));
    ouIds.set(path, ou.OrganizationalUnit!.Id!);
  }
  let holderAccountId = '';
  for (const a of LAYOUT.accounts) {
    const r = await org.send(new CreateAccountCommand({ AccountName: a.name, Email: `${a.name.replace(/\W/g, '').toLowerCase()}@example.com` }));
    const id = r.CreateAccountStatus!.AccountId!;
    await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouIds.get(a.ou)! }));
    if (a.name === LAYOUT.holder) holderAccountId = id;
  }
  org.destroy();
  const sts = new STSClient(cfg);
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${holderAccountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'arrange' }))).Credentials!;
  sts.destroy();
  const holder = { ...cfg, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } };
  const s3 = new S3Client({ ...holder, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: LAYOUT.bucket }));
  s3.destroy();
  const sqs = new SQSClient(holder);
  await sqs.send(new CreateQueueCommand({ QueueName: LAYOUT.queue }));
  sqs.destroy();
  return {
    endpoint,
    region: 'us-east-1',
    management,
    managementAccountId: created.Organization!.MasterAccountId!,
    holderAccountId,
    quirks: {
      rejectsMaxResultsOver20: false, forgedTokenError: 'InvalidToken', unknownChildError: 'AccountNotFoundException', bucketRegionWithParameters: false,
      unknownTargetError: 'AccountNotFoundException',
    },
  };
}

const skipMoto = motoInstalled() ? false : 'moto_server is not installed: the moto cross-check is skipped (pip install "moto[server]")';

describe('cross-check: moto_server', { skip: skipMoto }, () => {
  let moto: Moto | undefined;
  let target: CrossCheckTarget;
  before(async () => {
    moto = await startMoto();
    target = await arrangeMoto(moto.endpoint);
  });
  after(async () => {
    await moto?.stop();
  });
  for (const check of CROSS_CHECKS) test(check.name, () => check.run(target));
});
