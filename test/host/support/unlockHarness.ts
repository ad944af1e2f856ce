// Shared set-up for the unlock host tests: the sandbox (from the fixture), the extension's
// root-task services, the audit events of each test, and the calls the sandbox saw.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AuditEvent } from '../../../src/core/audit';
import type { RootTasksApi } from '../../../src/extension';
import { sandboxControl, type SandboxControl } from '../../sandbox/controlClient';
import type { RequestLogEntry } from '../../sandbox/requestLog';
import { readFixture } from '../../support/fixtures';

export const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';
export const WHY = { justification: 'host test: production policy locks everyone out', ticket: 'TEST-42' };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(what: string, read: () => T | PromiseLike<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
    value = await read();
  }
  return value;
}

export interface UnlockHarness {
  api: RootTasksApi;
  control: SandboxControl;
  endpoint: string;
  events: AuditEvent[];
  /** The calls a root task makes: AssumeRoot and everything signed with root-session credentials. */
  rootCalls(): Promise<RequestLogEntry[]>;
  kinds(): string[];
  errors(): string;
  setSetting(key: string, value: unknown): Promise<void>;
  resetSettings(): Promise<void>;
  /**
   * Before each test: the sandbox back to its seed, its request log and the recorded events empty.
   * With `listIndex`, the org index is listed first (it is cached), so a test counts only its own calls.
   */
  startTest(opts?: { listIndex?: boolean }): Promise<void>;
  dispose(): void;
}

export async function unlockHarness(): Promise<UnlockHarness> {
  const info = readFixture<{ endpoint: string }>('sandbox');
  assert.ok(info?.endpoint, 'the sandbox fixture did not run (ROOT_TASKS_TEST_FIXTURES has no "sandbox")');
  const ext = vscode.extensions.getExtension<RootTasksApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  const control = sandboxControl(info.endpoint);
  const events: AuditEvent[] = [];
  const subscription = api.rootTasks.audit.onDidRecord((e) => events.push(e));
  const changed = new Set<string>();
  const config = () => vscode.workspace.getConfiguration('rootTasks');
  return {
    api,
    control,
    endpoint: info.endpoint,
    events,
    async rootCalls() {
      const all = await control.requests();
      return all.filter((r) => r.operation === 'AssumeRoot' || r.principalType === 'root-session');
    },
    kinds: () => events.map((e) => e.kind),
    errors: () => events.map((e) => e.error ?? '').join('\n'),
    async setSetting(key, value) {
      changed.add(key);
      await config().update(key, value, vscode.ConfigurationTarget.Global);
    },
    async resetSettings() {
      for (const key of changed) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      changed.clear();
    },
    async startTest(opts = {}) {
      await control.reset();
      if (opts.listIndex) await api.rootTasks.getIndex();
      await control.clearRequests();
      events.length = 0;
    },
    dispose: () => subscription.dispose(),
  };
}

/** The open unlock diff (its proposed side is in the in-memory file system). */
export function policyDiffTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'root-tasks-proposed');
}

export function policyOf(account: { buckets: Array<{ name: string; policy: string | null }> }, bucket: string): unknown {
  const text = account.buckets.find((b) => b.name === bucket)?.policy;
  return text ? JSON.parse(text) : null;
}

export function queuePolicyOf(account: { queues: Array<{ name: string; policy: string | null }> }, queue: string): unknown {
  const text = account.queues.find((q) => q.name === queue)?.policy;
  return text ? JSON.parse(text) : null;
}
