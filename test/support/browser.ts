// Debian's Chromium, started by us (own profile and XDG dirs, stopped by PID) and driven by
// playwright-core from .tools/ over CDP. Never `playwright install`: it downloads browsers.
// Flags from shared/notes/vscode-offline.md.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { isolatedEnv, type RunDirs } from './isolation';
import { startProcess } from './processes';

type Playwright = typeof import('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--disable-extensions', '--password-store=basic',
  '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
];

export interface Chromium {
  readonly browser: Browser;
  readonly pid: number;
  stop(): Promise<void>;
}

export function loadPlaywright(root: string): Playwright {
  return createRequire(join(root, '.tools', 'package.json'))('playwright-core') as Playwright;
}

export async function launchChromium(root: string, dirs: RunDirs, name = 'chromium'): Promise<Chromium> {
  let announce: (endpoint: string) => void = () => undefined;
  const endpoint = new Promise<string>((resolve) => (announce = resolve));
  const child = startProcess(process.env.CHROMIUM_PATH || '/usr/bin/chromium', [
    ...CHROMIUM_ARGS,
    ...(process.env.ROOT_TASKS_HEADED === '1' ? [] : ['--headless']),
    `--user-data-dir=${join(dirs.base, `${name}-profile`)}`,
    'about:blank',
  ], {
    env: isolatedEnv(dirs),
    logFile: join(dirs.base, `${name}.log`),
    onLine: (line) => {
      const match = /DevTools listening on (ws:\S+)/.exec(line);
      if (match) announce(match[1]);
    },
  });
  const failed = child.exited.then((code) => {
    throw new Error(`chromium exited (${code}) before it was ready:\n${child.tail()}`);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`chromium not ready after 60 s:\n${child.tail()}`)), 60_000).unref());
  try {
    const ws = await Promise.race([endpoint, failed, timeout]);
    const browser = await loadPlaywright(root).chromium.connectOverCDP(ws, { timeout: 60_000 });
    return {
      browser,
      pid: child.pid,
      async stop() {
        await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
        await child.stop(5000);
      },
    };
  } catch (err) {
    await child.stop(1000);
    throw err;
  } finally {
    failed.catch(() => undefined);
  }
}
