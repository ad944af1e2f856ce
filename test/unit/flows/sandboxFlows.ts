// Builds the flows' environment the way the extension does (src/flows/env.ts) from a sandbox-backed
// AWS context and plain values, so unit tests drive the product's runner and flows, not copies.
import type { AwsContext } from '../../../src/aws/context';
import { isIntentKind, type AuditInput } from '../../../src/core/audit/types';
import { FindingsStore } from '../../../src/core/findings';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from '../../../src/core/guardrails';
import { OrgIndex } from '../../../src/core/orgIndex';
import { RootSessionRegistry } from '../../../src/core/sessionRegistry';
import type { AuditRecorder } from '../../../src/core/sessionRunner';
import type { FlowDeps } from '../../../src/flows/env';
import type { Justification, Person, Progress } from '../../../src/flows/ports';

/** The whole organization as the explorer lists it (DescribeOrganization + the paged walk). */
export async function listOrganization(aws: AwsContext): Promise<OrgIndex> {
  const info = await aws.ops.describeOrganization();
  const index = new OrgIndex(info);
  await aws.ops.walkOrganization(info.rootId, (p) => {
    if (p.result) index.setListing(p.parentId, p.result.ous, p.result.accounts);
    else throw new Error(`listing ${p.parentId} failed: ${p.error}`);
  });
  return index;
}

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

export function flowDeps(aws: AwsContext, index: OrgIndex, audit: AuditRecorder, opts: { guardrails?: Partial<GuardrailSettings>; sessions?: RootSessionRegistry; taskIds?: string[] } = {}): FlowDeps {
  let n = 0;
  return {
    ops: aws.ops,
    limiter: aws.limiter,
    audit,
    sessions: opts.sessions ?? new RootSessionRegistry(),
    guardrails: () => ({ ...DEFAULT_GUARDRAILS, ...opts.guardrails }),
    session: () => ({ durationSeconds: 900, minRemainingSeconds: 60 }),
    getIndex: async () => index,
    findings: new FindingsStore(),
    log: { info: () => undefined, warn: () => undefined },
    newTaskId: () => {
      const id = `task-${++n}`;
      opts.taskIds?.push(id);
      return id;
    },
  };
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
