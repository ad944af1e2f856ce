import { STSClient } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface ClientOptions {
  region: string;
  /** Custom endpoint (the sandbox, an emulator). Undefined means AWS. */
  endpoint?: string;
  /** Attempts per call, with adaptive retry (client-side rate limiting on throttling). */
  maxAttempts?: number;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ServiceClients {
  sts: STSClient;
  iam: IAMClient;
  organizations: OrganizationsClient;
  s3: S3Client;
  sqs: SQSClient;
  destroy(): void;
}

/**
 * The one place SDK clients are built. No SDK `logger` is ever set: with one, AssumeRoot's
 * session token and key id are printed in clear. Errors are reported by our own code instead.
 */
export function createClients(credentials: Credentials, options: ClientOptions): ServiceClients {
  const common = {
    region: options.region,
    credentials,
    endpoint: options.endpoint,
    retryMode: 'adaptive' as const,
    maxAttempts: options.maxAttempts ?? 8,
  };
  const made = {
    sts: new STSClient(common),
    // IAM and Organizations are global services; the SDK routes them itself for real AWS.
    iam: new IAMClient(common),
    organizations: new OrganizationsClient(common),
    // Path style: the sandbox and emulators serve one host, not bucket subdomains.
    s3: new S3Client({ ...common, forcePathStyle: options.endpoint !== undefined }),
    sqs: new SQSClient(common),
  };
  return {
    ...made,
    destroy() {
      for (const client of Object.values(made)) client.destroy();
    },
  };
}
