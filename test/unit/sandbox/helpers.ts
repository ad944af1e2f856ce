// Shared pieces of the sandbox tests: real SDK v3 clients pointed at a sandbox, sessions
// (scan role, root tasks) taken over HTTP, and a helper that awaits the error name the SDK surfaces.
import assert from 'node:assert/strict';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'node:fs';
import { SAMPLE_SEED_PATH, type SandboxHandle, type SeedOrg } from '../../sandbox/index';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Account ids of the sample organization (test/sandbox/seeds/sample-org.json). */
export const SAMPLE = {
  management: '210987654321',
  security: '310000000001',
  logArchive: '310000000002',
  network: '310000000003',
  paymentsProd: '320000000001',
  storefrontProd: '320000000002',
  dataLakeProd: '320000000003',
  paymentsDev: '330000000001',
  storefrontDev: '330000000002',
  sandboxAlice: '340000000001',
  sandboxBob: '340000000002',
  legacy: '350000000001',
  /** Keys seeded in the sample: the IAM delegated administrator's user and a member-account CI user. */
  delegatedAdminUser: { accessKeyId: 'AKIASANDBOXDELEGATE1', secretAccessKey: 'sandboxDelegatedAdminKey/NotForAWS+01234' },
  memberUser: { accessKeyId: 'AKIASANDBOXMEMBERCI1', secretAccessKey: 'sandboxMemberCiKey/NotForAWS+0123456789a' },
} as const;

/** A fresh copy of the sample organization's seed, to vary in a test. */
export function sampleSeed(): SeedOrg {
  return JSON.parse(readFileSync(SAMPLE_SEED_PATH, 'utf8')) as SeedOrg;
}

export type TaskName = 'IAMAuditRootUserCredentials' | 'IAMCreateRootUserPassword' | 'IAMDeleteRootUserCredentials' | 'S3UnlockBucketPolicy' | 'SQSUnlockQueuePolicy';

export const taskArn = (task: TaskName) => `arn:aws:iam::aws:policy/root-task/${task}`;

export interface Clients {
  sts: STSClient;
  iam: IAMClient;
  org: OrganizationsClient;
  s3: S3Client;
  sqs: SQSClient;
}

/** One client per service, no retries (tests assert the first answer), region us-east-1 unless given. */
export function clients(handle: SandboxHandle, credentials: Creds, region = handle.region): Clients {
  const cfg = { endpoint: handle.endpoint, region, credentials, maxAttempts: 1 };
  return {
    sts: new STSClient(cfg),
    iam: new IAMClient(cfg),
    org: new OrganizationsClient(cfg),
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    sqs: new SQSClient(cfg),
  };
}

export function destroyAll(c: Clients): void {
  for (const client of Object.values(c)) client.destroy();
}

function toCreds(c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds {
  assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'credentials returned');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

export async function assumeRoot(handle: SandboxHandle, accountId: string, task: TaskName, caller: Creds = handle.management, duration?: number): Promise<Creds> {
  const sts = new STSClient({ endpoint: handle.endpoint, region: handle.region, credentials: caller, maxAttempts: 1 });
  try {
    const r = await sts.send(new AssumeRootCommand({ TargetPrincipal: accountId, TaskPolicyArn: { arn: taskArn(task) }, DurationSeconds: duration }));
    return toCreds(r.Credentials);
  } finally {
    sts.destroy();
  }
}

export async function assumeScanRole(handle: SandboxHandle, accountId: string, caller: Creds = handle.management): Promise<Creds> {
  const sts = new STSClient({ endpoint: handle.endpoint, region: handle.region, credentials: caller, maxAttempts: 1 });
  try {
    const r = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'scan' }),
    );
    return toCreds(r.Credentials);
  } finally {
    sts.destroy();
  }
}

/** Awaits a rejection and checks the error name the SDK surfaces; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, name: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    return err;
  }
  assert.fail(`expected the call to fail with ${name}`);
}
