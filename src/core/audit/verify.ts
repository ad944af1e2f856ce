import { CHAIN_START, linkProblem, parseEventLine, type ChainHead } from './chain';
import { fsReason } from './errors';
import type { AuditFs } from './fs';
import { listSegments } from './segments';
import type { ChainAnchor } from './types';

export interface VerifyResult {
  ok: boolean;
  events: number;
  /** The first problem found, with file and line, in words. */
  problem?: string;
  head: ChainHead;
}

/**
 * Walks the whole chain across all segments: every line must parse, hash to its own `hash`,
 * follow the previous seq by one and carry the previous hash. This catches an edited, deleted,
 * inserted or reordered line anywhere. Deleting lines at the very end leaves a valid shorter
 * chain, so the anchors (the delivery cursors, the last event this window wrote) must still be
 * in the log with the same hash. A plain SHA-256 chain proves integrity against accidents and
 * naive edits; someone who rewrites and rehashes the whole log is caught by the sink's copy.
 */
export async function verifyLog(fs: AuditFs, dir: string, anchors: ChainAnchor[] = []): Promise<VerifyResult> {
  let head = CHAIN_START;
  let events = 0;
  const wanted = new Map(anchors.map((a) => [a.seq, a]));
  const fail = (problem: string): VerifyResult => ({ ok: false, events, problem, head });
  try {
    for (const segment of await listSegments(fs, dir)) {
      const text = await fs.readFile(`${dir}/${segment.name}`, 'utf8');
      if (!text) continue;
      if (!text.endsWith('\n')) return fail(`${segment.name} ends with an incomplete line`);
      const lines = text.slice(0, -1).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const where = `${segment.name} line ${i + 1}`;
        const parsed = parseEventLine(lines[i]!);
        if (typeof parsed === 'string') return fail(`${where}: ${parsed}`);
        if (i === 0 && parsed.seq !== segment.firstSeq) return fail(`${where}: the file is named for seq ${segment.firstSeq} but starts at seq ${parsed.seq}`);
        const problem = linkProblem(head, parsed);
        if (problem) return fail(`${where}: ${problem}`);
        const anchor = wanted.get(parsed.seq);
        if (anchor && anchor.hash !== parsed.hash) return fail(`${where}: seq ${parsed.seq} differs from the one recorded by ${anchor.source} (replaced)`);
        head = { seq: parsed.seq, hash: parsed.hash };
        events++;
      }
    }
  } catch (err) {
    return fail(`the log could not be read (${fsReason(err)})`);
  }
  const beyond = anchors.find((a) => a.seq > head.seq);
  if (beyond) return fail(`the log ends at seq ${head.seq} but ${beyond.source} recorded seq ${beyond.seq}: events were removed from the end`);
  return { ok: true, events, head };
}
