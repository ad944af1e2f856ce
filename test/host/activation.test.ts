// Activation in the real extension host: it succeeds, stays cheap (no AWS SDK, no network), and
// registers exactly the declared commands. Activation happens once per extension host, so this
// file activates the extension itself (index.ts runs it first) and records what happened.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as vscode from 'vscode';
import { guardNetwork, type NetworkGuard } from './support/networkGuard';
import { settled, until } from './support/wait';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';
// The SDK's user-agent prefix: present in any bundle that contains an SDK client, also minified.
const SDK_MARKER = 'aws-sdk-js';
// A target nothing else uses: the probe below is told apart from the extension's attempts by it.
const PROBE_HOST = '127.0.0.254';
const PROBE_PORT = 9;
const PROBE_TARGET = `connect to ${PROBE_HOST}:${PROBE_PORT}`;

interface Activation {
  wasActive: boolean;
  activationMs: number;
  wallMs: number;
  networkAttempts: string[];
  sdkModules: string[];
}

function extension(): vscode.Extension<{ activationMs: number }> {
  const ext = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

function sdkModulesLoaded(extensionPath: string): string[] {
  const awsBundle = path.join(extensionPath, 'dist', 'aws.js');
  return Object.keys(require.cache).filter((id) =>
    id === awsBundle || /[\\/]@(aws-sdk|smithy)[\\/]/.test(id));
}

/**
 * Sends a request to the probe target and waits until the guard has refused it: the positive
 * event that the extension host's request path (proxy resolution, then the socket) has run for a
 * request started after activation, and so for any request activation itself started.
 */
async function probe(guard: NetworkGuard): Promise<void> {
  const failed = new Promise<Error>((resolve) => {
    http.get({ host: PROBE_HOST, port: PROBE_PORT, path: '/activation-probe' }, (res) => {
      res.resume();
      resolve(new Error('a response arrived'));
    }).on('error', resolve);
  });
  const error = await settled('the probe request to fail at the network guard', failed);
  assert.match(error.message, /refused by the activation test guard/, 'the probe failed elsewhere than at the guard');
  await until('the guard to record the probe', () => guard.attempts.filter((a) => a.startsWith(PROBE_TARGET)).length, (n) => n > 0);
}

describe('activation', () => {
  let activation: Activation;

  before(async () => {
    const ext = extension();
    const wasActive = ext.isActive;
    const guard = guardNetwork();
    const started = performance.now();
    let api: { activationMs: number };
    let wallMs: number;
    try {
      api = await ext.activate();
      wallMs = performance.now() - started;
      // The extension host resolves proxies before it connects: a request started during
      // activation reaches the socket a little later. The guard stays until a probe request,
      // started after activation through the same extension-host HTTP stack, has reached it.
      await probe(guard);
    } finally {
      guard.uninstall();
    }
    activation = {
      wasActive,
      activationMs: api.activationMs,
      wallMs,
      networkAttempts: guard.attempts.filter((a) => !a.startsWith(PROBE_TARGET)),
      sdkModules: sdkModulesLoaded(ext.extensionPath),
    };
    console.log(`      activation: activate() ${api.activationMs.toFixed(1)} ms; loading + activate ${wallMs.toFixed(1)} ms`);
  });

  it('was not active before this test activated it', () => {
    assert.equal(activation.wasActive, false, 'something activated the extension earlier: the checks below would prove nothing');
  });

  it('activates and reports its activation time', () => {
    assert.equal(extension().isActive, true);
    assert.ok(Number.isFinite(activation.activationMs) && activation.activationMs >= 0);
  });

  it('makes no network request while activating', () => {
    assert.deepEqual(activation.networkAttempts, []);
  });

  it('loads no AWS SDK module while activating', () => {
    assert.deepEqual(activation.sdkModules, []);
  });

  it('keeps the AWS SDK out of the bundle that activation loads', () => {
    const dist = path.join(extension().extensionPath, 'dist');
    assert.ok(fs.readFileSync(path.join(dist, 'aws.js'), 'utf8').includes(SDK_MARKER), `the marker must be found where the SDK is`);
    assert.ok(!fs.readFileSync(path.join(dist, 'extension.js'), 'utf8').includes(SDK_MARKER), 'dist/extension.js contains the AWS SDK');
  });
});

describe('commands', () => {
  before(() => extension().activate());

  it('registers every declared command and declares every registered one', async () => {
    const contributes = extension().packageJSON.contributes;
    const declared = (contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    // VS Code itself registers `<viewId>.focus` and the like for every contributed view.
    const viewIds = Object.values(contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('rootTasks.') && !viewIds.some((v) => c.startsWith(`${v}.`)))
      .sort();
    assert.deepEqual(registered, declared);
  });

  it('puts every declared command under the "Root Tasks" category', () => {
    const commands = extension().packageJSON.contributes.commands as Array<{ command: string; category?: string }>;
    assert.deepEqual(commands.filter((c) => c.category !== 'Root Tasks').map((c) => c.command), []);
  });
});

describe('network guard', () => {
  it('refuses and records an HTTP request made through the extension host', async () => {
    const guard = guardNetwork();
    try {
      // Nothing is sent: the guard fails the socket before it connects.
      const error = await new Promise<Error>((resolve) => {
        http.get('http://127.0.0.1:9/', () => resolve(new Error('a response arrived'))).on('error', resolve);
      });
      assert.match(error.message, /refused by the activation test guard/);
    } finally {
      guard.uninstall();
    }
    assert.equal(guard.attempts.length, 1);
  });
});
