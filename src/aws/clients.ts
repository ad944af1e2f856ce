import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { STSClient } from '@aws-sdk/client-sts';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { state as nodeVersionWarning } from '@aws-sdk/core/client';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

// The SDK warns once per process that it wants Node 22. In the extension host that Node is
// VS Code's, which no user of this extension can change, so the warning is only noise in their
// Extension Host log. Marked as already shown in this bundle's copy of the SDK only: the
// environment switch for it would silence it for every other extension in the host too.
nodeVersionWarning.warningEmitted = true;

export interface ClientOptions {
  region: string;
  /** Custom endpoint (the sandbox, an emulator). Undefined means AWS. */
  endpoint?: string;
  /** Attempts per call for 5xx and network errors; throttling is retried by the limiter, per key. */
  maxAttempts?: number;
  /** Told about every call, with allow-listed fields only (see CallRecord). */
  onCall?: (call: CallRecord) => void;
  /** Told the `Date` header of every response (each attempt) and the local time it arrived. */
  onServerDate?: (serverMs: number, localMs: number) => void;
  /** Sockets shared with other clients of the same context (see sharedHttpHandler); destroying these clients leaves it open. */
  http?: SharedHttpHandler;
}

/**
 * What the call log may contain: names, status, ids and timings. Never the request or response,
 * so credentials, session tokens and policy contents cannot reach a log through it.
 */
export interface CallRecord {
  service: string;
  operation: string;
  status: number | undefined;
  requestId: string | undefined;
  attempts: number | undefined;
  ms: number;
  error?: string;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface ServiceClients {
  sts: STSClient;
  iam: IAMClient;
  organizations: OrganizationsClient;
  s3: S3Client;
  sqs: SQSClient;
  /** The management account's event history (CloudTrail correlation of root sessions). */
  cloudtrail: CloudTrailClient;
  /** The audit trail's CloudWatch Logs destination (the operator's credentials only). */
  logs: CloudWatchLogsClient;
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
    retryStrategy: leaveThrottlingToLimiter(options.maxAttempts ?? 8),
    // A root session's client sends the same few commands many times (GetBucketPolicy per bucket):
    // its middleware stack is resolved once per command instead of on every call.
    cacheMiddleware: true,
    ...(options.http ? { requestHandler: options.http.borrow() } : {}),
  };
  // Built on first use: a root session for an S3 unlock never needs its IAM or SQS client.
  const made: Partial<Omit<ServiceClients, 'destroy'>> = {};
  const lazy = <K extends keyof typeof made>(key: K, build: () => NonNullable<(typeof made)[K]>) => () => (made[key] ??= build());
  const logged = <C extends Client>(client: C) => {
    if (options.onServerDate) withServerDate(client, options.onServerDate);
    return options.onCall ? withCallLog(client, options.onCall) : client;
  };
  const sts = lazy('sts', () => logged(new STSClient(common)));
  // IAM and Organizations are global services; the SDK routes them itself for real AWS.
  const iam = lazy('iam', () => logged(new IAMClient(common)));
  const organizations = lazy('organizations', () => logged(new OrganizationsClient(common)));
  // Path style: the sandbox and emulators serve one host, not bucket subdomains.
  const s3 = lazy('s3', () => logged(new S3Client({ ...common, forcePathStyle: options.endpoint !== undefined })));
  // Requests go to the region's endpoint (or the custom one), never to the host a queue URL names:
  // a queue URL can come from a command argument, and a root session's signature must not reach
  // anyone but AWS.
  const sqs = lazy('sqs', () => logged(new SQSClient({ ...common, useQueueUrlAsEndpoint: false })));
  const cloudtrail = lazy('cloudtrail', () => logged(new CloudTrailClient(common)));
  const logs = lazy('logs', () => logged(new CloudWatchLogsClient(common)));
  return {
    get sts() { return sts(); },
    get iam() { return iam(); },
    get organizations() { return organizations(); },
    get s3() { return s3(); },
    get sqs() { return sqs(); },
    get cloudtrail() { return cloudtrail(); },
    get logs() { return logs(); },
    destroy() {
      for (const client of Object.values(made)) client.destroy();
    },
  };
}

/**
 * One pool of keep-alive sockets for every client of a context: the management clients and each
 * short root or role session's clients. Without it every session's clients opened (and closed)
 * their own connections — a TCP handshake per session and a socket pool per client. Credentials
 * never travel with a socket (each request is signed by the client that sends it), so sharing the
 * pool shares nothing secret. The clients get a view whose destroy() is a no-op; the context
 * destroys the pool once, when it is disposed.
 */
export interface SharedHttpHandler {
  borrow(): BorrowedHandler;
  destroy(): void;
}

type BorrowedHandler = Pick<NodeHttpHandler, 'handle' | 'destroy' | 'metadata' | 'updateHttpClientConfig' | 'httpHandlerConfigs'>;

export function sharedHttpHandler(): SharedHttpHandler {
  const handler = new NodeHttpHandler();
  const borrowed: BorrowedHandler = {
    metadata: handler.metadata,
    handle: (request, options) => handler.handle(request, options),
    updateHttpClientConfig: (key, value) => handler.updateHttpClientConfig(key, value),
    httpHandlerConfigs: () => handler.httpHandlerConfigs(),
    destroy: () => undefined,
  };
  return { borrow: () => borrowed, destroy: () => handler.destroy() };
}

type Client = STSClient | IAMClient | OrganizationsClient | S3Client | SQSClient | CloudTrailClient | CloudWatchLogsClient;

interface CallMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

/** Adds the allow-listed call log as the outermost middleware, so it sees retries as one call. */
function withCallLog<C extends Client>(client: C, onCall: (call: CallRecord) => void): C {
  (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: unknown) => Promise<{ output: { $metadata?: CallMetadata } }>, context: { clientName?: string; commandName?: string }) =>
      async (args: unknown) => {
        const started = performance.now();
        const base = { service: (context.clientName ?? '').replace(/Client$/, ''), operation: (context.commandName ?? '').replace(/Command$/, '') };
        try {
          const result = await next(args);
          const m = result.output.$metadata ?? {};
          onCall({ ...base, status: m.httpStatusCode, requestId: m.requestId, attempts: m.attempts, ms: performance.now() - started });
          return result;
        } catch (err) {
          const m = ((err as { $metadata?: CallMetadata }).$metadata ?? {}) as CallMetadata;
          const name = err instanceof Error ? err.name : 'Error';
          onCall({ ...base, status: m.httpStatusCode, requestId: m.requestId, attempts: m.attempts, ms: performance.now() - started, error: name });
          throw err;
        }
      },
    { step: 'initialize', name: 'rootTasksCallLog', override: true },
  );
  return client;
}

/**
 * Reads the `Date` header of each response, errors included, at the deserialize step (inside
 * retries, so every attempt counts). No extra request: the clock-skew check uses what AWS sends.
 */
function withServerDate(client: Client, onServerDate: (serverMs: number, localMs: number) => void): void {
  const seen = (response: unknown) => {
    const headers = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
    const date = headers?.date ?? headers?.Date;
    const serverMs = date ? Date.parse(date) : NaN;
    if (Number.isFinite(serverMs)) onServerDate(serverMs, Date.now());
  };
  (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: unknown) => Promise<{ response?: unknown }>) => async (args: unknown) => {
      try {
        const result = await next(args);
        seen(result.response);
        return result;
      } catch (err) {
        seen((err as { $response?: unknown }).$response);
        throw err;
      }
    },
    { step: 'deserialize', name: 'rootTasksServerDate', override: true },
  );
}

/**
 * The SDK's standard retries for 5xx and network errors, but none for throttling: a throttling
 * answer goes back to our limiter (src/core/rateLimit.ts), which slows that (service, account) key
 * and retries there. The SDK's adaptive mode would instead slow the whole client, i.e. every
 * account a management client calls for, and hide the throttle from the per-key pace.
 */
function leaveThrottlingToLimiter(maxAttempts: number): RetryStrategyV2 {
  const standard = new StandardRetryStrategy(maxAttempts);
  return {
    acquireInitialRetryToken: (scope: string) => standard.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token: StandardRetryToken, info: RetryErrorInfo) => {
      if (info.errorType === 'THROTTLING') return Promise.reject(new Error('throttled: retried by the limiter'));
      return standard.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token: StandardRetryToken) => standard.recordSuccess(token),
  } as RetryStrategyV2;
}
