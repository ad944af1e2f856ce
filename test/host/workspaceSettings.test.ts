// A cloned repository's .vscode/settings.json cannot redirect requests or loosen a guardrail: the
// workspace sets every setting that chooses a destination (endpoint, profile, region, audit sink)
// or weakens a guardrail (allowed accounts, ticket rules, session length) to a local capture
// server or a looser value, and refresh, unlock and the audit sink go on with the user's settings,
// while nothing reaches the capture server. The host tier runs this suite twice: in a trusted
// workspace and again in one VS Code leaves untrusted (restricted mode; test/scripts/lib/
// tier-host.mjs); the extension's own reading with the workspace values present (trusted or not,
// whatever VS Code drops) is checked in test/unit/settings.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { unlockHarness, WHY, type UnlockHarness } from './support/unlockHarness';
import { until } from './support/wait';

const PAYMENTS = '320000000001';
const RECEIPTS = 'acme-payments-prod-receipts';

describe('workspace settings cannot redirect or loosen (host, sandbox)', function () {
  this.timeout(60_000);
  let h: UnlockHarness;
  let capture: http.Server;
  const connections: string[] = [];
  let settingsFile: string;
  const marker = `workspace-settings-${process.pid}-${Date.now()}`;
  const workspaceMarker = () => vscode.workspace.getConfiguration('rootTasks').inspect<string>('scan.roleName')?.workspaceValue;

  before(async () => {
    // The pass is what it claims: trusted in the main run, restricted mode in the untrusted pass.
    assert.equal(vscode.workspace.isTrusted, process.env.ROOT_TASKS_UNTRUSTED !== '1', `workspace trust in this pass: ${vscode.workspace.isTrusted}`);
    h = await unlockHarness();
    capture = http.createServer((_req, res) => res.writeHead(500).end());
    capture.on('connection', (socket) => connections.push(`${socket.remoteAddress}:${socket.remotePort}`));
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const port = (capture.address() as AddressInfo).port;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tier opens a workspace folder');
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({
      'rootTasks.endpointUrl': `http://127.0.0.1:${port}`,
      'rootTasks.region': 'eu-west-3',
      'rootTasks.profile': 'capture',
      'rootTasks.audit.sinkUrl': `https://127.0.0.1:${port}/sink`,
      'rootTasks.audit.strictAck': true,
      'rootTasks.guardrails.requireJustification': false,
      'rootTasks.guardrails.ticketPattern': '.*',
      'rootTasks.guardrails.allowedAccounts': ['999999999999'],
      'rootTasks.session.durationSeconds': 1,
      'rootTasks.session.minRemainingSeconds': 0,
      // A window-scoped setting none of the flows below uses: shows when VS Code has read the file.
      'rootTasks.scan.roleName': marker,
    }));
    await until('VS Code to read the workspace settings file', workspaceMarker, (v) => v === marker);
  });

  after(async () => {
    if (settingsFile) {
      fs.rmSync(settingsFile, { force: true });
      await until('VS Code to drop the removed workspace settings', workspaceMarker, (v) => v === undefined);
    }
    await new Promise((resolve) => capture?.close(resolve));
    h?.dispose();
  });

  it('refresh, unlock and the audit sink keep the user settings; nothing reaches the capture server', async () => {
    await h.startTest();
    await vscode.commands.executeCommand('rootTasks.refreshOrganization');
    assert.ok((await h.control.requests({ service: 'organizations' })).length > 0, 'the refresh went to the user-configured sandbox');
    assert.equal(h.api.explorer.org.state, 'ready');

    // allowedAccounts from the workspace would refuse this account, and a 1 s session would expire.
    const result = await vscode.commands.executeCommand<{ outcome: string }>('rootTasks.unlockBucketPolicy', { accountId: PAYMENTS, bucket: RECEIPTS, decision: 'delete', ...WHY });
    assert.equal(result?.outcome, 'deleted', h.errors());
    const intent = h.events.find((e) => e.kind === 'intent');
    assert.equal(intent?.detail?.durationSeconds, 900, 'the session length is the user\'s');
    assert.equal(intent?.ticket, WHY.ticket);
    assert.ok((await h.rootCalls()).some((c) => c.operation === 'DeleteBucketPolicy'), 'the write went to the sandbox');

    // A sink read from the workspace would be configured now, and would be sent these events.
    assert.equal(h.api.audit.sinkStatus().configured, false, 'the audit sink came from the workspace');
    assert.equal(h.api.audit.strictAck(), false);
    assert.deepEqual(connections, [], 'a request reached the capture server');
  });
});
