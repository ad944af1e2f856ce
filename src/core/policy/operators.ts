/**
 * IAM condition operators: parsing (`ForAnyValue:`/`ForAllValues:` qualifiers, `…IfExists`) and
 * evaluation of one condition entry against one concrete value. Three-valued: `undefined` means
 * "cannot tell" (dates, binary, IP ranges, policy variables such as ${aws:username}).
 * Rules from the IAM User Guide, "Condition operators": a missing key makes a condition false,
 * except that negated operators (StringNotEquals, ArnNotLike, NotIpAddress …) are then true,
 * `…IfExists` is then true, and `Null` tests presence itself; a negated operator with several
 * values is their NOR, a positive one their OR.
 */
import { globMatch } from './glob';

export type Truth = boolean | undefined;
type Family = 'string' | 'arn' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'null';

export interface Operator {
  name: string;
  family: Family;
  negated: boolean;
  ifExists: boolean;
  qualifier?: 'ForAllValues' | 'ForAnyValue';
  /** The positive form's test of one policy value against one request value. */
  test: (policyValue: string, actual: string) => Truth;
}

const num = (a: string, b: string, f: (x: number, y: number) => boolean): Truth => {
  const x = Number(a);
  const y = Number(b);
  return a.trim() === '' || b.trim() === '' || Number.isNaN(x) || Number.isNaN(y) ? undefined : f(x, y);
};
const unknown = (): Truth => undefined;

const BASES: [string, Family, boolean, Operator['test']][] = [
  ['StringEquals', 'string', false, (p, a) => p === a],
  ['StringNotEquals', 'string', true, (p, a) => p === a],
  ['StringEqualsIgnoreCase', 'string', false, (p, a) => p.toLowerCase() === a.toLowerCase()],
  ['StringNotEqualsIgnoreCase', 'string', true, (p, a) => p.toLowerCase() === a.toLowerCase()],
  ['StringLike', 'string', false, (p, a) => globMatch(p, a)],
  ['StringNotLike', 'string', true, (p, a) => globMatch(p, a)],
  ['ArnEquals', 'arn', false, (p, a) => globMatch(p, a)],
  ['ArnLike', 'arn', false, (p, a) => globMatch(p, a)],
  ['ArnNotEquals', 'arn', true, (p, a) => globMatch(p, a)],
  ['ArnNotLike', 'arn', true, (p, a) => globMatch(p, a)],
  ['NumericEquals', 'numeric', false, (p, a) => num(a, p, (x, y) => x === y)],
  ['NumericNotEquals', 'numeric', true, (p, a) => num(a, p, (x, y) => x === y)],
  ['NumericLessThan', 'numeric', false, (p, a) => num(a, p, (x, y) => x < y)],
  ['NumericLessThanEquals', 'numeric', false, (p, a) => num(a, p, (x, y) => x <= y)],
  ['NumericGreaterThan', 'numeric', false, (p, a) => num(a, p, (x, y) => x > y)],
  ['NumericGreaterThanEquals', 'numeric', false, (p, a) => num(a, p, (x, y) => x >= y)],
  ['DateEquals', 'date', false, unknown],
  ['DateNotEquals', 'date', true, unknown],
  ['DateLessThan', 'date', false, unknown],
  ['DateLessThanEquals', 'date', false, unknown],
  ['DateGreaterThan', 'date', false, unknown],
  ['DateGreaterThanEquals', 'date', false, unknown],
  ['Bool', 'bool', false, (p, a) => p.toLowerCase() === a.toLowerCase()],
  ['BinaryEquals', 'binary', false, unknown],
  ['IpAddress', 'ip', false, unknown],
  ['NotIpAddress', 'ip', true, unknown],
  ['Null', 'null', false, unknown],
];
const BY_NAME = new Map(BASES.map(([name, family, negated, test]) => [name.toLowerCase(), { name, family, negated, test }]));

/** Operators repeat across statements and scans; the cache is capped since names come from policy text. */
const parsed = new Map<string, Operator | null>();

/** Undefined for an operator AWS does not have. Names are matched case-insensitively. */
export function parseOperator(raw: string): Operator | undefined {
  let op = parsed.get(raw);
  if (op === undefined) {
    op = parseUncached(raw) ?? null;
    if (parsed.size < 1000) parsed.set(raw, op);
  }
  return op ?? undefined;
}

function parseUncached(raw: string): Operator | undefined {
  let rest = raw.toLowerCase();
  let qualifier: Operator['qualifier'];
  if (rest.startsWith('forallvalues:')) { qualifier = 'ForAllValues'; rest = rest.slice(13); }
  else if (rest.startsWith('foranyvalue:')) { qualifier = 'ForAnyValue'; rest = rest.slice(12); }
  const ifExists = rest.endsWith('ifexists');
  if (ifExists) rest = rest.slice(0, -8);
  const base = BY_NAME.get(rest);
  if (!base || (ifExists && base.family === 'null')) return undefined;
  return { ...base, ifExists, qualifier };
}

/** The entry's value when its key is absent from the request. */
export function truthWhenAbsent(op: Operator, values: string[]): Truth {
  if (op.family === 'null') return nullTruth(values, false);
  if (op.ifExists || op.qualifier === 'ForAllValues') return true;
  if (op.qualifier === 'ForAnyValue') return false;
  return op.negated;
}

/** `Null: {key: "true"}` holds when the key is absent, `"false"` when present; values are OR-ed. */
export function nullTruth(values: string[], present: boolean): Truth {
  let result: Truth = false;
  for (const v of values) {
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false') result = undefined;
    else if ((lower === 'true') !== present) return true;
  }
  return result;
}

/**
 * The entry's value for a request whose (single-valued) key is `actual`. The qualifiers behave like
 * the plain operator for a single value.
 */
export function truthWhenPresent(op: Operator, values: string[], actual: string): Truth {
  if (op.family === 'null') return nullTruth(values, true);
  let anyMatch: Truth = false;
  for (const v of values) {
    const t = v.includes('${') ? undefined : op.test(v, actual);
    if (t === true) { anyMatch = true; break; }
    if (t === undefined) anyMatch = undefined;
  }
  if (anyMatch === undefined) return undefined;
  return op.negated ? !anyMatch : anyMatch;
}
