// Domain helper (pure): IAM Resource patterns against the resources an ECR action acts on. Which Allow can
// reach an action's resources, and which Deny surely covers them. Read by the policy analysis.
import { type CatalogueAction, RESOURCE_ARN_TEMPLATES } from './catalogue';
import { wildcardMatches } from './wildcard';

const STAR = '*';
const QUESTION = '?';

/**
 * The resources one action acts on, as a pattern: the resource type's ARN with every variable part a `*`
 * (the partition too, unless it is known), or the literal `*` for actions without a resource type
 * (registry-level actions such as `ecr:PutRegistryPolicy`: IAM evaluates them on the resource `*`).
 */
export interface ResourceUniverse {
  /** `repository`, or `registry` for actions on the registry (ECR Public's registry, or `*`-only actions). */
  readonly on: 'repository' | 'registry';
  /** null for `*`-only actions. */
  readonly arnPattern: string | null;
}

export function universeOf(entry: CatalogueAction, partition: string | null): ResourceUniverse {
  if (entry.resourceType === null) return { on: 'registry', arnPattern: null };
  const template = RESOURCE_ARN_TEMPLATES[`${entry.service}:${entry.resourceType}`];
  // An unknown template (cannot happen with the generated catalogue) is widened to everything: an Allow
  // always reaches it and no Deny pattern short of `*` covers it.
  if (template === undefined) return { on: entry.resourceType, arnPattern: STAR };
  const arnPattern = template.replace(/\$\{Partition\}/g, partition ?? STAR).replaceAll(/\$\{[^}]*\}/g, STAR);
  return { on: entry.resourceType, arnPattern };
}

function isWildcard(char: string | undefined): boolean {
  return char === STAR || char === QUESTION;
}

function sameChar(a: string, b: string, ignoreCase: boolean): boolean {
  return ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** Breadth-first search over (i, j) positions of two patterns; `next` lists the successor states. */
function reachesEnd(
  a: string,
  b: string,
  next: (i: number, j: number) => readonly [number, number][],
): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const state = stack.pop();
    if (state === undefined) break;
    const [i, j] = state;
    if (i === a.length && j === b.length) return true;
    const key = i * width + j;
    if (seen[key] === 1) continue;
    seen[key] = 1;
    stack.push(...next(i, j));
  }
  return false;
}

/** Some string matches both patterns (`*` any run, `?` one character). */
export function patternsIntersect(a: string, b: string, ignoreCase: boolean): boolean {
  return reachesEnd(a, b, (i, j) => {
    const x = a[i];
    const y = b[j];
    const states: [number, number][] = [];
    if (x === STAR) {
      states.push([i + 1, j]);
      if (y !== undefined) states.push([i, j + 1]);
    }
    if (y === STAR) {
      states.push([i, j + 1]);
      if (x !== undefined) states.push([i + 1, j]);
    }
    if (x !== undefined && y !== undefined && x !== STAR && y !== STAR) {
      if (x === QUESTION || y === QUESTION || sameChar(x, y, ignoreCase)) states.push([i + 1, j + 1]);
    }
    return states;
  });
}

/**
 * Every string `specific` matches, `general` matches too. Conservative: true only when `general` can be
 * aligned with `specific` token by token (a `*` of `general` absorbing any tokens, its `?` one non-`*`
 * token, its letters the same letters); a false answer may still be a subset. Case-sensitive, as ARNs are.
 */
export function patternSubsumes(general: string, specific: string): boolean {
  return reachesEnd(general, specific, (i, j) => {
    const g = general[i];
    const s = specific[j];
    if (g === STAR)
      return s === undefined
        ? [[i + 1, j]]
        : [
            [i + 1, j],
            [i, j + 1],
          ];
    if (g === undefined || s === undefined) return [];
    if (g === QUESTION) return s === STAR ? [] : [[i + 1, j + 1]];
    return !isWildcard(s) && g === s ? [[i + 1, j + 1]] : [];
  });
}

/** A Resource pattern can name one of the universe's resources (case folded: when unsure, it can). */
export function canReach(pattern: string, universe: ResourceUniverse): boolean {
  if (universe.arnPattern === null) return wildcardMatches(pattern, STAR, true);
  return patternsIntersect(pattern, universe.arnPattern, true);
}

/** A Resource pattern surely names every resource of the universe. */
export function coversAll(pattern: string, universe: ResourceUniverse): boolean {
  if (universe.arnPattern === null) return wildcardMatches(pattern, STAR, false);
  return patternSubsumes(pattern, universe.arnPattern);
}
