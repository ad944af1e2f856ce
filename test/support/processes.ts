// Child processes the harness starts (code-server, the sandbox): each in its own process group so
// that stopping it by PID also ends what it started (extension host, pty host, npm's child).
// Signals are process-wide, hence the one set of running processes: Ctrl-C or an early exit of
// the runner still stops them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';

export interface Started {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** The last lines it printed, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM to its process group, SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Everything it prints is appended here. */
  logFile: string;
  /** Called with each line it prints (stdout and stderr). */
  onLine?: (line: string) => void;
}

const running = new Set<Started>();
let handlersInstalled = false;

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const p of running) signalGroup(p.pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      void Promise.allSettled([...running].map((p) => p.stop(5000)))
        .finally(() => process.exit(128 + constants.signals[signal]));
    });
  }
}

export function startProcess(command: string, args: string[], options: StartOptions): Started {
  installHandlers();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const recent: string[] = [];
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 200) recent.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (err) => {
      recent.push(String(err));
      resolve('error');
    });
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  let stopping: Promise<void> | undefined;
  const started: Started = {
    pid,
    child,
    exited,
    tail: (lines = 40) => recent.slice(-lines).join('\n'),
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        signalGroup(pid, 'SIGTERM');
        const timer = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
        await Promise.race([exited, timer]);
        // Also sweeps group members that outlived the leader.
        signalGroup(pid, 'SIGKILL');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        running.delete(started);
        log.end();
      })();
      return stopping;
    },
  };
  running.add(started);
  void exited.then(() => running.delete(started));
  return started;
}

/** A port free on 127.0.0.1 right now (the caller retries if it is taken before it binds). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
