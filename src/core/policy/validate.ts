/**
 * Checks a policy the user proposes before it is written with root credentials: strict JSON, the
 * shape AWS accepts (stricter than the analyzer: unknown elements, missing Resource, malformed
 * action names, unknown condition operators and AWS's size limits are refused here), and it must
 * no longer lock (or possibly lock) everyone out. Messages name the line/column or the statement.
 */
import { analyzePolicy, readJsonInput } from './analyze';
import { readResource } from './context';
import { has, readPolicy } from './document';
import { isJsonObject, type JsonValue } from './json';
import { parseOperator } from './operators';
import type { PolicyResource } from './types';

export type ProposalCheck = { ok: true; policy: object } | { ok: false; message: string };

const TOP_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const ACTION = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;
/** AWS limits: S3 "Bucket policies are limited to 20 KB"; SQS policy quotas: 8,192 bytes, 20 statements. */
const MAX_BYTES = { s3: 20 * 1024, sqs: 8192 };
const SQS_MAX_STATEMENTS = 20;
const SHOWN = 5;

function strictProblems(doc: JsonValue, kind: 's3' | 'sqs'): string[] {
  if (!isJsonObject(doc)) return [];
  const problems: string[] = [];
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.includes(key)) problems.push(`Unknown top-level element "${key}" (a policy has only Version, Id and Statement).`);
  }
  const list = Array.isArray(doc.Statement) ? doc.Statement : isJsonObject(doc.Statement) ? [doc.Statement] : [];
  if (Array.isArray(doc.Statement) && !list.length) problems.push('The policy has no statements.');
  if (kind === 'sqs' && list.length > SQS_MAX_STATEMENTS) problems.push(`A queue policy can have at most ${SQS_MAX_STATEMENTS} statements; this one has ${list.length}.`);
  const sids = new Set<string>();
  list.forEach((st, index) => {
    if (!isJsonObject(st)) return;
    const at = Array.isArray(doc.Statement) ? `Statement[${index}]` : 'Statement';
    for (const key of Object.keys(st)) {
      if (!STATEMENT_KEYS.includes(key)) problems.push(`${at}: unknown element "${key}" (expected ${STATEMENT_KEYS.join(', ')}).`);
    }
    if (typeof st.Sid === 'string' && st.Sid) {
      if (sids.has(st.Sid)) problems.push(`${at}: the Sid ${JSON.stringify(st.Sid)} is used twice; each statement needs its own.`);
      sids.add(st.Sid);
    }
    if (!has(st, 'Resource') && !has(st, 'NotResource')) problems.push(`${at}: needs "Resource" or "NotResource".`);
    if (has(st, 'NotPrincipal') && st.Effect === 'Allow') problems.push(`${at}: "NotPrincipal" can only be used with "Effect": "Deny".`);
    const actions = st.Action ?? st.NotAction;
    for (const a of Array.isArray(actions) ? actions : [actions]) {
      if (typeof a === 'string' && !ACTION.test(a)) problems.push(`${at}: ${JSON.stringify(a)} is not an action name (expected service:Action, such as s3:GetObject).`);
    }
    if (isJsonObject(st.Condition)) {
      for (const op of Object.keys(st.Condition)) {
        if (!parseOperator(op)) problems.push(`${at}: "${op}" is not a condition operator.`);
      }
    }
  });
  return problems;
}

function listed(intro: string, problems: string[]): string {
  const more = problems.length > SHOWN ? `\n…and ${problems.length - SHOWN} more.` : '';
  return `${intro}\n${problems.slice(0, SHOWN).map((p) => `- ${p}`).join('\n')}${more}`;
}

function check(text: string, resource: PolicyResource): ProposalCheck {
  const ctx = readResource(resource);
  if (typeof ctx === 'string') return { ok: false, message: ctx };
  if (typeof text !== 'string' || text.trim() === '') {
    return { ok: false, message: `The proposed policy is empty. To remove the ${ctx.noun} policy, choose "Delete policy" instead.` };
  }
  const json = readJsonInput(text);
  if (!json.ok) return { ok: false, message: `The proposed policy is not valid JSON. ${json.message}` };
  const model = readPolicy(json.value);
  const problems = [...model.problems, ...strictProblems(json.value, ctx.kind)];
  if (problems.length) return { ok: false, message: listed(`The proposed policy is not a valid ${ctx.noun} policy:`, problems) };
  const bytes = new TextEncoder().encode(JSON.stringify(json.value)).length;
  if (bytes > MAX_BYTES[ctx.kind]) {
    return { ok: false, message: `The proposed policy is ${bytes.toLocaleString('en-US')} bytes without whitespace; AWS accepts at most ${MAX_BYTES[ctx.kind].toLocaleString('en-US')} for a ${ctx.noun} policy.` };
  }
  const analysis = analyzePolicy(json.value, resource);
  if (analysis.verdict === 'locked' || analysis.verdict === 'suspected') {
    const still = analysis.verdict === 'locked' ? 'still locks' : 'may still lock';
    const details = analysis.offending.map((o, k) => `${analysis.reasons[k]} ${o.why}`);
    return { ok: false, message: listed(`The proposed policy ${still} everyone out:`, details) };
  }
  if (analysis.verdict === 'invalid') return { ok: false, message: listed(`The proposed policy is not a valid ${ctx.noun} policy:`, analysis.problems) };
  return { ok: true, policy: json.value as object };
}

export function validateProposedPolicy(text: string, resource: PolicyResource): ProposalCheck {
  try {
    return check(text, resource);
  } catch (err) {
    return { ok: false, message: `The proposed policy could not be checked: ${err instanceof Error ? err.message : 'unknown error'}` };
  }
}
