// IAM wildcard patterns: `*` matches any run of characters, `?` exactly one. Matched directly
// (greedy star with backtracking) rather than through RegExp: patterns are mostly unique per
// bucket or queue, so compiling them would cost more than matching.

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    const c = p.charCodeAt(pi);
    if (pi < p.length && (c === 63 /* ? */ || c === v.charCodeAt(vi))) {
      pi++;
      vi++;
    } else if (pi < p.length && c === 42 /* * */) {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}
