/**
 * The five AWS-managed root task policies. There is no API that lists them, so they are fixed
 * here and every ARN the extension sends is checked against this table.
 */
export type RootTaskName =
  | 'S3UnlockBucketPolicy'
  | 'SQSUnlockQueuePolicy'
  | 'IAMAuditRootUserCredentials'
  | 'IAMDeleteRootUserCredentials'
  | 'IAMCreateRootUserPassword';

export interface RootTask {
  name: RootTaskName;
  arn: string;
  /** Short label for the status bar and messages. */
  label: string;
  /** Actions the task policy leaves allowed (everything else is denied to the root session). */
  allowedActions: readonly string[];
}

const arnOf = (name: RootTaskName) => `arn:aws:iam::aws:policy/root-task/${name}`;

export const ROOT_TASKS: Readonly<Record<RootTaskName, RootTask>> = {
  S3UnlockBucketPolicy: {
    name: 'S3UnlockBucketPolicy',
    arn: arnOf('S3UnlockBucketPolicy'),
    label: 'S3 unlock',
    allowedActions: ['s3:DeleteBucketPolicy', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:ListAllMyBuckets'],
  },
  SQSUnlockQueuePolicy: {
    name: 'SQSUnlockQueuePolicy',
    arn: arnOf('SQSUnlockQueuePolicy'),
    label: 'SQS unlock',
    allowedActions: ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes', 'sqs:ListQueues', 'sqs:GetQueueUrl'],
  },
  IAMAuditRootUserCredentials: {
    name: 'IAMAuditRootUserCredentials',
    arn: arnOf('IAMAuditRootUserCredentials'),
    label: 'root audit',
    allowedActions: [
      'iam:ListAccessKeys', 'iam:ListSigningCertificates', 'iam:GetLoginProfile', 'iam:ListMFADevices',
      'iam:GetAccountSummary', 'iam:GetUser', 'iam:GetAccessKeyLastUsed',
    ],
  },
  IAMDeleteRootUserCredentials: {
    name: 'IAMDeleteRootUserCredentials',
    arn: arnOf('IAMDeleteRootUserCredentials'),
    label: 'root delete',
    allowedActions: [
      'iam:DeleteAccessKey', 'iam:DeleteSigningCertificate', 'iam:DeleteLoginProfile', 'iam:DeactivateMFADevice',
      'iam:DeleteVirtualMFADevice', 'iam:ListAccessKeys', 'iam:ListSigningCertificates', 'iam:GetLoginProfile',
      'iam:ListMFADevices', 'iam:GetUser', 'iam:GetAccessKeyLastUsed',
    ],
  },
  IAMCreateRootUserPassword: {
    name: 'IAMCreateRootUserPassword',
    arn: arnOf('IAMCreateRootUserPassword'),
    label: 'password recovery',
    allowedActions: ['iam:CreateLoginProfile', 'iam:GetLoginProfile'],
  },
};

export function taskByArn(arn: string): RootTask | undefined {
  return Object.values(ROOT_TASKS).find((t) => t.arn === arn);
}

/** AssumeRoot accepts 0–900 s; AWS's default is 900. */
export const MAX_ROOT_SESSION_SECONDS = 900;

const ACCOUNT_ID = /^\d{12}$/;
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** "111122223333" → "1111-2222-3333", as the console shows account ids. */
export function formatAccountId(id: string): string {
  return isAccountId(id) ? `${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8)}` : id;
}
