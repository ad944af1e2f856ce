/**
 * Reads an SCP or RCP document into statements the evaluator can test. SCPs name no principal
 * (they bound the member account's principals); RCPs name `"Principal": "*"` (the only principal
 * AWS accepts in them) and limit by conditions. A document or statement that cannot be read is
 * kept as `unreadable`: the evaluator then says "may be blocked", never "allowed".
 * Condition entries reuse the policy analyzer's reading (src/core/policy/document.ts shapes).
 */
import type { ConditionEntry, PatternList } from '../policy/document';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../policy/json';

export interface GuardStatement {
  index: number;
  /** `Statement[0] ("DenyRoot")` */
  label: string;
  effect: 'Allow' | 'Deny';
  actions: PatternList;
  /** Undefined: no Resource element (AWS requires one in SCPs; treated as every resource). */
  resources?: PatternList;
  /** RCPs: whether the principal element covers every principal; undefined when it cannot be told. */
  everyPrincipal: boolean | undefined;
  conditions: ConditionEntry[];
  text: string;
}

export interface ReadGuardPolicy {
  statements: GuardStatement[];
  /** Statements (or the whole document) that could not be read. */
  unreadable: string[];
}

function strings(v: JsonValue | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

function patterns(st: JsonObject, yes: string, no: string): PatternList | undefined | null {
  const key = yes in st ? yes : no in st ? no : undefined;
  if (!key) return undefined;
  const list = strings(st[key]);
  return list ? { not: key === no, patterns: list } : null;
}

function conditions(v: JsonValue | undefined): ConditionEntry[] | null {
  if (v === undefined) return [];
  if (!isJsonObject(v)) return null;
  const out: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(v)) {
    if (!isJsonObject(block)) return null;
    for (const [key, raw] of Object.entries(block)) {
      const items = Array.isArray(raw) ? raw : [raw];
      if (!items.length || items.some((i) => typeof i !== 'string' && typeof i !== 'number' && typeof i !== 'boolean')) return null;
      out.push({ operator, key, values: items.map(String) });
    }
  }
  return out;
}

function principal(st: JsonObject): boolean | undefined {
  if (!('Principal' in st)) return 'NotPrincipal' in st ? undefined : true;
  const p = st.Principal;
  if (p === '*') return true;
  if (isJsonObject(p) && strings(p.AWS)?.includes('*')) return true;
  return undefined;
}

const cache = new Map<string, ReadGuardPolicy>();

/** Parsed once per distinct document: 5,000 accounts share the same few dozen policies. */
export function readGuardPolicy(content: string): ReadGuardPolicy {
  let read = cache.get(content);
  if (!read) {
    read = readUncached(content);
    if (cache.size > 2_000) cache.clear();
    cache.set(content, read);
  }
  return read;
}

function readUncached(content: string): ReadGuardPolicy {
  const parsed = parseJson(content);
  if (!parsed.ok) return { statements: [], unreadable: [`the document is not JSON (${parsed.message})`] };
  const doc = parsed.value;
  if (!isJsonObject(doc) || doc.Statement === undefined) return { statements: [], unreadable: ['the document has no Statement'] };
  const isList = Array.isArray(doc.Statement);
  const list = isList ? (doc.Statement as JsonValue[]) : [doc.Statement];
  const statements: GuardStatement[] = [];
  const unreadable: string[] = [];
  list.forEach((raw, index) => {
    const at = isList ? `Statement[${index}]` : 'Statement';
    if (!isJsonObject(raw)) { unreadable.push(`${at} is not an object`); return; }
    const label = typeof raw.Sid === 'string' && raw.Sid ? `${at} (${JSON.stringify(raw.Sid)})` : at;
    const actions = patterns(raw, 'Action', 'NotAction');
    const resources = patterns(raw, 'Resource', 'NotResource');
    const conds = conditions(raw.Condition);
    if ((raw.Effect !== 'Allow' && raw.Effect !== 'Deny') || !actions || resources === null || !conds) {
      unreadable.push(`${label} cannot be read`);
      return;
    }
    statements.push({
      index, label, effect: raw.Effect, actions, resources: resources ?? undefined,
      everyPrincipal: principal(raw), conditions: conds, text: JSON.stringify(raw, null, 2),
    });
  });
  return { statements, unreadable };
}
