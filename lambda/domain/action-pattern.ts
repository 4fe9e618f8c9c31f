// Domain helper for the policy analysis: IAM action patterns (`ecr:Put*`, `*`, `ecr:?etImage`) matched
// against the ECR catalogue, and fixed-size bit sets of catalogue actions. Pure; no regex per action.
import { ECR_CATALOGUE } from './catalogue';
import { wildcardMatches } from './wildcard';

/**
 * A set of catalogue actions: bit i stands for ECR_CATALOGUE[i]. Treat masks returned by this module as
 * read-only; combine them into a fresh mask (`emptyMask`, `copyMask`) before mutating.
 */
export type ActionMask = Uint32Array;

const SIZE = ECR_CATALOGUE.length;
const WORDS = Math.ceil(SIZE / 32);
const STAR = 42; // '*'
const PATTERN_CACHE_LIMIT = 4096;

const patternCache = new Map<string, ActionMask>();

export function emptyMask(): ActionMask {
  return new Uint32Array(WORDS);
}

export function copyMask(mask: ActionMask): ActionMask {
  return Uint32Array.from(mask);
}

export function setBit(mask: ActionMask, index: number): void {
  const word = index >>> 5;
  mask[word] = (mask[word] ?? 0) | (1 << (index & 31));
}

export function hasBit(mask: ActionMask, index: number): boolean {
  return ((mask[index >>> 5] ?? 0) & (1 << (index & 31))) !== 0;
}

/** The mask of every catalogue entry the predicate accepts. */
export function maskWhere(predicate: (index: number) => boolean): ActionMask {
  const mask = emptyMask();
  for (let index = 0; index < SIZE; index++) {
    if (predicate(index)) setBit(mask, index);
  }
  return mask;
}

export const FULL_MASK: ActionMask = maskWhere(() => true);

const INDEX_BY_LOWER_CASE = new Map(ECR_CATALOGUE.map((entry, index) => [entry.action.toLowerCase(), index]));

/** The mask of exact action names, matched case-insensitively; names outside the catalogue are ignored. */
export function maskOfActions(actions: Iterable<unknown>): ActionMask {
  const mask = emptyMask();
  for (const action of actions) {
    const index = typeof action === 'string' ? INDEX_BY_LOWER_CASE.get(action.toLowerCase()) : undefined;
    if (index !== undefined) setBit(mask, index);
  }
  return mask;
}

/** target |= source */
export function unionInto(target: ActionMask, source: ActionMask): void {
  for (let word = 0; word < WORDS; word++) target[word] = (target[word] ?? 0) | (source[word] ?? 0);
}

/** target &= source */
export function intersectInto(target: ActionMask, source: ActionMask): void {
  for (let word = 0; word < WORDS; word++) target[word] = (target[word] ?? 0) & (source[word] ?? 0);
}

/** target &= ~source */
export function subtractInto(target: ActionMask, source: ActionMask): void {
  for (let word = 0; word < WORDS; word++) target[word] = (target[word] ?? 0) & ~(source[word] ?? 0);
}

export function intersection(a: ActionMask, b: ActionMask): ActionMask {
  const result = copyMask(a);
  intersectInto(result, b);
  return result;
}

/** Every catalogue action not in `mask`. */
export function complement(mask: ActionMask): ActionMask {
  const result = copyMask(FULL_MASK);
  subtractInto(result, mask);
  return result;
}

export function isEmptyMask(mask: ActionMask): boolean {
  return mask.every((word) => word === 0);
}

/** a ⊆ b */
export function isSubset(a: ActionMask, b: ActionMask): boolean {
  for (let word = 0; word < WORDS; word++) {
    if (((a[word] ?? 0) & ~(b[word] ?? 0)) !== 0) return false;
  }
  return true;
}

const ACTION_NAMES: readonly string[] = ECR_CATALOGUE.map((entry) => entry.action);

/** The actions of a mask in catalogue order (which is sorted order), catalogue spelling. */
export function maskToActions(mask: ActionMask): string[] {
  const actions: string[] = [];
  for (let word = 0; word < WORDS; word++) {
    let bits = mask[word] ?? 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      const name = ACTION_NAMES[word * 32 + 31 - Math.clz32(lowest)];
      if (name !== undefined) actions.push(name);
      bits ^= lowest;
    }
  }
  return actions;
}

function computePatternMask(pattern: string): ActionMask {
  if (pattern === '*') return FULL_MASK;
  if (!pattern.includes(':')) return emptyMask();
  return maskWhere((index) => wildcardMatches(pattern, ECR_CATALOGUE[index]?.action ?? '', true));
}

/**
 * The catalogue actions an IAM action pattern matches. `*` alone matches everything; any other pattern
 * needs a service prefix (`service:action`, wildcards allowed in both parts) or it matches nothing.
 * Results are memoised per pattern string (bounded), so repeated policies cost a map lookup.
 */
export function actionPatternMask(pattern: string): ActionMask {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) return cached;
  const mask = computePatternMask(pattern);
  if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
  patternCache.set(pattern, mask);
  return mask;
}

/** Union of the masks of several patterns, as a fresh mask. */
export function patternsMask(patterns: readonly string[]): ActionMask {
  const mask = emptyMask();
  for (const pattern of patterns) unionInto(mask, actionPatternMask(pattern));
  return mask;
}

function onlyStars(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) !== STAR) return false;
  }
  return true;
}

/** True for patterns that match every action of every service: `*`, `*:*` (and `**:*`-like spellings). */
export function matchesEveryAction(pattern: string): boolean {
  if (pattern === '*') return true;
  const colon = pattern.indexOf(':');
  return colon > 0 && onlyStars(pattern.slice(0, colon)) && onlyStars(pattern.slice(colon + 1));
}
