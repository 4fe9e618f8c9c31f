// Domain helper (pure): the one IAM-style wildcard matcher, for action patterns, ARN patterns and role names.

const STAR = 42; // '*'
const QUESTION = 63; // '?'

function foldAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/**
 * IAM-style wildcard match: `*` matches any run of characters (also none, and including `/` and `:`), `?`
 * exactly one. `ignoreCase` folds ASCII letters only, which is all IAM names and actions can hold. Greedy with
 * backtracking to the last star: iterative and linear in practice, so long patterns can neither exhaust the
 * stack nor go exponential.
 */
export function wildcardMatches(pattern: string, text: string, ignoreCase: boolean): boolean {
  const same = ignoreCase
    ? (a: number, b: number) => foldAscii(a) === foldAscii(b)
    : (a: number, b: number) => a === b;
  let p = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const code = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (code === QUESTION || (code >= 0 && code !== STAR && same(code, text.charCodeAt(t)))) {
      p++;
      t++;
    } else if (code === STAR) {
      starAt = p++;
      resumeAt = t;
    } else if (starAt >= 0) {
      p = starAt + 1;
      t = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}
