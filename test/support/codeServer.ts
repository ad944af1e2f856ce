// code-server (a VS Code server and its web workbench) on 127.0.0.1 and a free port, with its own
// folders. Facts and flags: shared/notes/vscode-offline.md; versions: test/scripts/lib/tools.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedEnv, type RunDirs } from './isolation';
import { freePort, startProcess, type Started } from './processes';

/** Where a code-server runs from (a VS Code target of test/scripts/lib/tools.mjs). */
export interface CodeServerInstall {
  /** code-server's out/node/entry.js. */
  entry: string;
  /** The node binary it runs on (its VS Code version needs its own Node). */
  nodePath: string;
  /** The VS Code server inside code-server's package (lib/vscode/out/server-main.js). */
  serverMain: string;
}

export interface CodeServerOptions extends CodeServerInstall {
  dirs: RunDirs;
  /** Extra environment for code-server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Remote ("Machine") settings: the scope the extension host reads, machine-scoped ones included. */
  machineSettings?: Record<string, unknown>;
  /** A fixed port (`npm start` honours PORT); otherwise a free one is chosen. */
  port?: number;
  startupTimeoutMs?: number;
  onLine?: (line: string) => void;
  /**
   * Workspace trust on and the run's folder left untrusted (restricted mode, no prompt): the host
   * tier's untrusted pass. Default: trust off, as a person who trusts their folder works.
   */
  untrusted?: boolean;
  /**
   * The host tier's mode: VS Code's own server (the one inside code-server's package, with
   * code-server's patches) started with `--enable-smoke-test-driver`. A built web workbench honours
   * the launch payload naming the extension tests only with that flag (VS Code 1.139's
   * `resolveExtensionHostDebugEnvironment`), and code-server's CLI does not accept it.
   */
  testDriver?: boolean;
}

export interface CodeServer {
  readonly url: string;
  readonly pid: number;
  /** Resolves when code-server exits (by itself or by stop()). */
  readonly exited: Promise<number | string>;
  /** The workbench URL for the run's workspace, optionally with a launch payload. */
  workbenchUrl(payload?: Array<[string, string]>): string;
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  // Run folders live inside the project's git repository: no "open the parent repository?" toast.
  'git.openRepositoryInParentFolders': 'never',
};

/** Trust on, the folder never trusted and never asked about: restricted mode from the start. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

// Without its own config file code-server writes one with a generated password.
function writeConfig(dirs: RunDirs): void {
  mkdirSync(join(dirs.config, 'code-server'), { recursive: true });
  writeFileSync(join(dirs.config, 'code-server', 'config.yaml'), 'auth: none\ncert: false\n');
}

function baseArgs({ entry }: CodeServerInstall, dirs: RunDirs): string[] {
  return [entry, '--config', join(dirs.config, 'code-server', 'config.yaml'),
    '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/** `code-server --install-extension <vsix>` into the run's own extensions folder. */
export function installExtension(install: CodeServerInstall, dirs: RunDirs, vsix: string): void {
  writeConfig(dirs);
  const r = spawnSync(install.nodePath, [...baseArgs(install, dirs), '--force', '--install-extension', vsix], {
    env: isolatedEnv(dirs), encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(`code-server --install-extension failed (${r.status ?? r.signal ?? r.error?.message}):\n${r.stdout}\n${r.stderr}`);
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

async function startOnce(options: CodeServerOptions, port: number): Promise<{ process: Started; url: string }> {
  const { dirs } = options;
  const url = `http://127.0.0.1:${port}`;
  const trust = options.untrusted ? [] : ['--disable-workspace-trust'];
  const args = options.testDriver
    ? [options.serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
      '--accept-server-license-terms', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
      '--disable-telemetry', ...trust, '--enable-smoke-test-driver']
    : [...baseArgs(options, dirs), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', ...trust,
      '--disable-getting-started-override', '--ignore-last-opened', dirs.workspace];
  const child = startProcess(options.nodePath, args, {
    env: isolatedEnv(dirs, options.env),
    logFile: join(dirs.base, 'code-server.log'),
    onLine: options.onLine,
  });
  const deadline = Date.now() + (options.startupTimeoutMs ?? 120_000);
  let exited = false;
  void child.exited.then(() => (exited = true));
  // code-server answers /healthz; VS Code's server /version.
  const probe = `${url}/${options.testDriver ? 'version' : 'healthz'}`;
  while (Date.now() < deadline && !exited) {
    if (await healthy(probe)) return { process: child, url };
    await sleep(300);
  }
  await child.stop();
  const why = exited ? `exited (${await child.exited})` : `not healthy after ${options.startupTimeoutMs ?? 120_000} ms`;
  throw new Error(`code-server on ${url} ${why}; last output:\n${child.tail()}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { dirs } = options;
  writeConfig(dirs);
  writeJson(join(dirs.userData, 'User', 'settings.json'), options.untrusted ? { ...USER_SETTINGS, ...UNTRUSTED_SETTINGS } : USER_SETTINGS);
  writeJson(join(dirs.userData, 'Machine', 'settings.json'), options.machineSettings ?? {});
  let lastError: unknown;
  // A free port can be taken between choosing and binding it; a noisy machine can also make one
  // start miss its deadline. Three tries, then the last error with code-server's own output.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const { process: child, url } = await startOnce(options, options.port ?? await freePort());
      return {
        url,
        pid: child.pid,
        exited: child.exited,
        workbenchUrl(payload) {
          const query = new URLSearchParams({ folder: dirs.workspace });
          if (payload) query.set('payload', JSON.stringify(payload));
          return `${url}/?${query}`;
        },
        tail: (lines) => child.tail(lines),
        stop: () => child.stop(),
      };
    } catch (err) {
      lastError = err;
      if (options.port !== undefined) break;
      console.error(`[code-server] start attempt ${attempt} failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw lastError;
}
