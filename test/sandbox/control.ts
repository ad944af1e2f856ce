// The control API under /_sandbox/ (JSON, unsigned): arrange and inspect the sandbox from tests,
// benchmarks and the demo. Never reachable through an AWS client (no service uses that path).
import { FaultConfigError } from './faults';
import { generateOrg } from './generate';
import { PolicyError } from './policyDocument';
import { parseBucketPolicy, parseQueuePolicy } from './resourcePolicies';
import type { Sandbox } from './sandbox';
import { SeedError } from './seed';
import { secretsOf, stateView } from './stateView';
import type { FaultConfig, GenerateOptions, SeedOrg } from './types';

export interface ControlResponse {
  status: number;
  body: unknown;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function json(body: Buffer): Record<string, unknown> {
  if (!body.length) return {};
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ControlError(400, 'the body must be a JSON object');
}

function counts(sandbox: Sandbox) {
  const s = sandbox.state;
  let queues = 0;
  for (const a of s.accounts.values()) queues += a.queues.size;
  return { accounts: s.accounts.size, ous: s.ous.size, buckets: s.buckets.size, queues, managementAccountId: s.org.managementAccountId };
}

function setResourcePolicy(sandbox: Sandbox, kind: 'buckets' | 'queues', accountId: string, name: string, region: string, text: string | null) {
  const state = sandbox.state;
  if (kind === 'buckets') {
    const bucket = state.buckets.get(name);
    if (!bucket || bucket.accountId !== accountId) throw new ControlError(404, `account ${accountId} has no bucket ${name}`);
    if (text === null) delete bucket.policy;
    else bucket.policy = parseBucketPolicy(text, name);
    return { bucket: name, policy: bucket.policy?.text ?? null };
  }
  const queue = state.queue(accountId, region, name);
  if (!queue) throw new ControlError(404, `account ${accountId} has no queue ${name} in ${region}`);
  if (text === null) delete queue.policy;
  else queue.policy = parseQueuePolicy(text, queue.arn);
  queue.modified = sandbox.now();
  return { queue: name, policy: queue.policy?.text ?? null };
}

function organization(sandbox: Sandbox, body: Record<string, unknown>) {
  const org = sandbox.state.org;
  if (body.featureSet !== undefined) {
    if (body.featureSet !== 'ALL' && body.featureSet !== 'CONSOLIDATED_BILLING') throw new ControlError(400, 'featureSet is ALL or CONSOLIDATED_BILLING');
    org.featureSet = body.featureSet;
  }
  if (typeof body.trustedAccessForIam === 'boolean') {
    if (body.trustedAccessForIam) org.trustedServices.set('iam.amazonaws.com', sandbox.now());
    else org.trustedServices.delete('iam.amazonaws.com');
  }
  if (typeof body.rootCredentialsManagement === 'boolean') org.features.RootCredentialsManagement = body.rootCredentialsManagement;
  if (typeof body.rootSessions === 'boolean') org.features.RootSessions = body.rootSessions;
  if (body.delegatedAdministrator !== undefined) {
    org.delegatedAdmins.clear();
    const id = body.delegatedAdministrator;
    if (id !== null) {
      if (typeof id !== 'string' || !sandbox.state.accounts.has(id) || id === org.managementAccountId) {
        throw new ControlError(400, 'delegatedAdministrator must be a member account id or null');
      }
      org.delegatedAdmins.set(id, { services: new Set(['iam.amazonaws.com']), since: sandbox.now() });
    }
  }
  return stateView(sandbox, org.managementAccountId).organization;
}

function route(sandbox: Sandbox, method: string, path: string, query: URLSearchParams, body: Buffer): unknown {
  const policyRoute = /^\/_sandbox\/(buckets|queues)\/(\d{12})\/([^/]+)\/policy$/.exec(path);
  if (policyRoute && (method === 'PUT' || method === 'DELETE')) {
    const text = method === 'DELETE' || !body.length ? null : body.toString('utf8');
    const region = query.get('region') ?? sandbox.region;
    return setResourcePolicy(sandbox, policyRoute[1] as 'buckets' | 'queues', policyRoute[2]!, decodeURIComponent(policyRoute[3]!), region, text);
  }
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /_sandbox/health': {
      // CPU time of the process serving the sandbox: benchmarks divide requests by it.
      const cpu = process.cpuUsage();
      return { ok: true, endpoint: sandbox.endpoint(), region: sandbox.region, pid: process.pid, cpuMs: (cpu.user + cpu.system) / 1000, ...counts(sandbox) };
    }
    case 'POST /_sandbox/reset':
      sandbox.reset();
      return counts(sandbox);
    case 'POST /_sandbox/seed': {
      const input = json(body);
      try {
        sandbox.load(input.generate ? generateOrg(input.generate as GenerateOptions) : (input as unknown as SeedOrg));
      } catch (e) {
        if (e instanceof SeedError) throw e;
        throw new ControlError(400, `invalid seed: ${(e as Error).message}`);
      }
      return counts(sandbox);
    }
    case 'GET /_sandbox/state':
      return stateView(sandbox, query.get('account') ?? undefined);
    case 'GET /_sandbox/requests': {
      const since = query.get('since');
      const filter: Record<string, unknown> = { since: since ? Number(since) : undefined };
      for (const k of ['service', 'operation', 'accountId', 'principalType', 'outcome', 'accessKeyId']) {
        const v = query.get(k);
        if (v !== null) filter[k] = v;
      }
      return sandbox.log.list(filter);
    }
    case 'DELETE /_sandbox/requests':
      sandbox.log.clear();
      return { ok: true };
    case 'GET /_sandbox/faults':
      return sandbox.faults.current;
    case 'POST /_sandbox/faults':
      sandbox.faults.set(json(body) as FaultConfig);
      return sandbox.faults.current;
    case 'GET /_sandbox/issued-credentials':
      return { credentials: sandbox.issued, secrets: secretsOf(sandbox) };
    case 'GET /_sandbox/cloudtrail':
      return {
        events: sandbox.trail.all().map((e) => ({
          eventId: e.eventId, eventName: e.eventName, eventTime: e.eventTime.toISOString(), recipientAccountId: e.recipientAccountId, accessKeyId: e.accessKeyId,
          ...(e.resources.find((r) => r.ResourceType === 'AWS::IAM::AccessKey') ? { issuedAccessKeyId: e.resources.find((r) => r.ResourceType === 'AWS::IAM::AccessKey')!.ResourceName } : {}),
        })),
      };
    case 'POST /_sandbox/organization':
      return organization(sandbox, json(body));
    case 'POST /_sandbox/clock': {
      const offset = json(body).offsetSeconds;
      if (typeof offset !== 'number' || !Number.isFinite(offset)) throw new ControlError(400, 'offsetSeconds must be a number');
      sandbox.clockOffsetMs = offset * 1000;
      return { now: sandbox.now().toISOString(), offsetSeconds: offset };
    }
    case 'POST /_sandbox/date-header': {
      const offset = json(body).offsetSeconds;
      if (typeof offset !== 'number' || !Number.isFinite(offset)) throw new ControlError(400, 'offsetSeconds must be a number');
      sandbox.dateHeaderOffsetMs = offset * 1000;
      return { offsetSeconds: offset };
    }
    case 'POST /_sandbox/sso/tokens': {
      const b = json(body);
      if (typeof b.accessToken !== 'string' || b.accessToken.length < 8) throw new ControlError(400, 'accessToken must be a string of 8 or more characters');
      const seconds = typeof b.expiresInSeconds === 'number' ? b.expiresInSeconds : 3600;
      const user = typeof b.user === 'string' ? b.user : 'sso-user@example.com';
      sandbox.ssoTokens.set(b.accessToken, { expiresAt: new Date(sandbox.now().getTime() + seconds * 1000), user });
      return { registered: true, expiresInSeconds: seconds };
    }
    case 'POST /_sandbox/sessions/expire': {
      const only = json(body).accessKeyId;
      let expired = 0;
      for (const c of sandbox.state.credentials.values()) {
        if (c.sessionToken !== undefined && (only === undefined || c.accessKeyId === only)) {
          c.expiration = new Date(sandbox.now().getTime() - 1000);
          expired++;
        }
      }
      return { expired };
    }
    default:
      throw new ControlError(404, `no control route ${key}`);
  }
}

export function handleControl(sandbox: Sandbox, method: string, path: string, query: URLSearchParams, body: Buffer): ControlResponse {
  try {
    return { status: 200, body: route(sandbox, method, path, query, body) };
  } catch (e) {
    if (e instanceof ControlError) return { status: e.status, body: { error: e.message } };
    if (e instanceof SeedError || e instanceof PolicyError || e instanceof FaultConfigError) return { status: 400, body: { error: e.message } };
    throw e;
  }
}
