// Every code-server and Chromium run gets its own folders, and an environment that points home,
// XDG and temp dirs at them: nothing is written to the real home directory (code-server writes
// ~/.config and ~/.local/share on every call, Chromium ~/.config/chromium and ~/.pki), and the
// extension under test never sees the developer's AWS credentials or an outer VS Code's hooks.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunDirs {
  base: string;
  home: string;
  config: string;
  data: string;
  cache: string;
  tmp: string;
  userData: string;
  extensions: string;
  workspace: string;
}

export function createRunDirs(base: string): RunDirs {
  mkdirSync(base, { recursive: true });
  const dirs: RunDirs = {
    base,
    home: join(base, 'home'),
    config: join(base, 'xdg-config'),
    data: join(base, 'xdg-data'),
    cache: join(base, 'xdg-cache'),
    // Short: Chromium and VS Code put unix sockets here, and a socket path has at most 107 bytes.
    tmp: mkdtempSync(join(tmpdir(), 'rtvs-')),
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    workspace: join(base, 'workspace'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // Sockets and scratch only: gone with the process even when a signal or crash cut the run short.
  process.once('exit', () => rmSync(dirs.tmp, { recursive: true, force: true }));
  return dirs;
}

/** Removes the temp folder, and the run folder too unless it is kept for inspection. */
export function removeRunDirs(dirs: RunDirs, keepBase: boolean): void {
  rmSync(dirs.tmp, { recursive: true, force: true, maxRetries: 3 });
  if (!keepBase) rmSync(dirs.base, { recursive: true, force: true, maxRetries: 3 });
}

// Variables of an enclosing VS Code (VSCODE_IPC_HOOK_CLI makes code-server hand its work to that
// window) and of the developer's AWS setup (tests must never reach real AWS).
const INHERITED_BLOCKLIST = /^(VSCODE_|ELECTRON_|AWS_|NODE_OPTIONS$)/;

export function isolatedEnv(dirs: RunDirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_BLOCKLIST.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    ...extra,
  };
}
