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
  // Built on first use: a root session for an S3 unlock never needs its IAM or SQS client.
  const made: Partial<Omit<ServiceClients, 'destroy'>> = {};
  const lazy = <K extends keyof typeof made>(key: K, build: () => NonNullable<(typeof made)[K]>) => () => (made[key] ??= build());
  const sts = lazy('sts', () => new STSClient(common));
  // IAM and Organizations are global services; the SDK routes them itself for real AWS.
  const iam = lazy('iam', () => new IAMClient(common));
  const organizations = lazy('organizations', () => new OrganizationsClient(common));
  // Path style: the sandbox and emulators serve one host, not bucket subdomains.
  const s3 = lazy('s3', () => new S3Client({ ...common, forcePathStyle: options.endpoint !== undefined }));
  const sqs = lazy('sqs', () => new SQSClient(common));
  return {
    get sts() { return sts(); },
    get iam() { return iam(); },
    get organizations() { return organizations(); },
    get s3() { return s3(); },
    get sqs() { return sqs(); },
    destroy() {
      for (const client of Object.values(made)) client.destroy();
    },
  };
}
