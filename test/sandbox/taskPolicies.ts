// The five AWS-managed root-task policies that scope an AssumeRoot session. AWS publishes them as
// Deny-only session policies: deny everything but the task's actions, deny those on anything but
// the root user (IAM tasks), and deny any resource outside the session's own account. These are
// written to that intent (the allowed action lists are AWS's) and evaluated by policyEval.ts.
import { parsePolicy, type Policy } from './policyDocument';

export const TASK_POLICY_PREFIX = 'arn:aws:iam::aws:policy/root-task/';

export const TASK_ACTIONS = {
  IAMAuditRootUserCredentials: [
    'iam:GetAccessKeyLastUsed', 'iam:GetAccountSummary', 'iam:GetLoginProfile', 'iam:GetUser',
    'iam:ListAccessKeys', 'iam:ListMFADevices', 'iam:ListSigningCertificates',
  ],
  IAMCreateRootUserPassword: ['iam:CreateLoginProfile', 'iam:GetLoginProfile'],
  IAMDeleteRootUserCredentials: [
    'iam:DeactivateMFADevice', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile', 'iam:DeleteSigningCertificate',
    'iam:DeleteVirtualMFADevice', 'iam:GetAccessKeyLastUsed', 'iam:GetLoginProfile', 'iam:GetUser',
    'iam:ListAccessKeys', 'iam:ListMFADevices', 'iam:ListSigningCertificates',
  ],
  S3UnlockBucketPolicy: ['s3:DeleteBucketPolicy', 's3:GetBucketPolicy', 's3:ListAllMyBuckets', 's3:PutBucketPolicy'],
  SQSUnlockQueuePolicy: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListQueues', 'sqs:SetQueueAttributes'],
} as const;

export type TaskName = keyof typeof TASK_ACTIONS;

/** IAM actions that act on a user: under a root task they may only target the root user. */
const USER_SCOPED = [
  'iam:CreateLoginProfile', 'iam:DeactivateMFADevice', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile',
  'iam:DeleteSigningCertificate', 'iam:GetAccessKeyLastUsed', 'iam:GetLoginProfile', 'iam:GetUser',
  'iam:ListAccessKeys', 'iam:ListMFADevices', 'iam:ListSigningCertificates',
];

function document(task: TaskName): string {
  const allowed: readonly string[] = TASK_ACTIONS[task];
  const statements: object[] = [
    { Sid: 'OnlyTaskActions', Effect: 'Deny', NotAction: allowed, Resource: '*' },
    {
      Sid: 'OnlyOwnAccount',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:ResourceAccount': '${aws:PrincipalAccount}' } },
    },
  ];
  const userScoped = allowed.filter((a) => USER_SCOPED.includes(a));
  if (userScoped.length) {
    statements.push({ Sid: 'OnlyRootUser', Effect: 'Deny', Action: userScoped, NotResource: 'arn:aws:iam::*:root' });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const compiled = new Map<string, Policy>(
  (Object.keys(TASK_ACTIONS) as TaskName[]).map((t) => [TASK_POLICY_PREFIX + t, parsePolicy(document(t), 'identity')]),
);

/** The compiled session policy for a task policy ARN, or undefined when it is not one of the five. */
export function taskPolicy(arn: string): Policy | undefined {
  return compiled.get(arn);
}

export const TASK_POLICY_ARNS: readonly string[] = [...compiled.keys()];
