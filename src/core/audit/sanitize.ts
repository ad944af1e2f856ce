import { escapeControls } from '../quote';
import { AuditInputError } from './errors';
import { secretLike } from './scrub';
import { AUDIT_KINDS, type AuditInput, type AuditOutcome } from './types';

/**
 * The allow-list: builds a fresh AuditInput from only the known fields, each checked for type,
 * size and shape, every string passed through the secret scrubber. Unknown fields are dropped
 * (a caller passing an SDK response or credentials object by mistake writes nothing of it).
 */
export function sanitize(input: AuditInput): AuditInput {
  if (!input || typeof input !== 'object') throw new AuditInputError('An audit event must be an object.');
  if (!AUDIT_KINDS.has(input.kind)) throw new AuditInputError(`Unknown audit event kind "${String(input.kind)}".`);
  const out: AuditInput = { kind: input.kind };
  for (const [field, rule] of Object.entries(RULES) as Array<[StringField, Rule]>) {
    const value = clean(field, input[field], rule);
    if (value !== undefined) (out as unknown as Record<string, string>)[field] = value;
  }
  if (input.outcome !== undefined) {
    if (!OUTCOMES.has(input.outcome)) throw new AuditInputError(`Audit field "outcome" must be one of ${[...OUTCOMES].join(', ')}.`);
    out.outcome = input.outcome;
  }
  if (input.detail !== undefined) out.detail = cleanDetail(input.detail);
  return out;
}

type StringField = Exclude<keyof AuditInput, 'kind' | 'outcome' | 'detail'>;

interface Rule {
  max: number;
  /** Multi-line text (justification, error, policy document); others must be one line. */
  multiline?: boolean;
  pattern?: RegExp;
  /** Over-long text is cut instead of refused (error messages are not the caller's to control). */
  truncate?: boolean;
  /**
   * Control characters are shown as `\uXXXX` instead of refusing the event: an error message
   * quotes what a person or AWS sent, and a refusal must be recorded whatever it quotes.
   */
  escape?: boolean;
  /**
   * A policy document, recorded so it can be restored: never refused. It is not scrubbed for
   * secrets (IAM unique ids such as AIDA…, and long base64-like condition values, look like seeds
   * and tokens but are what locked policies are made of; a policy is not where a secret lands).
   * Characters JSON never allows raw are escaped, so a valid document is kept byte for byte.
   */
  document?: boolean;
  /**
   * The pattern alone defines the value (a key fingerprint: 43 base64 characters that the secret
   * heuristics could mistake for a key, yet a digest of a public key by construction).
   */
  exact?: boolean;
}

const line = (max: number, pattern?: RegExp): Rule => ({ max, pattern });

const RULES: Record<StringField, Rule> = {
  taskId: line(128),
  parentTaskId: line(128),
  task: line(128),
  accountId: line(12, /^\d{12}$/),
  resource: line(2048),
  justification: { max: 2000, multiline: true },
  ticket: line(128),
  operation: line(128),
  requestId: line(256),
  error: { max: 2000, multiline: true, truncate: true, escape: true },
  expiresAt: line(64, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/),
  beforeSha256: line(64, /^[0-9a-f]{64}$/),
  afterSha256: line(64, /^[0-9a-f]{64}$/),
  // S3 and SQS policies are at most 20 KB; the margin covers pretty-printing.
  before: { max: 65536, multiline: true, truncate: true, document: true },
  decision: line(64),
  signer: line(256),
  keyFingerprint: { max: 50, pattern: /^SHA256:[A-Za-z0-9+/]{43}$/, exact: true },
  requestSha256: line(64, /^[0-9a-f]{64}$/),
  // Exact shape: the random part is base32, which the TOTP-seed heuristic would otherwise refuse.
  accessKeyId: { max: 20, pattern: /^(ASIA|AKIA)[A-Z2-7]{16}$/, exact: true },
};

/** What escaping keeps as it is: tabs and line breaks (multi-line text), and what is not a control. */
const KEPT_IN_TEXT = /[\t\n\r\u0080-\uffff]/;
/** JSON forbids only U+0000–U+001F raw (tab and line breaks are whitespace between tokens). */
const KEPT_IN_DOCUMENT = /[\t\n\r\u007f-\uffff]/;

const OUTCOMES: ReadonlySet<AuditOutcome> = new Set<AuditOutcome>(['ok', 'error', 'denied', 'cancelled']);
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_DETAIL_KEYS = 32;
const MAX_DETAIL_STRING = 256;

function clean(field: string, value: unknown, rule: Rule): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new AuditInputError(`Audit field "${field}" must be a string.`);
  let text = rule.document ? escapeControls(value, KEPT_IN_DOCUMENT) : rule.escape ? escapeControls(value, KEPT_IN_TEXT) : value;
  if (text.length > rule.max) {
    if (!rule.truncate) throw new AuditInputError(`Audit field "${field}" is longer than ${rule.max} characters.`);
    text = `${text.slice(0, rule.max - 1)}…`;
  }
  if (rule.document) return text;
  if (rule.exact) {
    if (!rule.pattern!.test(text)) throw new AuditInputError(`Audit field "${field}" is not well-formed.`);
    return text;
  }
  checkText(field, text, rule.multiline === true);
  if (rule.pattern && !rule.pattern.test(text)) throw new AuditInputError(`Audit field "${field}" is not well-formed.`);
  return text;
}

function checkText(field: string, text: string, multiline: boolean): void {
  // Control characters would forge extra lines in the output channel or confuse a terminal.
  // Tabs and CR LF are kept in multi-line text: a policy document may have been uploaded with them.
  const bad = multiline ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u001f\u007f\u2028\u2029]/;
  if (bad.test(text)) throw new AuditInputError(`Audit field "${field}" contains control characters.`);
  const secret = secretLike(text);
  // The message names the field and the kind of match, never the value.
  if (secret) throw new AuditInputError(`Audit field "${field}" looks like ${secret}; the event was not recorded.`);
}

function cleanDetail(detail: unknown): Record<string, string | number | boolean> {
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
    throw new AuditInputError('Audit field "detail" must be an object of short values.');
  }
  const entries = Object.entries(detail);
  if (entries.length > MAX_DETAIL_KEYS) throw new AuditInputError(`Audit field "detail" has more than ${MAX_DETAIL_KEYS} keys.`);
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of entries) {
    if (!DETAIL_KEY.test(key)) throw new AuditInputError(`Audit detail key "${key.slice(0, 64)}" is not a simple name.`);
    const name = `detail.${key}`;
    if (typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new AuditInputError(`Audit field "${name}" must be a finite number.`);
      out[key] = value;
    } else if (typeof value === 'string') {
      if (value.length > MAX_DETAIL_STRING) throw new AuditInputError(`Audit field "${name}" is longer than ${MAX_DETAIL_STRING} characters.`);
      checkText(name, value, false);
      out[key] = value;
    } else {
      throw new AuditInputError(`Audit field "${name}" must be a string, number or boolean.`);
    }
  }
  return out;
}
