// One path to root credentials, checked from the outside: every AssumeRoot the sandbox answered
// (its request log) must match, by request id, the audit event of a task (assumeRoot.granted or
// .failed) whose task has exactly one intent event, written before it. Called at the end of each
// e2e suite that takes root sessions, before the next suite resets the sandbox's request log.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEventLine } from '../../../src/core/audit/chain';
import type { AuditEvent } from '../../../src/core/audit/types';
import type { SandboxControl } from '../../sandbox/controlClient';
import { e2eRun } from './workbench';

const SEGMENT = /^audit-\d{12}\.jsonl$/;

function* segments(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* segments(p);
    else if (SEGMENT.test(entry.name)) yield p;
  }
}

/** Every event of the run's audit logs (the tier's code-server user data), in log order per log. */
function auditEvents(): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const file of [...segments(e2eRun().dirs.base)].sort()) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const e = parseEventLine(line);
      if (typeof e !== 'string') events.push(e);
    }
  }
  return events;
}

/** Returns how many AssumeRoot requests were checked (the caller asserts it expected some). */
export async function assertEveryRootSessionHadItsIntent(control: SandboxControl): Promise<number> {
  const assumeRoots = await control.requests({ operation: 'AssumeRoot' });
  // The audit trail writes the granted/failed event after the answer arrives: wait for it briefly.
  const deadline = Date.now() + 30_000;
  let events = auditEvents();
  const answered = (id: string) => events.some((e) => e.requestId === id && (e.kind === 'assumeRoot.granted' || e.kind === 'assumeRoot.failed'));
  while (!assumeRoots.every((r) => answered(r.requestId)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    events = auditEvents();
  }
  const problems: string[] = [];
  for (const request of assumeRoots) {
    const answer = events.find((e) => e.requestId === request.requestId && (e.kind === 'assumeRoot.granted' || e.kind === 'assumeRoot.failed'));
    if (!answer?.taskId) {
      problems.push(`AssumeRoot ${request.requestId} (${request.target}) has no audited task`);
      continue;
    }
    const intents = events.filter((e) => e.kind === 'intent' && e.taskId === answer.taskId);
    if (intents.length !== 1) problems.push(`task ${answer.taskId}: ${intents.length} intent events`);
    else if (intents[0].seq >= answer.seq || Date.parse(intents[0].time) > Date.parse(request.time)) {
      problems.push(`task ${answer.taskId}: its intent was not written before the AssumeRoot`);
    }
  }
  assert.deepEqual(problems, [], `every AssumeRoot had exactly one intent before it, with its task id (${assumeRoots.length} checked)`);
  return assumeRoots.length;
}
