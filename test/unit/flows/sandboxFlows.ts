// The flows' ports for unit tests over the sandbox: a recorder that keeps events, a scripted
// person, a quiet progress; the dependencies come from test/support/flowDeps.ts (as the bench's).
import { after, before, beforeEach } from 'node:test';
import { createAwsContext, type AwsContext } from '../../../src/aws/context';
import { isIntentKind, type AuditInput } from '../../../src/core/audit/types';
import type { FindingsStore } from '../../../src/core/findings';
import type { OrgIndex } from '../../../src/core/orgIndex';
import type { AuditRecorder } from '../../../src/core/sessionRunner';
import type { FlowDeps } from '../../../src/flows/env';
import type { Justification, Person, Progress } from '../../../src/flows/ports';
import { sandboxControl, startSandbox, type SandboxControl, type SandboxHandle } from '../../sandbox/index';
import { listOrganization, plainFlowDeps, type PlainDepsOptions } from '../../support/flowDeps';

export { listOrganization };

/**
 * An audit recorder that keeps what it was given, with the real trail's rule for the gate (only
 * intent kinds through recordIntent); `failIntent` / `failRecord` make writes fail.
 */
export function memoryAudit(opts: { failIntent?: (e: AuditInput) => boolean; failRecord?: (e: AuditInput) => boolean } = {}) {
  const events: AuditInput[] = [];
  const audit: AuditRecorder = {
    recordIntent: async (e) => {
      if (!isIntentKind(e.kind)) throw new Error(`recordIntent takes intent events only, not "${e.kind}"`);
      if (opts.failIntent?.(e)) throw new Error('audit write failed (disk full)');
      events.push(e);
    },
    record: async (e) => {
      if (opts.failRecord?.(e)) throw new Error('audit write failed (ENOSPC)');
      events.push(e);
    },
  };
  return { audit, events };
}

/**
 * The flows' dependencies over the sandbox; task ids task-1, task-2, ... (deterministic). The
 * organization's SCPs/RCPs are read once, as the extension caches them, unless `opts` says otherwise.
 */
export function flowDeps(aws: AwsContext, index: OrgIndex, audit: AuditRecorder, opts: Omit<PlainDepsOptions, 'taskIds'> = {}): FlowDeps {
  let read: ReturnType<AwsContext['ops']['readOrgPolicies']> | undefined;
  const orgPolicies = opts.orgPolicies ?? (() => (read ??= aws.ops.readOrgPolicies(index.organization.id)));
  return plainFlowDeps(aws, index, audit, { ...opts, orgPolicies, taskIds: [] });
}

/** A person who answers every justification request with `why`, counting the questions. */
export function scriptedPerson(why: Justification = { justification: 'quarterly lockout sweep', ticket: 'SEC-42' }) {
  const said: string[] = [];
  let asked = 0;
  const person: Person = {
    justify: async () => {
      asked++;
      return why;
    },
    tell: (m) => void said.push(m),
    warn: (m) => void said.push(m),
  };
  return { person, said, asked: () => asked };
}

export function quietProgress(signal: AbortSignal = new AbortController().signal, onReport?: (done: number) => void): Progress {
  return { signal, report: (done) => onReport?.(done) };
}

/**
 * Registers a suite's hooks: the sample-organization sandbox, a management context on it and the
 * organization listed once; the sandbox reset to its seed before each test. Read after `before`.
 */
export function sampleOrgSuite(): { readonly sb: SandboxHandle; readonly control: SandboxControl; readonly aws: AwsContext; readonly index: OrgIndex } {
  const s = {} as { sb: SandboxHandle; control: SandboxControl; aws: AwsContext; index: OrgIndex };
  before(async () => {
    s.sb = await startSandbox();
    s.control = sandboxControl(s.sb.endpoint);
    s.aws = createAwsContext({ region: s.sb.region, endpoint: s.sb.endpoint, requestsPerSecond: 0, concurrency: 4, maxAttempts: 1 }, s.sb.management);
    s.index = await listOrganization(s.aws);
  });
  beforeEach(async () => {
    await s.control.reset();
  });
  after(async () => {
    s.aws?.dispose();
    await s.sb?.close();
  });
  return s;
}

/** The member account an AssumeRoot request (the sandbox's request log) took a session on. */
export const assumeRootTarget = (r: { target?: string }) => /^arn:aws:iam::(\d{12}):root$/.exec(r.target ?? '')?.[1];

/** Every scanned account and every flagged resource, comparable across scans. */
export function scanSnapshot(findings: FindingsStore) {
  const all = [...findings.all().entries()];
  return {
    scanned: all.filter(([, f]) => f.scannedAt && !f.skipped).map(([id]) => id).sort(),
    flagged: all.flatMap(([, f]) => f.resources.map((r) => `${r.accountId} ${r.kind} ${r.name} ${r.verdict}`)).sort(),
  };
}
