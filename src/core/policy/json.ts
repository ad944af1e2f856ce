/**
 * Bounded JSON reading for policy documents, which are attacker-influenced text. Both readers are
 * iterative (deep nesting cannot overflow the stack), stop at fixed size/depth/value-count limits,
 * never throw, and build fresh plain objects (a `__proto__` key stays an ordinary own property).
 * The text reader reports line and column, rejects duplicate keys (which copy of a duplicated
 * "Statement" would AWS evaluate? we cannot know, so we refuse to guess) and accepts only strict JSON.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject { [key: string]: JsonValue }

export interface JsonLimits {
  /** Characters of text, or total characters of strings and keys for an object input. */
  maxChars: number;
  maxDepth: number;
  maxValues: number;
}

/**
 * Far above anything AWS stores (S3: 20 KB per bucket policy, SQS: 8 KB per queue policy) so no real
 * policy is refused, yet small enough that every document is read in milliseconds.
 */
export const POLICY_LIMITS: JsonLimits = { maxChars: 1_048_576, maxDepth: 64, maxValues: 200_000 };

export type JsonResult =
  | { ok: true; value: JsonValue }
  | { ok: false; message: string; line?: number; column?: number };

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function tooLarge(size: number, limits: JsonLimits): string {
  return `The policy is ${fmt(size)} characters long; AWS stores at most 20 KB per bucket policy and 8 KB per queue policy, and documents over ${fmt(limits.maxChars)} characters are not analyzed.`;
}

const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);

type Frame =
  | { kind: 'array'; value: JsonValue[] }
  | { kind: 'object'; value: JsonObject; key: string; keyAt: number };

/** Strict JSON text → value, or the first error with its 1-based line and column. */
export function parseJson(text: string, limits: JsonLimits = POLICY_LIMITS): JsonResult {
  if (text.length > limits.maxChars) return { ok: false, message: tooLarge(text.length, limits) };
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let values = 0;
  const stack: Frame[] = [];

  const fail = (message: string, at = i): JsonResult => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < n; k++) if (text.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
    const column = at - lineStart + 1;
    return { ok: false, message: `Line ${line}, column ${column}: ${message}`, line, column };
  };
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const found = (): string => (i >= n ? 'the end of the text' : `'${text[i]}'`);

  const readString = (): string | JsonResult => {
    const start = ++i;
    let out = '';
    let chunk = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) { out += text.slice(chunk, i); i++; return out; }
      if (c < 0x20) return fail('control character inside a string (write it as an escape such as \\n)');
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple = e === undefined ? undefined : ESCAPES.get(e);
        if (simple !== undefined) { out += simple; i += 2; }
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else return fail('invalid escape sequence in a string');
        chunk = i;
      } else i++;
    }
    return fail('unterminated string', start - 1);
  };

  const readNumber = (): number | JsonResult => {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const hit = m.exec(text);
    if (!hit) return fail(`unexpected ${found()}`);
    const num = Number(hit[0]);
    if (!Number.isFinite(num)) return fail(`the number ${hit[0]} is too large`);
    i += hit[0].length;
    return num;
  };

  skipWs();
  for (;;) {
    // Read one value (scalars complete here; '{' and '[' open a frame and continue with their first member).
    let value: JsonValue;
    if (++values > limits.maxValues) return fail(`more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store`);
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length >= limits.maxDepth) return fail(`nested more than ${limits.maxDepth} levels deep`);
      i++;
      skipWs();
      if (c === '[') {
        if (text[i] === ']') { i++; value = []; }
        else { stack.push({ kind: 'array', value: [] }); continue; }
      } else if (text[i] === '}') { i++; value = {}; }
      else {
        if (text[i] !== '"') return fail(`expected a quoted key or '}' but found ${found()}`);
        const keyAt = i;
        const key = readString();
        if (typeof key !== 'string') return key;
        skipWs();
        if (text[i] !== ':') return fail(`expected ':' after the key "${key}" but found ${found()}`);
        i++;
        skipWs();
        stack.push({ kind: 'object', value: {}, key, keyAt });
        continue;
      }
    } else if (c === '"') {
      const s = readString();
      if (typeof s !== 'string') return s;
      value = s;
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const num = readNumber();
      if (typeof num !== 'number') return num;
      value = num;
    } else if (text.startsWith('true', i)) { value = true; i += 4; }
    else if (text.startsWith('false', i)) { value = false; i += 5; }
    else if (text.startsWith('null', i)) { value = null; i += 4; }
    else return fail(`expected a value but found ${found()}`);

    // Hand the finished value to its container; close containers as their end brackets arrive.
    for (;;) {
      const top = stack[stack.length - 1];
      skipWs();
      if (!top) {
        if (i < n) return fail(`unexpected ${found()} after the end of the JSON value`);
        return { ok: true, value };
      }
      if (top.kind === 'array') top.value.push(value);
      else {
        if (Object.prototype.hasOwnProperty.call(top.value, top.key)) return fail(`duplicate key "${top.key}"`, top.keyAt);
        setOwn(top.value, top.key, value);
      }
      const close = top.kind === 'array' ? ']' : '}';
      if (text[i] === close) { i++; stack.pop(); value = top.value; continue; }
      if (text[i] !== ',') return fail(`expected ',' or '${close}' but found ${found()}`);
      i++;
      skipWs();
      if (top.kind === 'object') {
        if (text[i] !== '"') return fail(text[i] === '}' ? 'trailing comma before \'}\'' : `expected a quoted key but found ${found()}`);
        top.keyAt = i;
        const key = readString();
        if (typeof key !== 'string') return key;
        skipWs();
        if (text[i] !== ':') return fail(`expected ':' after the key "${key}" but found ${found()}`);
        i++;
        skipWs();
        top.key = key;
      } else if (text[i] === ']') return fail('trailing comma before \']\'');
      break;
    }
  }
}

function describeKind(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return `the number ${String(v)}`;
  if (typeof v === 'bigint') return 'a bigint';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  return 'an object that is not plain data';
}

/**
 * Copies an already-parsed value into fresh JSON data within the same limits, rejecting anything
 * JSON cannot hold (undefined, functions, NaN, class instances, cycles: a cycle shows as too deep).
 */
export function copyJson(input: unknown, limits: JsonLimits = POLICY_LIMITS): JsonResult {
  type Task = { src: unknown; depth: number; path: string; put: (v: JsonValue) => void };
  let root: JsonValue = null;
  const tasks: Task[] = [{ src: input, depth: 0, path: '', put: (v) => { root = v; } }];
  let values = 0;
  let chars = 0;
  const where = (path: string): string => (path ? ` at ${path}` : '');
  while (tasks.length) {
    const t = tasks.pop() as Task;
    if (++values > limits.maxValues) return { ok: false, message: `The policy has more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store.` };
    const v = t.src;
    if (v === null || typeof v === 'boolean') { t.put(v); continue; }
    if (typeof v === 'string') {
      chars += v.length;
      if (chars > limits.maxChars) return { ok: false, message: tooLarge(chars, limits) };
      t.put(v);
      continue;
    }
    if (typeof v === 'number' && Number.isFinite(v)) { t.put(v); continue; }
    const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    const isArray = Array.isArray(v);
    if (!isArray && !(typeof v === 'object' && (proto === Object.prototype || proto === null))) {
      return { ok: false, message: `The policy contains ${describeKind(v)}${where(t.path)}, which JSON cannot hold.` };
    }
    if (t.depth >= limits.maxDepth) {
      return { ok: false, message: `The policy is nested more than ${limits.maxDepth} levels deep (or refers to itself)${where(t.path)}.` };
    }
    if (isArray) {
      const src = v as unknown[];
      if (values + src.length > limits.maxValues) return { ok: false, message: `The policy has more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store.` };
      const out: JsonValue[] = new Array(src.length).fill(null);
      t.put(out);
      for (let k = src.length - 1; k >= 0; k--) {
        tasks.push({ src: src[k], depth: t.depth + 1, path: `${t.path}[${k}]`, put: (x) => { out[k] = x; } });
      }
    } else {
      const src = v as Record<string, unknown>;
      const out: JsonObject = {};
      t.put(out);
      const keys = Object.keys(src);
      if (values + keys.length > limits.maxValues) return { ok: false, message: `The policy has more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store.` };
      for (const key of keys) {
        chars += key.length;
        if (chars > limits.maxChars) return { ok: false, message: tooLarge(chars, limits) };
        setOwn(out, key, null);
      }
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k];
        tasks.push({ src: src[key], depth: t.depth + 1, path: `${t.path}.${key}`, put: (x) => setOwn(out, key, x) });
      }
    }
  }
  return { ok: true, value: root };
}
