import { createHash } from 'node:crypto';
import { CHAIN_START, type ChainHead } from './chain';
import { isErrno, writeFileAtomic, type AuditFs } from './fs';
import type { ChainAnchor } from './types';

/**
 * The delivery cursor: the chain head the sink has acknowledged, one file per sink URL (a new
 * sink receives the whole log from the start). Written atomically after every acknowledged
 * batch, so a restarted worker resumes there; anything sent after it is sent again (at least
 * once; the event id is the idempotency key).
 */
export const cursorDir = (dir: string) => `${dir}/delivery`;

export function cursorName(sinkUrl: string): string {
  return `cursor-${createHash('sha256').update(sinkUrl).digest('hex').slice(0, 16)}.json`;
}

interface CursorFile extends ChainHead {
  /** The sink's origin only: a path or query could carry a token. */
  sink: string;
  updatedAt: string;
}

/** The saved head, CHAIN_START when none, undefined when the file is unreadable (start over). */
export async function loadCursor(fs: AuditFs, dir: string, name: string): Promise<ChainHead | undefined> {
  try {
    return toHead(JSON.parse(await fs.readFile(`${cursorDir(dir)}/${name}`, 'utf8')));
  } catch (err) {
    return isErrno(err, 'ENOENT') ? CHAIN_START : undefined;
  }
}

export async function saveCursor(fs: AuditFs, dir: string, name: string, head: ChainHead, sink: string, now: Date): Promise<void> {
  const file: CursorFile = { seq: head.seq, hash: head.hash, sink, updatedAt: now.toISOString() };
  await fs.mkdir(cursorDir(dir), { recursive: true });
  await writeFileAtomic(fs, cursorDir(dir), name, `${JSON.stringify(file)}\n`);
}

/** Every cursor as a verification anchor: the log must still hold what a sink acknowledged. */
export async function cursorAnchors(fs: AuditFs, dir: string): Promise<ChainAnchor[]> {
  let names: string[];
  try {
    names = (await fs.readdir(cursorDir(dir))).filter((n) => /^cursor-[0-9a-f]{16}\.json$/.test(n));
  } catch {
    return [];
  }
  const anchors: ChainAnchor[] = [];
  for (const name of names) {
    try {
      const parsed = JSON.parse(await fs.readFile(`${cursorDir(dir)}/${name}`, 'utf8')) as Partial<CursorFile>;
      const head = toHead(parsed);
      if (head && head.seq > 0) anchors.push({ ...head, source: `the delivery cursor of ${String(parsed.sink)}` });
    } catch {
      // An unreadable cursor only means that sink gets everything again; it anchors nothing.
    }
  }
  return anchors;
}

function toHead(value: unknown): ChainHead | undefined {
  const v = value as Partial<ChainHead> | null;
  if (!v || typeof v.seq !== 'number' || !Number.isInteger(v.seq) || v.seq < 0 || typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) {
    return undefined;
  }
  return { seq: v.seq, hash: v.hash };
}
