// IAM condition operators over a request context. Semantics follow the IAM User Guide: values of
// one key are OR-ed, keys and operators AND-ed; a missing key fails positive operators and
// satisfies negated ones; `IfExists` and `Null` treat absence explicitly; ForAnyValue/ForAllValues
// compare multi-valued keys. Policy variables (${aws:PrincipalAccount}) resolve from the context.
import { wildcardMatch } from './wildcard';

export interface Condition {
  op: string;
  /** Lower-cased: condition keys are case-insensitive. */
  key: string;
  values: string[];
  ifExists: boolean;
  qualifier?: 'ForAnyValue' | 'ForAllValues';
}

/** Lower-cased keys; multi-valued keys are arrays. */
export type ConditionContext = Record<string, string | string[] | undefined>;

type Matcher = (actual: string, expected: string) => boolean;

const str = (a: string, e: string) => a === e;
const strCi = (a: string, e: string) => a.toLowerCase() === e.toLowerCase();
const like = (a: string, e: string) => wildcardMatch(e, a);
const num = (cmp: (a: number, e: number) => boolean) => (a: string, e: string) =>
  a.trim() !== '' && e.trim() !== '' && cmp(Number(a), Number(e));
const toTime = (v: string) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v));
const date = (cmp: (a: number, e: number) => boolean) => (a: string, e: string) => {
  const x = toTime(a);
  const y = toTime(e);
  return !Number.isNaN(x) && !Number.isNaN(y) && cmp(x, y);
};

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

const inCidr = (a: string, e: string) => {
  const [net, bitsText] = e.split('/');
  const ip = ipv4(a);
  const base = ipv4(net ?? '');
  if (ip === null || base === null) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (ip & mask) === (base & mask);
};

/** Operator name → [matcher, negated]. Negated operators are "no expected value matches". */
const OPERATORS: Record<string, [Matcher, boolean]> = {
  StringEquals: [str, false],
  StringNotEquals: [str, true],
  StringEqualsIgnoreCase: [strCi, false],
  StringNotEqualsIgnoreCase: [strCi, true],
  StringLike: [like, false],
  StringNotLike: [like, true],
  NumericEquals: [num((a, e) => a === e), false],
  NumericNotEquals: [num((a, e) => a === e), true],
  NumericLessThan: [num((a, e) => a < e), false],
  NumericLessThanEquals: [num((a, e) => a <= e), false],
  NumericGreaterThan: [num((a, e) => a > e), false],
  NumericGreaterThanEquals: [num((a, e) => a >= e), false],
  DateEquals: [date((a, e) => a === e), false],
  DateNotEquals: [date((a, e) => a === e), true],
  DateLessThan: [date((a, e) => a < e), false],
  DateLessThanEquals: [date((a, e) => a <= e), false],
  DateGreaterThan: [date((a, e) => a > e), false],
  DateGreaterThanEquals: [date((a, e) => a >= e), false],
  Bool: [strCi, false],
  BinaryEquals: [str, false],
  IpAddress: [inCidr, false],
  NotIpAddress: [inCidr, true],
  ArnEquals: [like, false],
  ArnLike: [like, false],
  ArnNotEquals: [like, true],
  ArnNotLike: [like, true],
  Null: [str, false],
};

export const CONDITION_OPERATORS: ReadonlySet<string> = new Set(Object.keys(OPERATORS));

/** Replaces ${key} (and ${key, 'default'}) from the context; null when a variable has no value. */
export function substituteVariables(value: string, ctx: ConditionContext): string | null {
  if (!value.includes('${')) return value;
  let missing = false;
  const out = value.replace(/\$\{([^},]+)(?:,\s*'([^']*)')?\}/g, (_all, rawKey: string, fallback?: string) => {
    const key = rawKey.trim();
    if (key === '*' || key === '?' || key === '$') return key;
    const v = ctx[key.toLowerCase()];
    const single = Array.isArray(v) ? undefined : v;
    if (single !== undefined) return single;
    if (fallback !== undefined) return fallback;
    missing = true;
    return '';
  });
  return missing ? null : out;
}

function evaluateOne(c: Condition, ctx: ConditionContext): boolean {
  const raw = ctx[c.key];
  const present = raw !== undefined && !(Array.isArray(raw) && raw.length === 0);
  if (c.op === 'Null') return c.values.some((v) => (v.toLowerCase() === 'true') === !present);
  const [match, negated] = OPERATORS[c.op]!;
  const expected = c.values.map((v) => substituteVariables(v, ctx)).filter((v): v is string => v !== null);
  const anyMatch = (actual: string) => expected.some((e) => match(actual, e));
  const test = (actual: string) => (negated ? !anyMatch(actual) : anyMatch(actual));
  if (!present) {
    if (c.ifExists) return true;
    if (c.qualifier === 'ForAllValues') return true;
    if (c.qualifier === 'ForAnyValue') return false;
    return negated;
  }
  const actuals = Array.isArray(raw) ? raw : [raw as string];
  if (c.qualifier === 'ForAllValues') return actuals.every(test);
  if (negated && !c.qualifier) return actuals.every(test);
  return actuals.some(test);
}

/** True when every condition of a statement holds. */
export function conditionsHold(conditions: readonly Condition[], ctx: ConditionContext): boolean {
  for (const c of conditions) if (!evaluateOne(c, ctx)) return false;
  return true;
}
