/**
 * The requests each root task makes in the member account (DESIGN.md's task table): what the
 * organization's policies must let through for the task to work. Actions without resource-level
 * permissions (ListAllMyBuckets, ListQueues, GetAccountSummary) are evaluated against `*`.
 */
import type { RootTaskName } from '../tasks';

export interface TaskAction {
  action: string;
  /** `resource`: the task's bucket / queue (any, when not chosen yet); `root`: the account's root user; `*`: none. */
  on: 'resource' | 'root' | '*';
}

const AUDIT: TaskAction[] = [
  { action: 'iam:GetLoginProfile', on: 'root' },
  { action: 'iam:ListAccessKeys', on: 'root' },
  { action: 'iam:ListSigningCertificates', on: 'root' },
  { action: 'iam:ListMFADevices', on: 'root' },
  { action: 'iam:GetAccessKeyLastUsed', on: 'root' },
  { action: 'iam:GetAccountSummary', on: '*' },
];

export const TASK_ACTIONS: Readonly<Record<RootTaskName, readonly TaskAction[]>> = {
  S3UnlockBucketPolicy: [
    { action: 's3:ListAllMyBuckets', on: '*' },
    { action: 's3:GetBucketPolicy', on: 'resource' },
    { action: 's3:PutBucketPolicy', on: 'resource' },
  ],
  SQSUnlockQueuePolicy: [
    { action: 'sqs:ListQueues', on: '*' },
    { action: 'sqs:GetQueueAttributes', on: 'resource' },
    { action: 'sqs:SetQueueAttributes', on: 'resource' },
  ],
  IAMAuditRootUserCredentials: AUDIT,
  IAMDeleteRootUserCredentials: [
    ...AUDIT,
    { action: 'iam:DeleteLoginProfile', on: 'root' },
    { action: 'iam:DeleteAccessKey', on: 'root' },
    { action: 'iam:DeleteSigningCertificate', on: 'root' },
    { action: 'iam:DeactivateMFADevice', on: 'root' },
  ],
  IAMCreateRootUserPassword: [
    { action: 'iam:GetLoginProfile', on: 'root' },
    { action: 'iam:CreateLoginProfile', on: 'root' },
  ],
};

export const GUARDED_TASKS = Object.keys(TASK_ACTIONS) as RootTaskName[];
