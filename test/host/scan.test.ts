// The locked-policy scan in root-session mode with the justification guardrail on, in the real
// extension host against the sandbox: one justification and ticket for the whole scan (asked once,
// or taken from the arguments), recorded in the scan's own intent (scan.started) in the audit log
// on disk, and every root session of the scan recorded as part of it (parentTaskId = the scan's id).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEvent } from '../../src/core/audit';
import { watchInputBoxes } from './support/prompts';
import { WHY, unlockHarness, type UnlockHarness } from './support/unlockHarness';

const PAYMENTS = '320000000001';
const STOREFRONT = '320000000002';
const LEGACY_SUSPENDED = '350000000001';
const ACCOUNTS = [PAYMENTS, STOREFRONT, LEGACY_SUSPENDED];

interface ScanResult {
  scanned: number;
  failed: number;
  locked: number;
  skipped: number;
  skippedAccounts: Array<{ accountId: string; reason: string }>;
}

const scanCommand = (args: object) =>
  vscode.commands.executeCommand<ScanResult | undefined>('rootTasks.scanLockedPolicies', { accountIds: ACCOUNTS, mode: 'rootSession', ...args });

describe('scan with the justification guardrail (host, sandbox)', function () {
  this.timeout(90_000);
  let h: UnlockHarness;
  const written: string[] = [];

  before(async () => {
    h = await unlockHarness();
  });
  beforeEach(async () => {
    await h.startTest({ listIndex: true });
    await h.setSetting('guardrails.requireJustification', true);
    assert.equal(vscode.workspace.getConfiguration('rootTasks').get('guardrails.requireJustification'), true);
  });
  afterEach(async () => {
    await h.resetSettings();
    assert.equal(h.api.rootTasks.sessions.size, 0, 'a root session outlived the scan');
  });
  after(async () => {
    for (const f of written) fs.rmSync(f, { force: true });
    await h?.control.reset();
    h?.dispose();
  });

  /** The events recorded after `afterSeq`, read back from the audit log on disk (exported as JSON lines). */
  async function auditLogSince(afterSeq: number): Promise<AuditEvent[]> {
    const file = path.join(os.tmpdir(), `root-tasks-audit-${process.pid}-${written.length}.jsonl`);
    written.push(file);
    await h.api.rootTasks.audit.exportTo(file);
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((e) => e.seq > afterSeq);
  }

  /** What both ways of answering must leave: the scan's intent with the answers, its sessions under it. */
  async function checkScanRecorded(result: ScanResult | undefined, afterSeq: number): Promise<void> {
    assert.ok(result, `the scan failed; the extension log says:\n${h.logErrors()}`);
    assert.equal(result.failed, 0, h.errors());
    assert.equal(result.scanned, 2);
    assert.equal(result.skipped, 1, 'the suspended account is skipped, not failed');
    assert.deepEqual(result.skippedAccounts.map((s) => s.accountId), [LEGACY_SUSPENDED]);

    const events = await auditLogSince(afterSeq);
    const started = events.filter((e) => e.kind === 'scan.started');
    assert.equal(started.length, 1, `one scan.started in the audit log: ${events.map((e) => e.kind).join(', ')}`);
    const scanId = started[0].taskId;
    assert.ok(scanId, 'scan.started has a task id');
    assert.equal(started[0].justification, WHY.justification);
    assert.equal(started[0].ticket, WHY.ticket);
    assert.equal(started[0].operation, 'scan (rootSession)');
    assert.equal(events.find((e) => e.kind === 'scan.finished')?.taskId, scanId);

    const intents = events.filter((e) => e.kind === 'intent');
    assert.ok(intents.length >= 2, `a root session per scanned account at least, got ${intents.length} intents`);
    for (const intent of intents) {
      assert.equal(intent.parentTaskId, scanId, `intent ${intent.taskId} (${intent.task}, ${intent.accountId}) is not part of scan ${scanId}`);
      assert.notEqual(intent.taskId, scanId, 'each session has its own task id');
      assert.equal(intent.justification, WHY.justification);
      assert.equal(intent.ticket, WHY.ticket);
    }
    assert.deepEqual([...new Set(intents.map((e) => e.accountId))].sort(), [PAYMENTS, STOREFRONT], 'sessions in the scanned accounts only');
    // Every root session the sandbox granted is one of those intents: none went unrecorded.
    const assumed = (await h.rootCalls()).filter((c) => c.operation === 'AssumeRoot');
    assert.equal(assumed.length, intents.length, 'one AssumeRoot per recorded intent');
    // The same events reached the live trail (what the output channel and the sink see).
    assert.deepEqual(h.events.filter((e) => e.kind === 'intent').map((e) => e.id), intents.map((e) => e.id));
  }

  it('asks once for the justification and ticket, however many sessions the scan opens', async () => {
    // The titles name what the session is for: "Root task: justification — locked-policy scan of …".
    const answer = (title: string) => title.startsWith('Root task: justification') ? WHY.justification : title.startsWith('Root task: ticket') ? WHY.ticket : undefined;
    const prompts = watchInputBoxes((options) => answer(options.title ?? ''));
    const before = await h.api.rootTasks.audit.head();
    let result: ScanResult | undefined;
    try {
      result = await scanCommand({});
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(prompts.refused, []);
    assert.deepEqual(prompts.titles(), ['Root task: justification — locked-policy scan of 3 accounts', 'Root task: ticket — locked-policy scan of 3 accounts'], 'asked exactly once for the whole scan, naming it');
    await checkScanRecorded(result, before.seq);
  });

  it('takes the justification and ticket from the command arguments: no prompt', async () => {
    const prompts = watchInputBoxes(() => undefined);
    const before = await h.api.rootTasks.audit.head();
    let result: ScanResult | undefined;
    try {
      result = await scanCommand(WHY);
    } finally {
      prompts.dispose();
    }
    assert.deepEqual(prompts.titles(), [], 'the scan prompted although the arguments answered');
    await checkScanRecorded(result, before.seq);
  });
});
