/**
 * IAM wildcards: `*` matches any run of characters (also none), `?` exactly one. Callers lowercase
 * both sides where AWS compares case-insensitively (action names). Everything here is iterative and
 * O(pattern × text), with no regular expressions built from policy text.
 */

const STAR = 42;
const QUESTION = 63;

export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && pc === STAR) { starP = p++; starT = t; }
    else if (p < pattern.length && (pc === QUESTION || pc === text.charCodeAt(t))) { p++; t++; }
    else if (starP >= 0) { p = starP + 1; t = ++starT; }
    else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/** Marks the positions reachable from marked ones without reading a character (skipping a `*`). */
function closeOverStars(pattern: string, s: Uint8Array): void {
  for (let j = 0; j < pattern.length; j++) if (s[j] && pattern.charCodeAt(j) === STAR) s[j + 1] = 1;
}

/** Which pattern positions can be reached after reading `prefix` (undefined: none, no match possible). */
function statesAfter(pattern: string, prefix: string): Uint8Array | undefined {
  const m = pattern.length;
  let cur = new Uint8Array(m + 1);
  // Most patterns spell the prefix out literally (full ARNs): one reachable position, no search.
  let literal = 0;
  while (literal < prefix.length && literal < m) {
    const c = pattern.charCodeAt(literal);
    if (c === STAR || c === QUESTION) break;
    if (c !== prefix.charCodeAt(literal)) return undefined;
    literal++;
  }
  if (literal === prefix.length) {
    cur[literal] = 1;
    closeOverStars(pattern, cur);
    return cur;
  }
  let next = new Uint8Array(m + 1);
  cur[0] = 1;
  closeOverStars(pattern, cur);
  for (let k = 0; k < prefix.length; k++) {
    const c = prefix.charCodeAt(k);
    next.fill(0);
    let any = false;
    for (let j = 0; j < m; j++) {
      if (!cur[j]) continue;
      const pj = pattern.charCodeAt(j);
      if (pj === STAR) { next[j] = 1; any = true; }
      else if (pj === QUESTION || pj === c) { next[j + 1] = 1; any = true; }
    }
    if (!any) return undefined;
    closeOverStars(pattern, next);
    [cur, next] = [next, cur];
  }
  return cur;
}

/** Some string that starts with `prefix` matches `pattern`. */
export function canMatchWithPrefix(pattern: string, prefix: string): boolean {
  return statesAfter(pattern, prefix) !== undefined;
}

/**
 * Every string that starts with `prefix` (and has at least one more character) matches `pattern`.
 * Decided by reaching a pattern tail made only of `*`; exotic unions such as "?*" together with ""
 * are not recognised, which errs towards "not covered".
 */
export function coversAllWithPrefix(pattern: string, prefix: string): boolean {
  const states = statesAfter(pattern, prefix);
  if (!states) return false;
  let allStars = true;
  for (let j = pattern.length - 1; j >= 0; j--) {
    allStars = allStars && pattern.charCodeAt(j) === STAR;
    if (!allStars) return false;
    if (states[j]) return true;
  }
  return false;
}
