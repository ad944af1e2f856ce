// Resource-policy shapes the generator (and the sample seed) use: the ways a bucket or queue policy
// locks everyone out in practice, one that only shuts out the scan role, and harmless ones.

export type PolicyShape =
  | 'deny-star' // Principal "*" denies every action
  | 'deny-aws-star-policy-actions' // {"AWS":"*"} denies the policy-management actions
  | 'not-principal' // Deny with NotPrincipal naming a principal that no longer exists
  | 'always-true-condition' // Deny to "*" guarded by a condition every signed request meets
  | 'suspected' // denies only the scan role reading the policy
  | 'fine'; // an ordinary Allow for a sibling role

export const LOCKING_SHAPES: readonly PolicyShape[] = ['deny-star', 'deny-aws-star-policy-actions', 'not-principal', 'always-true-condition'];

type Service = 's3' | 'sqs';

function resources(service: Service, arn: string): string | string[] {
  return service === 's3' ? [arn, `${arn}/*`] : arn;
}

/** A policy document of the given shape for a bucket (`arn:aws:s3:::name`) or queue ARN. */
export function shapedPolicy(shape: PolicyShape, service: Service, arn: string, accountId: string): Record<string, unknown> {
  const all = `${service}:*`;
  const policyActions = service === 's3' ? 's3:*Policy*' : 'sqs:*QueueAttributes';
  const readPolicy = service === 's3' ? 's3:GetBucketPolicy' : 'sqs:GetQueueAttributes';
  const res = resources(service, arn);
  const statement = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] });
  switch (shape) {
    case 'deny-star':
      return statement({ Sid: 'DenyEveryone', Effect: 'Deny', Principal: '*', Action: all, Resource: res });
    case 'deny-aws-star-policy-actions':
      return statement({ Sid: 'FreezePolicy', Effect: 'Deny', Principal: { AWS: '*' }, Action: policyActions, Resource: res });
    case 'not-principal':
      return statement({
        Sid: 'OnlyFormerAdmin',
        Effect: 'Deny',
        NotPrincipal: { AWS: `arn:aws:iam::${accountId}:user/former-admin` },
        Action: all,
        Resource: res,
      });
    case 'always-true-condition':
      return statement({
        Sid: 'DenyUnlessNobody',
        Effect: 'Deny',
        Principal: '*',
        Action: all,
        Resource: res,
        Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:*' } },
      });
    case 'suspected':
      return statement({
        Sid: 'HideFromAuditors',
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole` },
        Action: readPolicy,
        Resource: res,
      });
    case 'fine':
      return statement({
        Sid: 'AppReadAccess',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:role/app` },
        Action: service === 's3' ? 's3:GetObject' : 'sqs:ReceiveMessage',
        Resource: service === 's3' ? `${arn}/*` : arn,
      });
  }
}
