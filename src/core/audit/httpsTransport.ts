import * as https from 'node:https';
import { rootCertificates } from 'node:tls';

export interface SinkResponse {
  status: number;
  /** From a Retry-After header (seconds form), if the sink sent one. */
  retryAfterMs?: number;
}

/** How the delivery worker reaches the sink; one POST per batch. */
export interface SinkTransport {
  post(body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<SinkResponse>;
  dispose(): void;
}

export interface HttpsTransportOptions {
  url: string;
  /** PEM of a private CA for internal endpoints, trusted in addition to the public roots. */
  caPem?: string;
  /** The whole request (connect, send, response) must finish within this. */
  timeoutMs: number;
}

/** A transport failure: the code (ECONNREFUSED, ECONNRESET, TIMEOUT, a TLS code) and a short text. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Only https:// URLs are accepted: the batch carries the audit trail and its signature. */
export function parseSinkUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('The audit sink URL is not a valid URL.');
  }
  if (url.protocol !== 'https:') throw new Error('The audit sink URL must start with https://.');
  if (url.username || url.password) throw new Error('The audit sink URL must not contain credentials; the batches are signed instead.');
  return url;
}

/** Node's https only (no editor APIs, no SDK); one kept-alive connection, no redirects followed. */
export function createHttpsTransport(options: HttpsTransportOptions): SinkTransport {
  const url = parseSinkUrl(options.url);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: options.caPem ? [...rootCertificates, options.caPem] : undefined,
  });
  const origin = url.origin;
  return {
    dispose: () => agent.destroy(),
    post: (body, headers, signal) =>
      new Promise<SinkResponse>((resolve, reject) => {
        if (signal.aborted) return reject(new TransportError('ABORTED', 'delivery stopped'));
        const req = https.request(url, {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'aws-root-tasks-audit' },
        });
        const timer = setTimeout(() => req.destroy(new TransportError('TIMEOUT', `no response from ${origin} within ${options.timeoutMs} ms`)), options.timeoutMs);
        const onAbort = () => req.destroy(new TransportError('ABORTED', 'delivery stopped'));
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        };
        req.on('error', (err) => {
          done();
          reject(err instanceof TransportError ? err : describe(err, origin));
        });
        req.on('response', (res) => {
          // The body is not needed; drain it so the connection can be reused.
          res.resume();
          res.on('error', (err) => {
            done();
            reject(describe(err, origin));
          });
          res.on('end', () => {
            done();
            resolve({ status: res.statusCode ?? 0, retryAfterMs: retryAfter(res.headers['retry-after']) });
          });
        });
        req.end(body);
      }),
  };
}

function describe(err: Error, origin: string): TransportError {
  const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
  // Only the origin is named: a path or query string may carry a token.
  return new TransportError(code, `${code} from ${origin}: ${err.message.split('\n')[0]}`);
}

function retryAfter(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
