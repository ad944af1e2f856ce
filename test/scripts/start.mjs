// `npm start`: installs what is missing, builds and packages the extension, installs it into a
// code-server with its own folders (.demo/, git-ignored, kept between starts), starts the local
// AWS sandbox with a sample organization when the checkout has it, and prints the URL to open.
// Ctrl-C stops everything it started, by PID. It runs the current VS Code (the newest tested one);
// ROOT_TASKS_VSCODE=oldest (or a version) runs another.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chosenTargets, ensureNodeDeps, ensureTools } from './lib/tools.mjs';
import { sandboxAvailable, startSandbox } from './lib/sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
ensureNodeDeps(root);
const [target] = chosenTargets(root, 'current');
await ensureTools(root, [target]);
const codeServer = { entry: target.entry, nodePath: target.nodePath, serverMain: target.serverMain };
// Loaded after ensureNodeDeps: these need tsx and vsce from node_modules.
const { loadSupport } = await import('./lib/harness.mjs');
const { packageExtension } = await import('./package.mjs');
const { createRunDirs, isolatedEnv } = await loadSupport('isolation');
const { startProcess, freePort } = await loadSupport('processes');
const { installExtension, startCodeServer } = await loadSupport('codeServer');

const dirs = createRunDirs(join(root, '.demo'));
// test/support/processes.ts stops what was started and exits on these signals.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    stopping = true;
    console.log('\n[start] stopping code-server and the sandbox…');
  });
}

const readme = join(dirs.workspace, 'README.md');
if (!existsSync(readme)) {
  writeFileSync(readme, '# AWS Root Tasks demo workspace\n\nOpen the Root Tasks view in the activity bar.\n');
}
const { vsix, bytes } = packageExtension(root, join(dirs.base, 'aws-root-tasks.vsix'));
installExtension(codeServer, dirs, vsix);
console.log(`[start] installed the extension (${(bytes / 1024).toFixed(1)} KiB .vsix)`);

let sandbox;
if (sandboxAvailable(root)) {
  sandbox = await startSandbox(root, dirs, { startProcess, freePort, isolatedEnv });
  console.log(`[start] AWS sandbox with the sample organization at ${sandbox.endpoint}`);
} else {
  console.log('[start] no AWS sandbox in this checkout yet: the extension shows its welcome content');
}

const server = await startCodeServer({
  ...codeServer,
  dirs,
  env: sandbox?.env,
  machineSettings: sandbox?.machineSettings ?? {},
  port: process.env.PORT ? Number(process.env.PORT) : undefined,
}).catch(async (err) => {
  await sandbox?.stop();
  throw err;
});
console.log(`\nAWS Root Tasks is running in ${target.label} (code-server ${server.url}). Open:\n\n  ${server.workbenchUrl()}\n\nCtrl-C stops it.`);

const code = await server.exited;
if (!stopping) {
  await sandbox?.stop();
  console.error(`[start] code-server exited by itself (${code}); its log: ${join(dirs.base, 'code-server.log')}`);
  process.exit(1);
}
