/**
 * Locked-policy detection: which statements of a bucket or queue policy lock every IAM user and
 * role of the owner out (rules in README.md), a verdict, and the proposed fix. Never throws: any
 * input — malformed JSON, wrong types, cyclic objects, huge documents — yields a verdict, in time
 * bounded by the limits in json.ts and document.ts.
 */
import { readResource, type ResourceContext } from './context';
import { readPolicy, type PolicyModel } from './document';
import { formatPolicy } from './format';
import { copyJson, parseJson, setOwn, type JsonObject, type JsonResult, type JsonValue } from './json';
import { judgeStatement } from './statement';
import type { OffendingStatement, PolicyAnalysis, PolicyFix, PolicyResource } from './types';

function invalid(problems: string[], noun = 'resource'): PolicyAnalysis {
  return {
    verdict: 'invalid',
    reasons: [`This is not a ${noun} policy the analyzer can read: ${problems[0]}`],
    offending: [],
    locksPolicyManagement: false,
    fix: undefined,
    problems,
  };
}

function safeMessage(err: unknown): string {
  try {
    const text = err instanceof Error ? err.message : String(err);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return 'unreadable error';
  }
}

/** Text is parsed strictly; anything else must already be JSON data (it is copied, never kept). */
export function readJsonInput(input: unknown): JsonResult {
  if (typeof input !== 'string') return copyJson(input);
  if (input.trim() === '') return { ok: false, message: 'The policy text is empty.' };
  return parseJson(input);
}

function makeFix(model: PolicyModel, offending: OffendingStatement[]): PolicyFix {
  const drop = new Set(offending.map((o) => o.index));
  const list = model.statementIsList ? (model.doc.Statement as JsonValue[]) : [model.doc.Statement];
  const remaining = list.filter((_, i) => !drop.has(i));
  if (!remaining.length) return { kind: 'delete' };
  const policy: JsonObject = {};
  for (const key of Object.keys(model.doc)) setOwn(policy, key, key === 'Statement' ? remaining : model.doc[key]);
  return { kind: 'put', policy, text: formatPolicy(policy) };
}

function analyze(input: unknown, resource: PolicyResource): PolicyAnalysis {
  const ctx: ResourceContext | string = readResource(resource);
  if (typeof ctx === 'string') return invalid([ctx]);
  const json = readJsonInput(input);
  if (!json.ok) return invalid([json.message], ctx.noun);
  const model = readPolicy(json.value);
  if (!('doc' in model)) return invalid(model.problems, ctx.noun);

  const offending: OffendingStatement[] = [];
  const described: string[] = [];
  let locksPolicyManagement = false;
  for (const st of model.statements) {
    const j = judgeStatement(st, ctx);
    if (!j) continue;
    offending.push({
      index: st.index,
      ...(st.sid !== undefined ? { sid: st.sid } : {}),
      statement: st.raw,
      why: j.why,
      verdict: j.verdict,
      blocksPolicyManagement: j.blocksPolicyManagement,
    });
    described.push(`${st.label} ${j.summary}.`);
    locksPolicyManagement ||= j.managementLocked;
  }

  if (model.problems.length) {
    // A document AWS would not have stored: no fix is proposed, but statements that could be read
    // and lock are still reported so the user sees them.
    const base = invalid(model.problems, ctx.noun);
    return { ...base, reasons: [...base.reasons, ...described], offending, locksPolicyManagement };
  }
  if (!offending.length) {
    return {
      verdict: 'fine',
      reasons: [`No statement denies every IAM user and role of the owner access to this ${ctx.noun}'s policy${ctx.kind === 's3' ? ' or to all of its objects' : ''}.`],
      offending,
      locksPolicyManagement: false,
      fix: undefined,
      problems: [],
    };
  }
  return {
    verdict: offending.some((o) => o.verdict === 'locked') ? 'locked' : 'suspected',
    reasons: described,
    offending,
    locksPolicyManagement,
    fix: makeFix(model, offending),
    problems: [],
  };
}

export function analyzePolicy(input: string | unknown, resource: PolicyResource): PolicyAnalysis {
  try {
    return analyze(input, resource);
  } catch (err) {
    // Only reachable through hostile objects (throwing getters, proxies): still a verdict, not a throw.
    return invalid([`The policy could not be read: ${safeMessage(err)}`]);
  }
}
