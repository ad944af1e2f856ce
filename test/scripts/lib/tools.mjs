// Installs what `npm start` and the host/e2e tiers need and a fresh clone lacks: the Debian
// packages, the extension's own npm dependencies, and the tools (code-server, playwright-core) in
// the git-ignored .tools/ folder, so the extension's dependencies and its .vsix stay small.
// The install quirks are the ones in shared/notes/vscode-offline.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from './lock.mjs';

export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'openssh-client'];
export const TOOL_VERSIONS = { 'code-server': '4.100.3', 'playwright-core': '1.65.1' };
// code-server 4.100.3 bundles @vscode/ripgrep 1.15.11, whose postinstall looks here before GitHub.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function toolsDir(root) {
  return join(root, '.tools');
}

export function toolPaths(root) {
  const modules = join(toolsDir(root), 'node_modules');
  return {
    codeServer: join(modules, 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: join(modules, 'playwright-core'),
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

function toolsStamp() {
  return JSON.stringify(TOOL_VERSIONS);
}

/** A tarball of Debian's rg under the name @vscode/ripgrep's postinstall looks for offline. */
function prepareRipgrepCache(tmp) {
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(cache, { recursive: true });
  run('tar', ['-czf', join(cache, RIPGREP_TARBALL), '-C', '/usr/bin', 'rg']);
}

/**
 * Installs code-server and playwright-core into .tools/ once (about a minute, ~300 MB); later calls
 * return at once. A lock keeps two runs in the same checkout from installing at the same time.
 */
export async function ensureTools(root) {
  const dir = toolsDir(root);
  const stampFile = join(dir, 'installed.json');
  const done = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === toolsStamp();
  ensureDebianPackages(); // also when .tools/ exists: Chromium is needed at run time
  if (done()) return toolPaths(root);
  mkdirSync(dir, { recursive: true });
  await withLock(join(dir, 'install.lock'), async () => {
    if (done()) return;
    const started = Date.now();
    console.log(`[tools] installing ${Object.entries(TOOL_VERSIONS).map(([n, v]) => `${n}@${v}`).join(', ')} into .tools/`);
    const home = join(dir, 'install-home');
    const tmp = join(home, 'tmp');
    rmSync(home, { recursive: true, force: true });
    prepareRipgrepCache(tmp);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'aws-root-tasks-tools', private: true, description: 'Test and demo tools, kept out of the extension.',
      dependencies: TOOL_VERSIONS,
    }, null, 2) + '\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: dir,
      env: {
        ...process.env,
        TMPDIR: tmp,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CACHE_HOME: join(home, 'cache'),
        npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
        npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it
      },
    });
    rmSync(home, { recursive: true, force: true });
    writeFileSync(stampFile, toolsStamp());
    console.log(`[tools] installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return toolPaths(root);
}
