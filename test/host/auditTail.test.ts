// The audit log cannot silently lose its newest events, across a window reload: the chain head is
// kept in the extension's secret storage, and the trail a reload builds (the same folder and
// head, none of this window's memory) reports a log whose tail or whole folder was deleted,
// refuses root tasks on it, and never reuses a seq. Each test ends by acknowledging the damage
// through the command, so the log the later suites use is intact again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RootTasksApi } from '../../src/extension';

const INTENT = { kind: 'intent' as const, task: 'S3UnlockBucketPolicy', accountId: '320000000001', justification: 'host test of the audit tail', ticket: 'INC-19' };

describe('audit log tail across a window reload (host)', function () {
  this.timeout(60_000);
  let api: RootTasksApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('aws-root-tasks.aws-root-tasks')!.activate()) as RootTasksApi;
  });

  const recordSome = async (n: number) => {
    let last = 0;
    for (let i = 0; i < n; i++) last = (await api.audit.record({ kind: 'settings.changed', detail: { setting: 'hostTest.tail', value: i } })).seq;
    // The head is saved outside the log without holding up the write: a reload is simulated
    // only once it landed (a reload right after a write may see the previous head, a lower bound).
    await api.audit.headSaved();
    return last;
  };
  const acknowledge = async () => {
    const ack = await vscode.commands.executeCommand<{ restarted: boolean; seq?: number }>('rootTasks.acknowledgeAuditDamage', { confirm: true });
    assert.equal(ack?.restarted, true);
    const verified = await vscode.commands.executeCommand<{ ok: boolean }>('rootTasks.verifyAuditLog');
    assert.equal(verified?.ok, true, 'the new chain verifies');
    return ack!.seq!;
  };

  // A failed test must not leave the log damaged for the suites after it (every root task would
  // be refused there): acknowledge whatever this one left behind.
  afterEach(async () => {
    if (!(await api.audit.verify()).ok) await vscode.commands.executeCommand('rootTasks.acknowledgeAuditDamage', { confirm: true });
  });

  it('the newest events deleted: reported after the reload, root tasks refused, no seq reused', async () => {
    const last = await recordSome(4);
    const file = (await api.audit.activeFile())!;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(file, `${lines.slice(0, -2).join('\n')}\n`);

    const reloaded = api.audit.reopened();
    const verified = await reloaded.verify();
    assert.equal(verified.ok, false);
    assert.match(verified.problem ?? '', new RegExp(`the log ends at seq ${last - 2} but the chain head kept outside the log recorded seq ${last}`));
    await assert.rejects(reloaded.recordIntent(INTENT), /damaged/);
    await assert.rejects(reloaded.record({ kind: 'settings.changed', detail: { setting: 'hostTest.tail', value: 'after' } }), /damaged/);
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, lines.length - 2, 'nothing appended over the deleted seqs');

    assert.equal(await acknowledge(), last + 1, 'the new chain starts after the last seq ever written');
  });

  it('the whole audit folder deleted: reported after the reload, and a new chain only when acknowledged', async () => {
    const last = await recordSome(2);
    fs.rmSync(api.audit.dir, { recursive: true, force: true });

    const reloaded = api.audit.reopened();
    const verified = await reloaded.verify();
    assert.equal(verified.ok, false);
    assert.match(verified.problem ?? '', new RegExp(`the log ends at seq 0 but the chain head kept outside the log recorded seq ${last}`));
    await assert.rejects(reloaded.recordIntent(INTENT), /damaged/);
    assert.deepEqual(fs.readdirSync(api.audit.dir).filter((n) => n.endsWith('.jsonl')), [], 'no new log from seq 1');

    assert.equal(await acknowledge(), last + 1);
    const first = fs.readFileSync(path.join(api.audit.dir, fs.readdirSync(api.audit.dir).filter((n) => n.endsWith('.jsonl')).sort()[0]!), 'utf8').split('\n')[0]!;
    assert.equal(JSON.parse(first).kind, 'audit.chainRestarted', 'the new chain starts with the acknowledgement, itself an audit event');
  });
});
