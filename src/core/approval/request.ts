import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../audit/hash';
import { ROOT_TASKS, isAccountId, type RootTaskName } from '../tasks';

/**
 * A root task request: the exact change a second person approves, as a readable file meant to be
 * committed next to the team's runbooks (`<name>.roottask.json`). Approvals are OpenSSH signatures
 * over its canonical bytes (canonicalRequest), so any edit after approval, even one character of
 * the policy, makes every signature fail.
 */
export const REQUEST_FORMAT = 'aws-root-tasks/request@1';
export const REQUEST_SUFFIX = '.roottask.json';
/** The ssh-keygen -Y namespace: a signature made for git commits or another tool does not count here. */
export const SIGNATURE_NAMESPACE = 'aws-root-tasks-request@1';

export interface PolicyChange {
  /** SHA-256 of the policy as it was read when the request was made (the reviewed "before"). */
  beforeSha256: string;
  /** That policy's text, so a reviewer sees the same diff ('' = there was none). */
  before: string;
  /** SHA-256 of `document`; an empty document means the policy is deleted. */
  afterSha256: string;
  /** The exact document to be written (the reviewed "after"). */
  document: string;
}

/** Credential tasks name exactly what is deleted. */
export interface CredentialChange {
  /** The console password (login profile). */
  password: boolean;
  accessKeyIds: string[];
  signingCertificateIds: string[];
  mfaSerials: string[];
}

export interface RootTaskRequestFile {
  format: typeof REQUEST_FORMAT;
  /** A random id: two requests for the same change are two requests (each used once). */
  id: string;
  task: RootTaskName;
  accountId: string;
  resourceArn: string;
  policy?: PolicyChange;
  credentials?: CredentialChange;
  /** The caller identity ARN of the person who will run it. */
  requester: string;
  justification: string;
  ticket: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewRequest {
  task: RootTaskName;
  accountId: string;
  resourceArn: string;
  before?: string;
  after?: string;
  credentials?: CredentialChange;
  requester: string;
  justification: string;
  ticket: string;
  now: Date;
  /** How long the request may wait for approvals and its run. */
  maxAgeSeconds: number;
  id?: string;
}

export function createRequest(r: NewRequest): RootTaskRequestFile {
  const policy = r.after === undefined ? undefined : { beforeSha256: sha256Hex(r.before ?? ''), before: r.before ?? '', afterSha256: sha256Hex(r.after), document: r.after };
  const request: RootTaskRequestFile = {
    format: REQUEST_FORMAT,
    id: r.id ?? randomUUID(),
    task: r.task,
    accountId: r.accountId,
    resourceArn: r.resourceArn,
    ...(policy ? { policy } : {}),
    ...(r.credentials ? { credentials: r.credentials } : {}),
    requester: r.requester,
    justification: r.justification.trim(),
    ticket: r.ticket.trim(),
    createdAt: r.now.toISOString(),
    expiresAt: new Date(r.now.getTime() + r.maxAgeSeconds * 1000).toISOString(),
  };
  return parseRequest(canonicalRequest(request)).request;
}

/**
 * The bytes that are signed: JSON with keys sorted at every level, two-space indent, a final
 * newline. Readable in a diff, and the same for the same request whoever writes it.
 */
export function canonicalRequest(request: RootTaskRequestFile): string {
  return `${JSON.stringify(sortKeys(request), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A request's identity: the SHA-256 of its canonical bytes. */
export function requestSha256(request: RootTaskRequestFile): string {
  return sha256Hex(canonicalRequest(request));
}

export interface ParsedRequest {
  request: RootTaskRequestFile;
  /** canonicalRequest(request): what approvals sign and verify against. */
  canonical: string;
  /** SHA-256 of the canonical bytes: the request's identity in the used-requests record. */
  sha256: string;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** Reads a request file; throws RequestFormatError naming the first field that is wrong. */
export function parseRequest(text: string): ParsedRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RequestFormatError('The root task request is not valid JSON.');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new RequestFormatError('The root task request must be a JSON object.');
  const o = raw as Record<string, unknown>;
  const str = (key: string, re?: RegExp): string => {
    const v = o[key];
    if (typeof v !== 'string' || !v || (re && !re.test(v))) throw new RequestFormatError(`The root task request's "${key}" is missing or malformed.`);
    return v;
  };
  if (o.format !== REQUEST_FORMAT) throw new RequestFormatError(`The file is not a root task request (format "${REQUEST_FORMAT}").`);
  const accountId = str('accountId');
  if (!isAccountId(accountId)) throw new RequestFormatError('The root task request\'s "accountId" is not a 12-digit account id.');
  const request: RootTaskRequestFile = {
    format: REQUEST_FORMAT,
    id: str('id', /^[A-Za-z0-9-]{8,64}$/),
    task: rootTask(str('task')),
    accountId,
    resourceArn: str('resourceArn', /^arn:aws[a-z-]*:/),
    requester: str('requester', /^arn:aws[a-z-]*:(iam|sts)::\d{12}:/),
    justification: str('justification'),
    ticket: typeof o.ticket === 'string' ? o.ticket : '',
    createdAt: str('createdAt', ISO),
    expiresAt: str('expiresAt', ISO),
  };
  if (o.policy !== undefined) request.policy = parsePolicy(o.policy);
  if (o.credentials !== undefined) request.credentials = parseCredentials(o.credentials);
  const known = new Set(['format', 'id', 'task', 'accountId', 'resourceArn', 'policy', 'credentials', 'requester', 'justification', 'ticket', 'createdAt', 'expiresAt']);
  const extra = Object.keys(o).find((k) => !known.has(k));
  // An unknown field would be signed but never checked: refuse it rather than let it mislead a reviewer.
  if (extra) throw new RequestFormatError(`The root task request has an unknown field "${extra.slice(0, 64)}".`);
  const canonical = canonicalRequest(request);
  return { request, canonical, sha256: requestSha256(request) };
}

function rootTask(name: string): RootTaskName {
  if (!Object.hasOwn(ROOT_TASKS, name)) throw new RequestFormatError(`The root task request names an unknown task "${name.slice(0, 64)}".`);
  return name as RootTaskName;
}

function parsePolicy(v: unknown): PolicyChange {
  const p = v as Record<string, unknown> | null;
  if (!p || typeof p !== 'object' || typeof p.document !== 'string' || typeof p.before !== 'string' || typeof p.beforeSha256 !== 'string' || typeof p.afterSha256 !== 'string'
    || !HEX64.test(p.beforeSha256) || !HEX64.test(p.afterSha256)) {
    throw new RequestFormatError('The root task request\'s "policy" needs before, beforeSha256, afterSha256 and document.');
  }
  if (sha256Hex(p.before) !== p.beforeSha256) throw new RequestFormatError('The root task request\'s "before" policy does not match its beforeSha256.');
  // The hash is shown to reviewers; a document that does not match it is refused outright.
  if (sha256Hex(p.document) !== p.afterSha256) throw new RequestFormatError('The root task request\'s policy document does not match its afterSha256.');
  return { beforeSha256: p.beforeSha256, before: p.before, afterSha256: p.afterSha256, document: p.document };
}

function parseCredentials(v: unknown): CredentialChange {
  const c = v as Record<string, unknown> | null;
  const list = (key: string): string[] => {
    const l = c?.[key] ?? [];
    if (!Array.isArray(l) || !l.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 256)) {
      throw new RequestFormatError(`The root task request's "credentials.${key}" must be a list of ids.`);
    }
    return [...l] as string[];
  };
  if (c?.password !== undefined && typeof c.password !== 'boolean') throw new RequestFormatError('The root task request\'s "credentials.password" must be true or false.');
  return { password: c?.password === true, accessKeyIds: list('accessKeyIds'), signingCertificateIds: list('signingCertificateIds'), mfaSerials: list('mfaSerials') };
}

/**
 * What an approved request lets the session write, as the gate names its writes: the resource
 * for a policy; for credentials the root user (its password), each access key and signing
 * certificate under it, each MFA serial. Nothing else may be written.
 */
export function approvedWriteTargets(r: RootTaskRequestFile): string[] {
  const c = r.credentials;
  if (!c) return [r.resourceArn];
  return [
    ...(c.password ? [r.resourceArn] : []),
    ...c.accessKeyIds.map((id) => `${r.resourceArn}/access-key/${id}`),
    ...c.signingCertificateIds.map((id) => `${r.resourceArn}/signing-certificate/${id}`),
    ...c.mfaSerials,
  ];
}

export class RequestFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestFormatError';
  }
}
