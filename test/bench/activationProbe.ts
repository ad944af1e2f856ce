// Runs inside the extension host as the workbench's extensionTestsPath: activates the extension
// once (nothing has activated it yet in a fresh workbench), and writes what activation cost and
// which modules it loaded to the file named by ROOT_TASKS_BENCH_RESULT.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'aws-root-tasks.aws-root-tasks';

export async function run(): Promise<void> {
  const out = process.env.ROOT_TASKS_BENCH_RESULT;
  if (!out) throw new Error('ROOT_TASKS_BENCH_RESULT is not set');
  const ext = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const wasActive = ext.isActive;
  const before = new Set(Object.keys(require.cache));
  const started = performance.now();
  const api = await ext.activate();
  const wallMs = performance.now() - started;
  const modules = Object.keys(require.cache).filter((id) => !before.has(id)).map((id) => path.relative(ext.extensionPath, id));
  fs.writeFileSync(out, JSON.stringify({ wasActive, activationMs: api.activationMs, wallMs, modules }));
}
