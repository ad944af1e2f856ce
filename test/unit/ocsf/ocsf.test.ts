// Every audit event kind, written by the real trail, mapped to OCSF 1.1.0 and validated against the
// trimmed official schema; the class each kind lands in; and the chain verifiable from the OCSF
// copy alone (raw_data is the stored line, its hash and link intact).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail } from '../../../src/core/audit';
import { eventHash, eventLine, parseEventLine } from '../../../src/core/audit/chain';
import { toOcsf } from '../../../src/core/audit/ocsf';
import { AUDIT_KINDS, CHAIN_RESTARTED, GENESIS_HASH, type AuditEvent, type AuditInput } from '../../../src/core/audit/types';
import { loadSchema, validateOcsf } from './validate';

const ACCOUNT = '320000000001';
/** A value inside nested JSON by its dotted path (OCSF events are nested objects). */
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

const TASK = { taskId: 'task-1', task: 'IAMDeleteRootUserCredentials', accountId: ACCOUNT };

/** One event of each kind, with the fields the flows give it, plus each root-credential write. */
function samples(): AuditInput[] {
  const byKind: Partial<Record<string, AuditInput>> = {
    intent: { kind: 'intent', ...TASK, justification: 'offboarding', ticket: 'SEC-1', detail: { durationSeconds: 900 } },
    'assumeRoot.granted': { kind: 'assumeRoot.granted', ...TASK, outcome: 'ok', expiresAt: '2026-01-01T00:15:00.000Z', requestId: 'req-1' },
    'assumeRoot.failed': { kind: 'assumeRoot.failed', ...TASK, outcome: 'error', error: 'AccessDenied' },
    'aws.read': { kind: 'aws.read', ...TASK, operation: 'GetBucketPolicy', resource: 'arn:aws:s3:::b', outcome: 'ok', requestId: 'req-2' },
    'aws.write': { kind: 'aws.write', ...TASK, operation: 'PutBucketPolicy', resource: 'arn:aws:s3:::b', outcome: 'ok' },
    'cloudtrail.correlated': { kind: 'cloudtrail.correlated', ...TASK, outcome: 'ok', operation: 'LookupEvents', accessKeyId: 'ASIAQWERTY23456ABCDE', detail: { cloudTrailEventId: 'e-1' } },
    'settings.changed': { kind: 'settings.changed', detail: { key: 'rootTasks.audit.format' } },
  };
  // audit.chainRestarted is written only by acknowledging a damaged log: built by hand below.
  const all = [...AUDIT_KINDS].filter((k) => k !== CHAIN_RESTARTED).map((kind) => byKind[kind] ?? { kind, ...TASK, outcome: 'ok' as const });
  for (const operation of ['CreateLoginProfile', 'DeleteLoginProfile', 'DeleteAccessKey', 'DeleteSigningCertificate', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'DeleteBucketPolicy', 'SetQueueAttributes', 'EnableAWSServiceAccess']) {
    all.push({ kind: 'aws.write', ...TASK, operation, resource: `arn:aws:iam::${ACCOUNT}:root`, outcome: 'ok' });
  }
  all.push({ kind: 'aws.write', operation: 'EnableOrganizationsRootSessions', outcome: 'denied', error: 'AccessDenied' });
  return all;
}

describe('OCSF 1.1.0 output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-ocsf-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const schema = loadSchema();

  let once: Promise<{ event: AuditEvent; line: string }[]> | undefined;
  const written = () => (once ??= writeAll());
  async function writeAll(): Promise<{ event: AuditEvent; line: string }[]> {
    // A sink that acknowledges at once (break-glass must be acknowledged).
    const delivery = { deliveredSeq: async () => Number.MAX_SAFE_INTEGER, waitForAck: async () => undefined, retryNow: () => undefined };
    const trail = createAuditTrail({ dir, actor: () => 'arn:aws:iam::210987654321:user/alice', delivery: () => delivery });
    for (const input of samples()) await (input.kind === 'intent' || input.kind === 'scan.started' || input.kind === 'breakGlass' ? trail.recordIntent(input) : trail.record(input));
    const lines = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    return lines.map((line) => ({ event: parseEventLine(line) as AuditEvent, line }));
  }

  test('every event kind validates against the schema copy, in the class it maps to', async () => {
    const restarted = { kind: CHAIN_RESTARTED, id: 'f6c1d1c8-3d7e-4a55-9d1c-8e7a3c0c2b11', seq: 41, time: '2026-01-01T00:00:00.000Z', actor: 'arn:aws:iam::210987654321:user/alice', prevHash: 'a'.repeat(64), outcome: 'ok', detail: { reason: 'edited' } } as Omit<AuditEvent, 'hash'>;
    const restartedEvent = { ...restarted, hash: eventHash(restarted) } as AuditEvent;
    const events = [...(await written()), { event: restartedEvent, line: eventLine(restartedEvent) }];
    assert.equal(events.length, samples().length + 1);
    assert.ok(AUDIT_KINDS.size <= new Set(events.map((e) => e.event.kind)).size, 'every kind is covered');
    const classes = new Map<string, Set<number>>();
    for (const { event, line } of events) {
      const ocsf = toOcsf(event, line);
      assert.deepEqual(validateOcsf(schema, ocsf), [], `${event.kind} ${event.operation ?? ''}: ${JSON.stringify(ocsf)}`);
      const key = `${event.kind}${event.kind === 'aws.write' ? `:${event.operation}` : ''}`;
      classes.set(key, (classes.get(key) ?? new Set()).add(at(ocsf, 'class_uid') as number));
      assert.equal(at(ocsf, 'type_uid'), (at(ocsf, 'class_uid') as number) * 100 + (at(ocsf, 'activity_id') as number));
    }
    const classOf = (key: string) => [...classes.get(key)!][0];
    assert.equal(classOf('assumeRoot.granted'), 3003);
    assert.equal(classOf('assumeRoot.failed'), 3003);
    assert.equal(classOf('aws.read'), 6003);
    assert.equal(classOf('aws.write:PutBucketPolicy'), 6003);
    assert.equal(classOf('cloudtrail.correlated'), 6003);
    for (const op of ['CreateLoginProfile', 'DeleteLoginProfile', 'DeleteAccessKey', 'DeactivateMFADevice']) assert.equal(classOf(`aws.write:${op}`), 3001, op);
    assert.equal(classOf('intent'), 0);
    assert.equal(classOf('breakGlass'), 0);
  });

  test('activities and statuses: granted/refused sessions, password recovery, MFA removal, API verbs', async () => {
    const events = await written();
    const find = (kind: string, operation?: string) => {
      const e = events.find((x) => x.event.kind === kind && (operation === undefined || x.event.operation === operation))!;
      return toOcsf(e.event, e.line);
    };
    const granted = find('assumeRoot.granted');
    assert.equal(at(granted, 'activity_id'), 1);
    assert.equal(at(granted, 'status_id'), 1);
    assert.deepEqual(at(granted, 'privileges'), ['IAMDeleteRootUserCredentials']);
    assert.equal(at(granted, 'user.uid'), `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(at(granted, 'session.expiration_time'), Date.parse('2026-01-01T00:15:00.000Z'));
    const refused = find('assumeRoot.failed');
    assert.equal(at(refused, 'status_id'), 2);
    assert.equal(at(refused, 'severity_id'), 4);
    assert.equal(at(find('aws.write', 'CreateLoginProfile'), 'activity_id'), 4);
    assert.equal(at(find('aws.write', 'DeactivateMFADevice'), 'activity_id'), 11);
    assert.equal(at(find('aws.write', 'DeleteAccessKey'), 'activity_id'), 99);
    assert.equal(at(find('aws.write', 'DeleteBucketPolicy'), 'activity_id'), 4);
    assert.equal(at(find('aws.write', 'PutBucketPolicy'), 'activity_id'), 3);
    assert.equal(at(find('aws.write', 'EnableAWSServiceAccess'), 'activity_id'), 1);
    assert.equal(at(find('aws.read'), 'activity_id'), 2);
    assert.equal(at(find('aws.read'), 'api.request.uid'), 'req-2');
    const correlated = find('cloudtrail.correlated');
    assert.equal(at(correlated, 'unmapped.accessKeyId'), 'ASIAQWERTY23456ABCDE');
    assert.equal(at(correlated, 'actor.user.uid'), 'arn:aws:iam::210987654321:user/alice', 'looked up with the management credentials');
  });

  test('the chain verifies from the OCSF copy alone: raw_data rehashes and links', async () => {
    const events = await written();
    let prev = GENESIS_HASH;
    let seq = 0;
    for (const { event, line } of events) {
      const ocsf = toOcsf(event, line);
      const native = parseEventLine(at(ocsf, 'raw_data') as string) as AuditEvent;
      assert.equal(eventHash(native), native.hash);
      assert.equal(native.prevHash, prev);
      assert.equal(at(ocsf, 'metadata.uid'), native.id);
      assert.equal(at(ocsf, 'metadata.sequence'), native.seq);
      assert.equal(at(ocsf, 'unmapped.hash'), native.hash);
      assert.ok(native.seq > seq);
      prev = native.hash;
      seq = native.seq;
    }
  });

  test('the validator catches a wrong class, a missing required attribute, a bad enum and an unknown attribute', async () => {
    const [{ event, line }] = (await written()).filter((x) => x.event.kind === 'assumeRoot.granted');
    const good = toOcsf(event!, line!);
    assert.match(validateOcsf(schema, { ...good, class_uid: 3999 }).join(), /not a class/);
    const noUser = { ...good };
    delete noUser.user;
    assert.match(validateOcsf(schema, noUser).join(), /user: required/);
    assert.match(validateOcsf(schema, { ...good, activity_id: 7 }).join(), /activity_id: 7 is not one of/);
    assert.match(validateOcsf(schema, { ...good, type_uid: 600302 }).join(), /type_uid/);
    assert.match(validateOcsf(schema, { ...good, category_uid: 6 }).join(), /category_uid/);
    assert.match(validateOcsf(schema, { ...good, colour: 'red' }).join(), /colour: not an attribute/);
    assert.match(validateOcsf(schema, { ...good, time: '2026-01-01' }).join(), /time: must be timestamp_t/);
    assert.match(validateOcsf(schema, { ...good, metadata: { ...(good.metadata as object), product: {} } }).join(), /vendor_name: required/);
    assert.match(validateOcsf(schema, { ...good, group: { name: 'x' } }).join(), /exactly one of privileges, group/);
  });
});
