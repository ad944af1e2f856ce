/**
 * Bounded JSON reading for policy documents, which are attacker-influenced text. Both readers are
 * iterative (deep nesting cannot overflow the stack), stop at fixed size/depth/value-count limits,
 * never throw, and build fresh plain objects (a `__proto__` key stays an ordinary own property).
 * The text reader reports line and column, rejects duplicate keys (which copy of a duplicated
 * "Statement" would AWS evaluate? we cannot know, so we refuse to guess) and accepts only strict JSON.
 */
import { escapeControls } from '../quote';

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

/** Assigns an own property; `__proto__` needs defineProperty, plain assignment keeps objects fast. */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function tooLarge(size: number, limits: JsonLimits): string {
  return `The policy is ${fmt(size)} characters long; AWS stores at most 20 KB per bucket policy and 8 KB per queue policy, and documents over ${fmt(limits.maxChars)} characters are not analyzed.`;
}

const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, QUOTE, COMMA, COLON, MINUS, ZERO, NINE] = [...'{}[]",:-09'].map((ch) => ch.charCodeAt(0));
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);

type Frame =
  | { kind: 'array'; value: JsonValue[] }
  | { kind: 'object'; value: JsonObject; key: string; keyAt: number };

/** Strict JSON text → value, or the first error with its 1-based line and column. */
export function parseJson(text: string, limits: JsonLimits = POLICY_LIMITS): JsonResult {
  if (text.length > limits.maxChars) return { ok: false, message: tooLarge(text.length, limits) };
  return new TextReader(text, limits).read();
}

/** A class rather than closures: the reader runs for every policy of every scan (and the fuzz test). */
class TextReader {
  private i: number;
  private readonly n: number;

  constructor(private readonly text: string, private readonly limits: JsonLimits) {
    this.n = text.length;
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  private fail(message: string, at = this.i): JsonResult {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at && k < this.n; k++) if (this.text.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
    const column = at - lineStart + 1;
    return { ok: false, message: `Line ${line}, column ${column}: ${message}`, line, column };
  }

  private skipWs(): void {
    while (this.i < this.n) {
      const c = this.text.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else break;
    }
  }

  private found(): string {
    // A control character is named by its code: the message is shown and recorded as one line.
    return this.i >= this.n ? 'the end of the text' : `'${escapeControls(this.text[this.i]!)}'`;
  }

  private readString(): string | JsonResult {
    const text = this.text;
    const start = ++this.i;
    let out = '';
    let chunk = start;
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === 34) { out += text.slice(chunk, this.i); this.i++; return out; }
      if (c < 0x20) return this.fail('control character inside a string (write it as an escape such as \\n)');
      if (c === 92) {
        out += text.slice(chunk, this.i);
        const e = text[this.i + 1];
        const simple = e === undefined ? undefined : ESCAPES.get(e);
        if (simple !== undefined) { out += simple; this.i += 2; }
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else return this.fail('invalid escape sequence in a string');
        chunk = this.i;
      } else this.i++;
    }
    return this.fail('unterminated string', start - 1);
  }

  private readNumber(): number | JsonResult {
    NUMBER.lastIndex = this.i;
    const hit = NUMBER.exec(this.text);
    if (!hit) return this.fail(`unexpected ${this.found()}`);
    const num = Number(hit[0]);
    if (!Number.isFinite(num)) return this.fail(`the number ${hit[0]} is too large`);
    this.i += hit[0].length;
    return num;
  }

  /** After '{' or ',' in an object: `"key" :` */
  private readKey(frame: Extract<Frame, { kind: 'object' }>): JsonResult | undefined {
    frame.keyAt = this.i;
    const key = this.readString();
    if (typeof key !== 'string') return key;
    this.skipWs();
    if (this.text.charCodeAt(this.i) !== COLON) return this.fail(`expected ':' after the key "${key}" but found ${this.found()}`);
    this.i++;
    this.skipWs();
    frame.key = key;
    return undefined;
  }

  read(): JsonResult {
    const { text, limits } = this;
    const stack: Frame[] = [];
    let values = 0;
    this.skipWs();
    for (;;) {
      // Read one value (scalars complete here; '{' and '[' open a frame and continue with their first member).
      let value: JsonValue;
      if (++values > limits.maxValues) return this.fail(`more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store`);
      const c = text.charCodeAt(this.i);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (stack.length >= limits.maxDepth) return this.fail(`nested more than ${limits.maxDepth} levels deep`);
        this.i++;
        this.skipWs();
        const d = text.charCodeAt(this.i);
        if (c === OPEN_BRACKET) {
          if (d === CLOSE_BRACKET) { this.i++; value = []; }
          else { stack.push({ kind: 'array', value: [] }); continue; }
        } else if (d === CLOSE_BRACE) { this.i++; value = {}; }
        else {
          if (d !== QUOTE) return this.fail(`expected a quoted key or '}' but found ${this.found()}`);
          const frame: Frame = { kind: 'object', value: {}, key: '', keyAt: this.i };
          const bad = this.readKey(frame);
          if (bad) return bad;
          stack.push(frame);
          continue;
        }
      } else if (c === QUOTE) {
        const s = this.readString();
        if (typeof s !== 'string') return s;
        value = s;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        const num = this.readNumber();
        if (typeof num !== 'number') return num;
        value = num;
      } else if (text.startsWith('true', this.i)) { value = true; this.i += 4; }
      else if (text.startsWith('false', this.i)) { value = false; this.i += 5; }
      else if (text.startsWith('null', this.i)) { value = null; this.i += 4; }
      else return this.fail(`expected a value but found ${this.found()}`);

      // Hand the finished value to its container; close containers as their end brackets arrive.
      for (;;) {
        const top = stack[stack.length - 1];
        this.skipWs();
        if (!top) {
          if (this.i < this.n) return this.fail(`unexpected ${this.found()} after the end of the JSON value`);
          return { ok: true, value };
        }
        if (top.kind === 'array') top.value.push(value);
        else {
          if (Object.prototype.hasOwnProperty.call(top.value, top.key)) return this.fail(`duplicate key "${top.key}"`, top.keyAt);
          setOwn(top.value, top.key, value);
        }
        const close = top.kind === 'array' ? CLOSE_BRACKET : CLOSE_BRACE;
        const d = text.charCodeAt(this.i);
        if (d === close) { this.i++; stack.pop(); value = top.value; continue; }
        if (d !== COMMA) return this.fail(`expected ',' or '${String.fromCharCode(close)}' but found ${this.found()}`);
        this.i++;
        this.skipWs();
        const e = text.charCodeAt(this.i);
        if (top.kind === 'object') {
          if (e !== QUOTE) return this.fail(e === CLOSE_BRACE ? 'trailing comma before \'}\'' : `expected a quoted key but found ${this.found()}`);
          const bad = this.readKey(top);
          if (bad) return bad;
        } else if (e === CLOSE_BRACKET) return this.fail('trailing comma before \']\'');
        break;
      }
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
  // Tasks name their parent and key instead of holding closures; a path is built only for a message.
  interface Task { src: unknown; depth: number; parent: Task | undefined; key: string | number; into: JsonValue[] | JsonObject | undefined }
  const holder: JsonValue[] = [null];
  const tasks: Task[] = [{ src: input, depth: 0, parent: undefined, key: 0, into: holder }];
  let values = 0;
  let chars = 0;
  const tooMany = (): JsonResult => ({ ok: false, message: `The policy has more than ${fmt(limits.maxValues)} values; this is not a policy AWS would store.` });
  while (tasks.length) {
    const t = tasks.pop() as Task;
    if (++values > limits.maxValues) return tooMany();
    const v = t.src;
    let out: JsonValue;
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out = v;
    else if (typeof v === 'string') {
      chars += v.length;
      if (chars > limits.maxChars) return { ok: false, message: tooLarge(chars, limits) };
      out = v;
    } else {
      const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
      const isArray = Array.isArray(v);
      if (!isArray && !(typeof v === 'object' && (proto === Object.prototype || proto === null))) {
        return { ok: false, message: `The policy contains ${describeKind(v)}${where(t)}, which JSON cannot hold.` };
      }
      if (t.depth >= limits.maxDepth) {
        return { ok: false, message: `The policy is nested more than ${limits.maxDepth} levels deep (or refers to itself)${where(t)}.` };
      }
      if (isArray) {
        const src = v as unknown[];
        if (values + src.length > limits.maxValues) return tooMany();
        const arr: JsonValue[] = new Array(src.length).fill(null);
        for (let k = src.length - 1; k >= 0; k--) tasks.push({ src: src[k], depth: t.depth + 1, parent: t, key: k, into: arr });
        out = arr;
      } else {
        const src = v as Record<string, unknown>;
        const keys = Object.keys(src);
        if (values + keys.length > limits.maxValues) return tooMany();
        const obj: JsonObject = {};
        for (const key of keys) {
          chars += key.length;
          if (chars > limits.maxChars) return { ok: false, message: tooLarge(chars, limits) };
          setOwn(obj, key, null);
        }
        for (let k = keys.length - 1; k >= 0; k--) tasks.push({ src: src[keys[k]], depth: t.depth + 1, parent: t, key: keys[k], into: obj });
        out = obj;
      }
    }
    if (Array.isArray(t.into)) t.into[t.key as number] = out;
    else if (t.into) setOwn(t.into, t.key as string, out);
  }
  return { ok: true, value: holder[0] };

  function where(t: Task): string {
    const parts: string[] = [];
    for (let at: Task | undefined = t; at?.parent; at = at.parent) parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
    const path = parts.reverse().join('');
    return path ? ` at ${path.length > 120 ? `${path.slice(0, 120)}…` : path}` : '';
  }
}
