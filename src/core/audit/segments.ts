import { isErrno, type AuditFs } from './fs';

/**
 * The log is a series of segment files named by the seq of their first event, so sorting names
 * sorts the chain. Rotation starts a new segment; the chain runs on across files unbroken.
 */
export interface Segment {
  name: string;
  firstSeq: number;
}

const PATTERN = /^audit-(\d{12})\.jsonl$/;

export function segmentName(firstSeq: number): string {
  return `audit-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

export async function listSegments(fs: AuditFs, dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
  return names
    .map((name) => ({ name, match: PATTERN.exec(name) }))
    .filter((s): s is { name: string; match: RegExpExecArray } => s.match !== null)
    .map(({ name, match }) => ({ name, firstSeq: Number(match[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Reads `length` bytes at `position` of a file. */
export async function readRange(fs: AuditFs, path: string, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const handle = await fs.open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/**
 * Names, sizes and modification times of every segment: equal fingerprints mean no segment was
 * changed, added or removed in between (the full verification is not repeated for each intent).
 */
export async function logFingerprint(fs: AuditFs, dir: string): Promise<string> {
  const parts: string[] = [];
  for (const segment of await listSegments(fs, dir)) {
    const st = await fs.stat(`${dir}/${segment.name}`);
    parts.push(`${segment.name}:${st.size}:${st.mtimeMs}`);
  }
  return parts.join('|');
}
