// The AWS CLI (v1, botocore) against the sandbox: another SDK's signing and protocol handling.
// Each call runs in a subprocess with its own environment — no config or credentials files, a
// throw-away HOME that must stay empty. Skipped with a reason when `aws` is not installed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxControl, startSandbox, type SandboxHandle } from '../../sandbox/index';
import { SAMPLE, type Creds } from './helpers';

function findAws(): string | undefined {
  try {
    return execFileSync('which', ['aws'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const AWS = findAws();

describe('sandbox with the AWS CLI', { skip: AWS ? false : 'the AWS CLI (aws) is not installed: CLI cross-check skipped' }, () => {
  let sandbox: SandboxHandle;
  let home: string;

  before(async () => {
    sandbox = await startSandbox();
    home = mkdtempSync(join(tmpdir(), 'sandbox-awscli-'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  });

  function aws(creds: Creds, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_DEFAULT_REGION: sandbox.region,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      AWS_PAGER: '',
    };
    if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
    return new Promise((resolve) => {
      execFile(AWS!, ['--endpoint-url', sandbox.endpoint, '--output', 'json', ...args], { env, cwd: home }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  async function ok(creds: Creds, args: string[]): Promise<Record<string, unknown>> {
    const r = await aws(creds, args);
    assert.equal(r.code, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
  }

  test('identity, AssumeRoot, S3 and SQS policy calls, Organizations paging, IAM features — and errors', async () => {
    const me = await ok(sandbox.management, ['sts', 'get-caller-identity']);
    assert.equal(me.Arn, sandbox.management.arn);

    const accounts = await ok(sandbox.management, ['organizations', 'list-accounts', '--page-size', '5']);
    assert.equal((accounts.Accounts as unknown[]).length, 12, 'the CLI follows NextToken over 5-item pages');
    const features = await ok(sandbox.management, ['iam', 'list-organizations-features']);
    assert.deepEqual(features.EnabledFeatures, ['RootCredentialsManagement', 'RootSessions']);

    const assumed = await ok(sandbox.management, [
      'sts', 'assume-root', '--target-principal', SAMPLE.paymentsProd,
      '--task-policy-arn', 'arn=arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy', '--duration-seconds', '300',
    ]);
    const c = assumed.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const root: Creds = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    const listed = await ok(root, ['s3api', 'list-buckets', '--max-buckets', '2']);
    assert.deepEqual((listed.Buckets as { BucketRegion: string }[]).map((b) => b.BucketRegion), ['us-east-1', 'us-east-1']);
    const policy = await ok(root, ['s3api', 'get-bucket-policy', '--bucket', 'acme-payments-prod-receipts']);
    assert.match(String(policy.Policy), /DenyEveryone/);
    const fixed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::acme-payments-prod-receipts' }] });
    await ok(root, ['s3api', 'put-bucket-policy', '--bucket', 'acme-payments-prod-receipts', '--policy', fixed]);
    const control = sandboxControl(sandbox.endpoint);
    assert.equal((await control.account(SAMPLE.paymentsProd)).buckets.find((b) => b.name === 'acme-payments-prod-receipts')?.policy, fixed);
    await ok(root, ['s3api', 'delete-bucket-policy', '--bucket', 'acme-payments-prod-receipts']);

    const denied = await aws(root, ['sqs', 'list-queues']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDenied/);

    const sqsTask = await ok(sandbox.management, [
      'sts', 'assume-root', '--target-principal', SAMPLE.paymentsProd, '--task-policy-arn', 'arn=arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy',
    ]);
    const s = sqsTask.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const sqsRoot: Creds = { accessKeyId: s.AccessKeyId, secretAccessKey: s.SecretAccessKey, sessionToken: s.SessionToken };
    const queue = `${sandbox.endpoint}/${SAMPLE.paymentsProd}/payments-settlement`;
    const attrs = await ok(sqsRoot, ['sqs', 'get-queue-attributes', '--queue-url', queue, '--attribute-names', 'Policy']);
    assert.match(String((attrs.Attributes as Record<string, string>).Policy), /DenyEveryone/);
    await ok(sqsRoot, ['sqs', 'set-queue-attributes', '--queue-url', queue, '--attributes', 'Policy=']);
    assert.deepEqual(await ok(sqsRoot, ['sqs', 'get-queue-attributes', '--queue-url', queue, '--attribute-names', 'Policy']), {});

    const unknown = await aws({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }, ['sts', 'get-caller-identity']);
    assert.match(unknown.stderr, /InvalidClientTokenId/);
    const log = await control.requests({ principalType: 'root-session' });
    assert.ok(log.length >= 6 && log.every((e) => e.accountId === SAMPLE.paymentsProd));
    assert.deepEqual(readdirSync(home), [], 'the CLI wrote nothing to HOME');
  });
});
