import { randomUUID } from 'node:crypto';
import { isErrno, writeAll, type AuditFs } from './fs';

export interface LockOptions {
  /** Give up waiting after this long (another window holding the log for this long is stuck). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid is alive (pid reuse, a hung process). */
  staleMs?: number;
  /** Stops waiting (throws) when aborted. */
  signal?: AbortSignal;
}

/**
 * A cross-process lock file around each append. Several VS Code windows share the global storage
 * folder, so several extension hosts append to the same log; without the lock two of them could
 * both write seq N+1 and fork the chain. Created with O_EXCL; a lock whose process is gone (or
 * that is older than staleMs) is broken. Holds for milliseconds (one group commit).
 */
export async function withFileLock<T>(fs: AuditFs, path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = `${process.pid} ${randomUUID()}`;
  await acquire(fs, path, token, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000, options.signal);
  try {
    return await fn();
  } finally {
    await fs.unlink(path).catch(() => undefined);
  }
}

export class LockTimeoutError extends Error {
  constructor(readonly holderPid: number | undefined) {
    super(`the audit log is locked by another process${holderPid ? ` (pid ${holderPid})` : ''}`);
    this.name = 'LockTimeoutError';
  }
}

async function acquire(fs: AuditFs, path: string, token: string, timeoutMs: number, staleMs: number, signal?: AbortSignal): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new Error('stopped while waiting for a lock');
    try {
      const handle = await fs.open(path, 'wx');
      try {
        await writeAll(handle, Buffer.from(token));
      } catch (err) {
        // A disk too full for the lock file is the same failure as for the log itself.
        await handle.close().catch(() => undefined);
        await fs.unlink(path).catch(() => undefined);
        throw err;
      }
      await handle.close();
      return;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    const holder = await readHolder(fs, path);
    if (holder && abandoned(holder, staleMs)) {
      // Re-read right before breaking it, so a lock just re-taken by a live process survives.
      const again = await readHolder(fs, path);
      if (again?.text === holder.text) await fs.unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() - started > timeoutMs) throw new LockTimeoutError(holder?.pid);
    await new Promise((r) => setTimeout(r, Math.min(20, 1 + attempt)));
  }
}

/**
 * The token is written microseconds after the file is created, so a lock file still without one
 * after this long was left by a process that died in between (a crash or a kill at that moment).
 * Waiting for staleMs instead would refuse every root task for longer than the lock's timeout.
 */
const UNWRITTEN_STALE_MS = 2_000;

interface Holder {
  /** Undefined while the token is not written yet. */
  pid: number | undefined;
  text: string;
  mtimeMs: number;
}

function abandoned(holder: Holder, staleMs: number): boolean {
  const age = Date.now() - holder.mtimeMs;
  if (age > staleMs) return true;
  return holder.pid === undefined ? age > UNWRITTEN_STALE_MS : !alive(holder.pid);
}

async function readHolder(fs: AuditFs, path: string): Promise<Holder | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    const pid = Number.parseInt(text.split(' ')[0] ?? '', 10);
    return { pid: Number.isFinite(pid) ? pid : undefined, text, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}
