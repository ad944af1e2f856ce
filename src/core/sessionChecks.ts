
/**
 * The checks around an unlock's write (pure): did the policy change since the user saw it, and
 * does the re-read after the write match what was written. Policies are compared as JSON values
 * (key order and whitespace ignored, array order kept): AWS may return a policy re-serialised.
 */
export function samePolicy(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined || pb === undefined) return a.trim() === b.trim();
  return canonical(pa) === canonical(pb);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type UnchangedCheck = { ok: true } | { ok: false; message: string };

/** Refuses the write when the policy re-read just before it differs from the one previewed. */
export function checkUnchanged(previewed: string | undefined, current: string | undefined, resource: string): UnchangedCheck {
  if (samePolicy(previewed, current)) return { ok: true };
  const what = current === undefined ? 'was removed' : previewed === undefined ? 'was added' : 'changed';
  return {
    ok: false,
    message: `The policy of ${resource} ${what} since the preview; nothing was written. Run the unlock again to review the current policy.`,
  };
}

export type VerifyResult = { ok: true; identical: boolean } | { ok: false; message: string };

/**
 * After a write: a delete must leave no policy; a put must leave a policy that no longer locks
 * (`stillLocks` is the analyzer's verdict on the re-read). `identical` tells whether AWS stored
 * exactly what was sent (as JSON).
 */
export function verifyWrite(
  expected: { kind: 'put'; text: string } | { kind: 'delete' },
  reread: string | undefined,
  stillLocks: (text: string) => boolean,
  resource: string,
): VerifyResult {
  if (expected.kind === 'delete') {
    return reread === undefined
      ? { ok: true, identical: true }
      : { ok: false, message: `${resource} still has a policy after the delete.` };
  }
  if (reread === undefined) return { ok: false, message: `${resource} has no policy after the write.` };
  if (stillLocks(reread)) return { ok: false, message: `The policy re-read from ${resource} still locks everyone out.` };
  return { ok: true, identical: samePolicy(expected.text, reread) };
}
