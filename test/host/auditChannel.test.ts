// A root task's audit events reach the "AWS Root Tasks: Audit" output channel, one readable line
// each, and no secret the sandbox issued (secret keys, session tokens) reaches any log of the
// window: the channels' files are read from disk, where VS Code persists them.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { unlockHarness, WHY, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';

function logFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? logFiles(p) : e.name.endsWith('.log') ? [p] : [];
  });
}

describe('audit output channel', () => {
  let h: UnlockHarness;

  before(async () => {
    h = await unlockHarness();
    await h.control.reset();
  });

  after(async () => {
    await h?.control.reset();
    h?.dispose();
  });

  it('shows every step of an unlock, and no issued secret is in any log', async () => {
    const result = await vscode.commands.executeCommand<{ outcome: string }>('rootTasks.unlockBucketPolicy', { accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete', ...WHY });
    assert.equal(result?.outcome, 'deleted', h.errors());
    const taskId = h.events.find((e) => e.kind === 'intent')?.taskId;
    assert.ok(taskId, 'the flow recorded its intent with a task id');
    // The extension's log folder is <window logs>/exthost/<extension id>: search the whole window.
    const windowLogs = path.resolve(h.api.logUri.fsPath, '..', '..');
    const lines = await until('the audit lines on disk', () =>
      logFiles(windowLogs).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')).filter((l) => l.includes(`[task ${taskId}]`)),
    (found) => found.some((l) => /session\.ended/.test(l)));
    for (const kind of ['intent', 'assumeRoot.granted', 'aws.read', 'preview.shown', 'decision', 'aws.write', 'verify', 'session.ended']) {
      assert.ok(lines.some((l) => l.includes(` ${kind} `)), `a line for ${kind}:\n${lines.join('\n')}`);
    }
    assert.ok(lines.some((l) => /\[(info|warning|error)\]/.test(l)), 'lines carry levels');
    const { credentials } = await h.control.issuedCredentials();
    const secrets = credentials.flatMap((c) => [c.secretAccessKey, c.sessionToken]);
    assert.ok(secrets.length > 0);
    const everything = logFiles(windowLogs).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    for (const secret of secrets) assert.ok(!everything.includes(secret), 'an issued secret reached a log file');
  });
});
