/**
 * Reads a parsed policy into statements the analyzer can judge, collecting every shape problem
 * (wrong types, missing elements) as a sentence. Lenient where AWS is and where it cannot matter:
 * unknown elements are ignored here (validate.ts rejects them in proposals); condition values may be
 * strings, numbers or booleans, as AWS accepts.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './json';

export const VERSIONS = ['2012-10-17', '2008-10-17'];
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
/** Far above what fits in AWS's size limits (20 KB; SQS also caps a policy at 20 statements). */
export const MAX_STATEMENTS = 1_000;
const MAX_PROBLEMS = 20;

export interface PatternList { not: boolean; patterns: string[] }
export interface PrincipalEntry { type: string; value: string }
export interface PrincipalSpec { not: boolean; everyone: boolean; entries: PrincipalEntry[] }
export interface ConditionEntry { operator: string; key: string; values: string[] }

export interface Statement {
  index: number;
  sid?: string;
  /** How messages name it: `Statement[2] ("DenyAll")`. */
  label: string;
  raw: JsonObject;
  effect: 'Allow' | 'Deny';
  principal: PrincipalSpec;
  actions: PatternList;
  /** Undefined when the statement names no Resource: it then applies to the resource it is attached to. */
  resources?: PatternList;
  conditions: ConditionEntry[];
}

export interface PolicyModel {
  doc: JsonObject;
  statementIsList: boolean;
  /** Every statement that is well formed (a malformed one is only reported in problems). */
  statements: Statement[];
  problems: string[];
}

export function describeValue(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function stringList(v: JsonValue, what: string, problems: string[]): string[] | undefined {
  const items = Array.isArray(v) ? v : [v];
  if (Array.isArray(v) && v.length === 0) { problems.push(`${what} is an empty list.`); return undefined; }
  for (let k = 0; k < items.length; k++) {
    if (typeof items[k] !== 'string') {
      problems.push(`${what} must be a string or a list of strings; ${Array.isArray(v) ? `item ${k + 1} is` : 'it is'} ${describeValue(items[k])}.`);
      return undefined;
    }
  }
  return items as string[];
}

function readPatterns(st: JsonObject, yes: string, no: string, at: string, problems: string[], required: boolean): PatternList | undefined | null {
  if (has(st, yes) && has(st, no)) { problems.push(`${at}: has both "${yes}" and "${no}"; use one.`); return null; }
  const key = has(st, yes) ? yes : has(st, no) ? no : undefined;
  if (key === undefined) {
    if (required) { problems.push(`${at}: needs "${yes}" or "${no}".`); return null; }
    return undefined;
  }
  const patterns = stringList(st[key], `${at}: "${key}"`, problems);
  return patterns ? { not: key === no, patterns } : null;
}

function readPrincipal(st: JsonObject, at: string, problems: string[]): PrincipalSpec | undefined {
  if (has(st, 'Principal') && has(st, 'NotPrincipal')) { problems.push(`${at}: has both "Principal" and "NotPrincipal"; use one.`); return undefined; }
  const key = has(st, 'Principal') ? 'Principal' : has(st, 'NotPrincipal') ? 'NotPrincipal' : undefined;
  if (!key) { problems.push(`${at}: needs "Principal" (bucket and queue policies name who they apply to).`); return undefined; }
  const v = st[key];
  const not = key === 'NotPrincipal';
  if (v === '*') return { not, everyone: true, entries: [] };
  if (!isJsonObject(v) || Object.keys(v).length === 0) {
    problems.push(`${at}: "${key}" must be "*" or an object such as {"AWS": ["arn:aws:iam::111122223333:root"]}, not ${describeValue(v)}.`);
    return undefined;
  }
  const entries: PrincipalEntry[] = [];
  let ok = true;
  for (const type of Object.keys(v)) {
    if (!PRINCIPAL_TYPES.includes(type)) {
      problems.push(`${at}: "${key}" has the unknown principal type "${type}" (expected ${PRINCIPAL_TYPES.join(', ')}).`);
      ok = false;
      continue;
    }
    const values = stringList(v[type], `${at}: "${key}" → "${type}"`, problems);
    if (!values) ok = false;
    else for (const value of values) entries.push({ type, value });
  }
  if (!ok) return undefined;
  return { not, everyone: entries.some((e) => e.type === 'AWS' && e.value === '*'), entries };
}

function readConditions(st: JsonObject, at: string, problems: string[]): ConditionEntry[] | undefined {
  if (!has(st, 'Condition')) return [];
  const cond = st.Condition;
  if (!isJsonObject(cond)) { problems.push(`${at}: "Condition" must be an object, not ${describeValue(cond)}.`); return undefined; }
  const out: ConditionEntry[] = [];
  const before = problems.length;
  for (const operator of Object.keys(cond)) {
    const block = cond[operator];
    const where = `${at}: "Condition" → "${operator}"`;
    if (!isJsonObject(block)) { problems.push(`${where} must be an object of condition keys, not ${describeValue(block)}.`); continue; }
    for (const key of Object.keys(block)) {
      const raw = block[key];
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0) { problems.push(`${where} → "${key}" is an empty list.`); continue; }
      const bad = items.find((item) => typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean');
      if (bad !== undefined) {
        problems.push(`${where} → "${key}" must be a string, number or boolean (or a list of them), not ${describeValue(bad)}.`);
        continue;
      }
      out.push({ operator, key, values: items.map(String) });
    }
  }
  return problems.length > before ? undefined : out;
}

function readStatement(v: JsonValue, index: number, at: string, problems: string[]): Statement | undefined {
  if (!isJsonObject(v)) { problems.push(`${at} must be an object, not ${describeValue(v)}.`); return undefined; }
  const before = problems.length;
  let sid: string | undefined;
  if (has(v, 'Sid')) {
    if (typeof v.Sid === 'string') sid = v.Sid;
    else problems.push(`${at}: "Sid" must be a string, not ${describeValue(v.Sid)}.`);
  }
  const label = sid ? `${at} (${JSON.stringify(sid)})` : at;
  const effect = v.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') problems.push(`${label}: "Effect" must be "Allow" or "Deny", not ${describeValue(effect)}.`);
  const principal = readPrincipal(v, label, problems);
  const actions = readPatterns(v, 'Action', 'NotAction', label, problems, true);
  const resources = readPatterns(v, 'Resource', 'NotResource', label, problems, false);
  const conditions = readConditions(v, label, problems);
  if (problems.length > before || !principal || !actions || resources === null || !conditions) return undefined;
  return { index, sid, label, raw: v, effect: effect as 'Allow' | 'Deny', principal, actions, resources, conditions };
}

export function readPolicy(doc: JsonValue): PolicyModel | { problems: string[] } {
  if (!isJsonObject(doc)) return { problems: [`The policy must be a JSON object, not ${describeValue(doc)}.`] };
  const problems: string[] = [];
  if (has(doc, 'Version') && !(typeof doc.Version === 'string' && VERSIONS.includes(doc.Version))) {
    problems.push(`"Version" must be "2012-10-17" (or the older "2008-10-17"), not ${describeValue(doc.Version)}.`);
  }
  if (has(doc, 'Id') && typeof doc.Id !== 'string') problems.push(`"Id" must be a string, not ${describeValue(doc.Id)}.`);
  if (!has(doc, 'Statement')) return { problems: [...problems, 'The policy has no "Statement".'] };
  const raw = doc.Statement;
  const statementIsList = Array.isArray(raw);
  if (!statementIsList && !isJsonObject(raw)) {
    return { problems: [...problems, `"Statement" must be an object or a list of objects, not ${describeValue(raw)}.`] };
  }
  const list = statementIsList ? (raw as JsonValue[]) : [raw];
  if (list.length > MAX_STATEMENTS) {
    return { problems: [...problems, `The policy has ${list.length.toLocaleString('en-US')} statements; more than ${MAX_STATEMENTS.toLocaleString('en-US')} cannot be a bucket or queue policy AWS would store.`] };
  }
  const statements: Statement[] = [];
  const found: string[] = [];
  for (let index = 0; index < list.length; index++) {
    const st = readStatement(list[index], index, statementIsList ? `Statement[${index}]` : 'Statement', found);
    if (st) statements.push(st);
  }
  problems.push(...found.slice(0, MAX_PROBLEMS));
  if (found.length > MAX_PROBLEMS) problems.push(`…and ${found.length - MAX_PROBLEMS} more problems.`);
  return { doc, statementIsList, statements, problems };
}
