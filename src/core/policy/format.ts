/**
 * Pretty JSON with a fixed key order, so a diff between two policies shows only real changes:
 * top level Version, Id, Statement; in each statement Sid, Effect, Principal, NotPrincipal, Action,
 * NotAction, Resource, NotResource, Condition; every other key (and every key of nested objects)
 * sorted by code unit. Arrays keep their order. Two-space indent, like JSON.stringify(v, null, 2),
 * and the same treatment of values JSON cannot hold (omitted in objects, null in arrays).
 * Iterative, so deep nesting cannot overflow the stack; throws TypeError only for cycles and bigints,
 * as JSON.stringify does.
 */

const TOP = ['Version', 'Id', 'Statement'];
const STATEMENT = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

type Role = 'top' | 'statements' | 'statement' | 'other';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function orderKeys(keys: string[], first: readonly string[]): string[] {
  const head = first.filter((k) => keys.includes(k));
  return [...head, ...keys.filter((k) => !first.includes(k)).sort(byCodeUnit)];
}

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function scalar(v: unknown): string | undefined {
  if (v === null || omitted(v)) return 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') throw new TypeError('A policy cannot contain a bigint.');
  return undefined;
}

interface Frame { obj: object; entries: [string | undefined, unknown, Role][]; i: number; indent: string; close: string }

function open(obj: object, role: Role, indent: string): Frame {
  if (Array.isArray(obj)) {
    const childRole: Role = role === 'statements' ? 'statement' : 'other';
    return { obj, entries: obj.map((v) => [undefined, v, childRole]), i: 0, indent, close: ']' };
  }
  const record = obj as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => !omitted(record[k]));
  const ordered = orderKeys(keys, role === 'top' ? TOP : role === 'statement' ? STATEMENT : []);
  const entries = ordered.map((k): [string, unknown, Role] => {
    const child = record[k];
    const childRole: Role = role === 'top' && k === 'Statement' ? (Array.isArray(child) ? 'statements' : 'statement') : 'other';
    return [k, child, childRole];
  });
  return { obj, entries, i: 0, indent, close: '}' };
}

export function formatPolicy(doc: unknown): string {
  const first = scalar(doc);
  if (first !== undefined) return first;
  const out: string[] = [];
  const ancestors = new Set<object>();
  const stack: Frame[] = [];
  const enter = (obj: object, role: Role, indent: string): void => {
    if (ancestors.has(obj)) throw new TypeError('A policy cannot refer to itself.');
    const frame = open(obj, role, indent);
    if (!frame.entries.length) { out.push(frame.close === ']' ? '[]' : '{}'); return; }
    out.push(frame.close === ']' ? '[' : '{');
    ancestors.add(obj);
    stack.push(frame);
  };
  enter(doc as object, 'top', '');
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i === f.entries.length) {
      out.push(`\n${f.indent}${f.close}`);
      ancestors.delete(f.obj);
      stack.pop();
      continue;
    }
    const [key, value, role] = f.entries[f.i];
    out.push(`${f.i ? ',' : ''}\n${f.indent}  ${key === undefined ? '' : `${JSON.stringify(key)}: `}`);
    f.i++;
    const text = scalar(value);
    if (text !== undefined) out.push(text);
    else enter(value as object, role, `${f.indent}  `);
  }
  return out.join('');
}
