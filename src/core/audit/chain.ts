import { createHash } from 'node:crypto';
import { CHAIN_RESTARTED, GENESIS_HASH, type AuditEvent } from './types';

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
 * JSON.stringify writes them. For the values an event can hold (strings, finite numbers, booleans,
 * one nested object) this is RFC 8785 (JCS), so a sink can recompute hashes in any language.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON of the event without its own `hash` (prevHash included). */
export function eventHash(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const rest: Record<string, unknown> = { ...event };
  delete rest.hash;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The stored line: canonical JSON of the whole event (so the log is byte-for-byte reproducible). */
export function eventLine(event: AuditEvent): string {
  return `${canonicalJson(event)}\n`;
}

/** Where the chain stands after some event (or before the first one). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainHead = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks one event against the head before it. Returns what is wrong in words (for the
 * verification report), or undefined when the event follows correctly.
 */
export function linkProblem(head: ChainHead, event: AuditEvent): string | undefined {
  if (eventHash(event) !== event.hash) return `seq ${event.seq}: the content does not match its hash (edited)`;
  // An acknowledged restart: a documented gap after which the chain goes on; seqs only grow.
  if (event.kind === CHAIN_RESTARTED && event.seq > head.seq) return undefined;
  if (event.seq !== head.seq + 1) {
    return event.seq <= head.seq
      ? `seq ${event.seq} comes after seq ${head.seq} (reordered or duplicated)`
      : `seq ${event.seq} follows seq ${head.seq}: ${event.seq - head.seq - 1} event(s) missing (deleted)`;
  }
  if (event.prevHash !== head.hash) return `seq ${event.seq}: prevHash does not match the previous event (chain broken)`;
  return undefined;
}

/** Parses one stored line into an event, or explains why it is not one. */
export function parseEventLine(text: string): AuditEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  const fields: Array<[string, string]> = [['id', 'string'], ['seq', 'number'], ['time', 'string'], ['actor', 'string'],
    ['prevHash', 'string'], ['hash', 'string'], ['kind', 'string']];
  for (const [name, type] of fields) {
    if (typeof e[name] !== type) return `field "${name}" is missing or not a ${type}`;
  }
  return value as AuditEvent;
}
