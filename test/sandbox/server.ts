// The HTTP server: one port on 127.0.0.1 for every service and the /_sandbox/ control API.
// Per AWS request: read the body, identify service and operation, apply injected latency and
// resets, authenticate, throttle, inject 5xx, run the operation, answer, log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate } from './auth';
import type { CallContext } from './context';
import { trailEventFor } from './cloudTrail';
import { handleControl } from './control';
import { identify, invoke, renderError, type Outgoing } from './dispatch';
import { ApiError, errorOf } from './errors';
import { requestId as newRequestId } from './ids';
import type { RequestLogEntry } from './requestLog';
import type { Sandbox } from './sandbox';
import { getRoleCredentials } from './sso';
import { parseAuthorization, parseQueryString, type RawRequest } from './sigv4';

const MAX_BODY = 2 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) resolve(undefined);
      else chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, out: Outgoing, dateOffsetMs = 0): void {
  // Node writes the real time; AWS writes its own clock, which is what a client's skew check sees.
  const date = dateOffsetMs ? { date: new Date(Date.now() + dateOffsetMs).toUTCString() } : {};
  res.writeHead(out.status, { ...out.headers, ...date, 'content-length': Buffer.byteLength(out.body) });
  res.end(out.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function handleAws(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse, raw: RawRequest): Promise<void> {
  const started = performance.now();
  const requestId = newRequestId();
  const auth = parseAuthorization(req.headers.authorization);
  const id = identify(raw, auth);
  if (!id) {
    const scope = typeof auth === 'object' ? auth.service : '?';
    sendJson(res, 400, { __type: 'UnknownServiceException', message: `The sandbox does not emulate the service "${scope}".` });
    return;
  }
  const { service, operation } = id;
  const entry: Omit<RequestLogEntry, 'seq'> = {
    time: new Date().toISOString(),
    service,
    operation,
    outcome: 'success',
    httpStatus: 200,
    requestId,
    durationMs: 0,
  };
  const finish = (status: number, outcome: RequestLogEntry['outcome'], errorCode?: string) => {
    entry.httpStatus = status;
    entry.outcome = outcome;
    if (errorCode) entry.errorCode = errorCode;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    sandbox.log.add(entry);
  };

  const delay = sandbox.faults.latencyMs(service);
  if (delay > 0) await sleep(delay);
  if (sandbox.faults.shouldReset(service)) {
    finish(0, 'reset');
    req.socket.destroy();
    return;
  }

  let ctx: CallContext | undefined;
  try {
    if (auth === 'missing') throw errorOf(service, 'missingAuth');
    if (auth === 'malformed') throw errorOf(service, 'incompleteSignature');
    entry.accessKeyId = auth.accessKeyId;
    const state = sandbox.state;
    const caller = await authenticate(state, sandbox, service, raw, auth);
    entry.principalArn = caller.principal.arn;
    entry.principalType = caller.principal.type;
    entry.accountId = caller.principal.accountId;
    if (caller.taskPolicyArn) entry.taskPolicyArn = caller.taskPolicyArn;
    if (sandbox.faults.throttled(service, Date.now())) throw errorOf(service, 'throttled');
    const quotaCall = { service, operation, account: caller.principal.accountId, method: raw.method, path: raw.path };
    if (sandbox.faults.overQuota(quotaCall, Date.now())) throw errorOf(service, 'throttled');
    if (sandbox.faults.shouldFail(service)) throw errorOf(service, 'internal');
    ctx = {
      runtime: sandbox,
      state,
      caller,
      service,
      operation,
      region: auth.region,
      requestId,
      now: sandbox.now(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    };
    const out = invoke(ctx, id, raw, auth);
    if (sandbox.faults.failsTarget(ctx.target)) throw errorOf(service, 'internal', `Injected permanent failure for ${ctx.target}`);
    if (ctx.target) entry.target = ctx.target;
    if (ctx.logDetail) entry.detail = ctx.logDetail;
    const trail = trailEventFor(ctx);
    if (trail) sandbox.trail.add(trail);
    send(res, out, sandbox.dateHeaderOffsetMs);
    finish(out.status, 'success');
  } catch (e) {
    if (ctx?.target) entry.target = ctx.target;
    const err = e instanceof ApiError ? e : errorOf(service, 'internal', `Sandbox failure: ${(e as Error).message}`);
    const trail = ctx && trailEventFor(ctx, { code: err.code, message: err.message });
    if (trail) sandbox.trail.add(trail);
    send(res, renderError(service, err, requestId, raw.method), sandbox.dateHeaderOffsetMs);
    finish(err.status, 'error', err.extra.queryCode ?? err.code);
  }
}

async function handle(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const body = await readBody(req);
  if (!body) {
    sendJson(res, 413, { message: 'Request body too large' });
    return;
  }
  if (path === '/federation/credentials' && req.method === 'GET') {
    send(res, getRoleCredentials(sandbox, req, new URLSearchParams(rawQuery)), sandbox.dateHeaderOffsetMs);
    return;
  }
  if (path.startsWith('/_sandbox/')) {
    const r = handleControl(sandbox, req.method ?? 'GET', path, new URLSearchParams(rawQuery), body);
    sendJson(res, r.status, r.body);
    return;
  }
  await handleAws(sandbox, req, res, { method: req.method ?? 'GET', path, query: parseQueryString(rawQuery), headers: req.headers, body });
}

export function createSandboxServer(sandbox: Sandbox): Server {
  const server = createServer((req, res) => {
    handle(sandbox, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `Sandbox failure: ${(e as Error).message}` });
      else res.destroy();
    });
  });
  // Longer than the SDK's idle sockets live, so a reused keep-alive socket is never closed under it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
