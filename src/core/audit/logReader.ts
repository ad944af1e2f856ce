import { linkProblem, parseEventLine, type ChainHead } from './chain';
import type { AuditFs } from './fs';
import { listSegments, readRange, type Segment } from './segments';
import { CHAIN_RESTARTED, type AuditEvent } from './types';

export interface ReadBatch {
  events: AuditEvent[];
  /** The stored lines of those events, byte for byte (what the sink receives). */
  lines: string[];
  /** The chain head after the last event. */
  head: ChainHead;
}

interface Position {
  segment: Segment;
  offset: number;
  head: ChainHead;
}

/**
 * Reads the log forward from a chain head for the delivery worker. Every event read is checked
 * against the one before it, so a tampered log stops delivery instead of forwarding a broken
 * chain. Byte positions are remembered so a long log is scanned once, not once per batch.
 */
export class LogReader {
  private positions: Position[] = [];

  constructor(
    private readonly fs: AuditFs,
    private readonly dir: string,
    /** The writer's lock: sizes are taken under it, so a batch being written (or rolled back) is never read. */
    private readonly locked: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  /** Up to maxEvents (and about maxBytes) events after `after`; empty when none are there yet. */
  async read(after: ChainHead, maxEvents: number, maxBytes: number): Promise<ReadBatch | { problem: string }> {
    let pos = this.positions.find((p) => p.head.seq === after.seq && p.head.hash === after.hash);
    if (!pos) {
      const located = await this.locate(after);
      if (!located) return { events: [], lines: [], head: after };
      if ('problem' in located) return located;
      pos = located;
    }
    const start = pos.segment;
    const durable = await this.locked(async () => {
      const later = (await listSegments(this.fs, this.dir)).filter((s) => s.firstSeq >= start.firstSeq);
      return Promise.all(later.map(async (s) => ({ segment: s, size: (await this.fs.stat(this.path(s))).size })));
    });
    const events: AuditEvent[] = [];
    const lines: string[] = [];
    let bytes = 0;
    let head = pos.head;
    let segment = pos.segment;
    let offset = pos.offset;
    while (events.length < maxEvents && bytes < maxBytes) {
      const size = durable.find((d) => d.segment.name === segment.name)?.size ?? 0;
      if (offset >= size) {
        const next = durable.find((d) => d.segment.firstSeq > segment.firstSeq)?.segment;
        if (!next) break;
        segment = next;
        offset = 0;
        continue;
      }
      const chunk = await readRange(this.fs, this.path(segment), offset, Math.min(size - offset, maxBytes + 128 * 1024));
      let start = 0;
      for (let end = chunk.indexOf(10); end >= 0 && events.length < maxEvents && bytes < maxBytes; end = chunk.indexOf(10, start)) {
        const line = chunk.subarray(start, end).toString('utf8');
        const parsed = parseEventLine(line);
        if (typeof parsed === 'string') return { problem: `${segment.name} at byte ${offset + start}: ${parsed}` };
        const problem = linkProblem(head, parsed);
        if (problem) return { problem: `${segment.name}: ${problem}` };
        events.push(parsed);
        lines.push(line);
        bytes += end - start + 1;
        head = { seq: parsed.seq, hash: parsed.hash };
        start = end + 1;
      }
      // No complete line in the chunk: a line still being written, or one longer than the chunk.
      if (start === 0) {
        if (chunk.length < size - offset) return { problem: `${segment.name}: a line longer than ${chunk.length} bytes` };
        break;
      }
      offset += start;
    }
    this.positions = [pos, { segment, offset, head }];
    return { events, lines, head };
  }

  private async startsWithRestart(segment: Segment): Promise<boolean> {
    const text = await this.locked(() => this.fs.readFile(this.path(segment), 'utf8'));
    const end = text.indexOf('\n');
    const first = end < 0 ? undefined : parseEventLine(text.slice(0, end));
    return !!first && typeof first !== 'string' && first.kind === CHAIN_RESTARTED && first.seq === segment.firstSeq;
  }

  private path(segment: Segment): string {
    return `${this.dir}/${segment.name}`;
  }

  /** Finds the byte position just after `after` by scanning the segment that holds it. */
  private async locate(after: ChainHead): Promise<Position | { problem: string } | undefined> {
    const segments = await listSegments(this.fs, this.dir);
    if (!segments.length) return after.seq === 0 ? undefined : { problem: `the log is empty but seq ${after.seq} was delivered (deleted)` };
    let index = segments.length - 1;
    while (index >= 0 && segments[index]!.firstSeq > after.seq + 1) index--;
    if (index < 0) {
      // A chain restarted after a damaged log was acknowledged: delivery goes on with its first
      // event, which documents the gap (its seq is past every delivered one).
      if (await this.startsWithRestart(segments[0]!)) return { segment: segments[0]!, offset: 0, head: after };
      return { problem: `the log starts at seq ${segments[0]!.firstSeq}, after the delivered seq ${after.seq} (deleted)` };
    }
    const segment = segments[index]!;
    // When the segment starts right after `after`, the first event read is linked to it instead.
    let found = segment.firstSeq === after.seq + 1;
    const text = await this.locked(() => this.fs.readFile(this.path(segment), 'utf8'));
    let offset = 0;
    let bytes = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', offset)) {
      const line = text.slice(offset, end);
      const parsed = parseEventLine(line);
      if (typeof parsed === 'string') return { problem: `${segment.name}: ${parsed}` };
      if (parsed.seq > after.seq) break;
      if (parsed.seq === after.seq) {
        if (parsed.hash !== after.hash) return { problem: `seq ${after.seq} in the log differs from the delivered one (replaced)` };
        found = true;
      }
      offset = end + 1;
      bytes += Buffer.byteLength(line) + 1;
    }
    if (!found) return { problem: `the delivered seq ${after.seq} is missing from the log (deleted)` };
    return { segment, offset: bytes, head: after };
  }
}
