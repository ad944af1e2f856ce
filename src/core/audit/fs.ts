import { promises as fsp } from 'node:fs';

/**
 * The file operations the audit log needs: a subset of node:fs/promises, passed in so tests can
 * make a write or an fsync fail (tests run as root, which chmod does not stop).
 */
export interface AuditFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: string): Promise<AuditFileHandle>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ size: number; mtimeMs: number }>;
  truncate(path: string, length: number): Promise<void>;
}

export const nodeFs: AuditFs = fsp;

export async function writeAll(handle: AuditFileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    offset += bytesWritten;
  }
}

/** Makes a created or renamed directory entry durable (fsync of the directory, as on Linux). */
export async function syncDir(fs: AuditFs, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a small file atomically: temp file, fsync, rename over, fsync the directory. */
export async function writeFileAtomic(fs: AuditFs, dir: string, name: string, text: string): Promise<void> {
  const tmp = `${dir}/.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await writeAll(handle, Buffer.from(text));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, `${dir}/${name}`);
  await syncDir(fs, dir);
}

export function isErrno(err: unknown, code: string): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === code;
}
