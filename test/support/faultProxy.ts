// An HTTP proxy on 127.0.0.1 in front of any AWS endpoint (the sandbox, moto_server) that can be
// taken down (connections destroyed) or made to throttle (every n-th request answered with the
// service's throttling error), so the same destination suite exercises outages and throttling
// whatever the endpoint. The Host header is forwarded unchanged: SigV4 signatures stay valid.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = { kind: 'up' } | { kind: 'down' } | { kind: 'throttle'; every: number };

export interface FaultProxy {
  readonly endpoint: string;
  set(mode: ProxyMode): void;
  readonly counts: { forwarded: number; refused: number; throttled: number };
  close(): Promise<void>;
}

/** CloudWatch Logs and other JSON services: ThrottlingException; S3: 503 SlowDown. */
function throttle(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers['x-amz-target']) {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'proxy-throttle' }).end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
  } else {
    res.writeHead(503, { 'content-type': 'application/xml', 'x-amz-request-id': 'proxythrottle' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
  }
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const to = new URL(target);
  let mode: ProxyMode = { kind: 'up' };
  let n = 0;
  const counts = { forwarded: 0, refused: 0, throttled: 0 };
  const server: Server = createServer((req, res) => {
    if (mode.kind === 'down') {
      counts.refused++;
      req.socket.destroy();
      return;
    }
    if (mode.kind === 'throttle' && ++n % mode.every !== 0) {
      counts.throttled++;
      req.resume();
      req.on('end', () => throttle(req, res));
      return;
    }
    counts.forwarded++;
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (m) => {
      mode = m;
      n = 0;
    },
    counts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
