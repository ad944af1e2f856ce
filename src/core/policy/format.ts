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
const rank = (names: string[]): Map<string, number> => new Map(names.map((k, i) => [k, i]));
const TOP_RANK = rank(TOP);
const STATEMENT_RANK = rank(STATEMENT);

function orderKeys(keys: string[], first: Map<string, number> | undefined): string[] {
  if (!first) return keys.sort(byCodeUnit);
  const head: string[] = [];
  const rest: string[] = [];
  for (const k of keys) (first.has(k) ? head : rest).push(k);
  head.sort((a, b) => (first.get(a) as number) - (first.get(b) as number));
  return head.concat(rest.sort(byCodeUnit));
}

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function scalar(v: unknown): string | undefined {
  if (v === null || omitted(v)) return 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') throw new TypeError('A policy cannot contain a bigint.');
  return undefined;
}

interface Frame {
  obj: object;
  /** Object keys in output order; undefined for an array. */
  keys: string[] | undefined;
  length: number;
  i: number;
  indent: string;
  role: Role;
}

function open(obj: object, role: Role, indent: string): Frame {
  if (Array.isArray(obj)) return { obj, keys: undefined, length: obj.length, i: 0, indent, role };
  const record = obj as Record<string, unknown>;
  const keys = orderKeys(Object.keys(record).filter((k) => !omitted(record[k])), role === 'top' ? TOP_RANK : role === 'statement' ? STATEMENT_RANK : undefined);
  return { obj, keys, length: keys.length, i: 0, indent, role };
}

function childRole(f: Frame, key: string | undefined, child: unknown): Role {
  if (!f.keys) return f.role === 'statements' ? 'statement' : 'other';
  return f.role === 'top' && key === 'Statement' ? (Array.isArray(child) ? 'statements' : 'statement') : 'other';
}

export function formatPolicy(doc: unknown): string {
  const first = scalar(doc);
  if (first !== undefined) return first;
  let out = '';
  const ancestors = new Set<object>();
  const stack: Frame[] = [];
  let next: { obj: object; role: Role; indent: string } | undefined = { obj: doc as object, role: 'top', indent: '' };
  for (;;) {
    if (next) {
      if (ancestors.has(next.obj)) throw new TypeError('A policy cannot refer to itself.');
      const frame = open(next.obj, next.role, next.indent);
      next = undefined;
      if (!frame.length) out += frame.keys ? '{}' : '[]';
      else {
        out += frame.keys ? '{' : '[';
        ancestors.add(frame.obj);
        stack.push(frame);
      }
    }
    const f = stack[stack.length - 1];
    if (!f) return out;
    if (f.i === f.length) {
      out += `\n${f.indent}${f.keys ? '}' : ']'}`;
      ancestors.delete(f.obj);
      stack.pop();
      continue;
    }
    const key = f.keys ? f.keys[f.i] : undefined;
    const value = key === undefined ? (f.obj as unknown[])[f.i] : (f.obj as Record<string, unknown>)[key];
    out += `${f.i ? ',' : ''}\n${f.indent}  ${key === undefined ? '' : `${JSON.stringify(key)}: `}`;
    f.i++;
    const text = scalar(value);
    if (text !== undefined) out += text;
    else next = { obj: value as object, role: childRole(f, key, value), indent: `${f.indent}  ` };
  }
}
