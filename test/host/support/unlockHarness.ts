// Shared set-up for the unlock host tests: the sandbox (from the fixture), the extension's
// root-task services, the audit events of each test, and the calls the sandbox saw.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEvent } from '../../../src/core/audit';
import type { RootTasksApi } from '../../../src/extension';
import { sandboxControl, type SandboxControl } from '../../sandbox/controlClient';
import type { RequestLogEntry } from '../../sandbox/requestLog';
import { readFixture } from '../../support/fixtures';

export const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';
export const WHY = { justification: 'host test: production policy locks everyone out', ticket: 'TEST-42' };

export interface UnlockHarness {
  api: RootTasksApi;
  control: SandboxControl;
  endpoint: string;
  events: AuditEvent[];
  /** The calls a root task makes: AssumeRoot and everything signed with root-session credentials. */
  rootCalls(): Promise<RequestLogEntry[]>;
  kinds(): string[];
  errors(): string;
  /** The last error lines of the extension's own log (a failed command says why there), for messages. */
  logErrors(): string;
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
    logErrors: () => recentLogErrors(api.logUri.fsPath),
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

/**
 * The last error lines of the extension's main log ("[error] [component] ..."; the audit channel's
 * lines are not tagged so). Best effort: VS Code writes log files asynchronously, so the newest
 * line may be missing.
 */
export function recentLogErrors(logDir: string, count = 3): string {
  try {
    const lines = fs.readdirSync(logDir).filter((f) => f.endsWith('.log'))
      .flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').split('\n'))
      .filter((l) => /\[error\] \[[\w.-]+\]/.test(l))
      .sort();
    return lines.slice(-count).join('\n') || '(no error in the extension log yet)';
  } catch (err) {
    return `(the extension log could not be read: ${(err as Error).message})`;
  }
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
