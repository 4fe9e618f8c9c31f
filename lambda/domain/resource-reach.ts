// Domain helper (pure) for the policy analysis: what an Allow statement reaches of one action's resources,
// what an unconditional Deny surely covers of them, and how reaches combine (deny, boundary, union).
import {
  canReach,
  coversAll,
  patternSubsumes,
  patternsIntersect,
  type ResourceUniverse,
} from './resource-pattern';

/** The resources of one action a statement applies to: all of them, or those its patterns name. */
export interface Reach {
  readonly all: boolean;
  /** The statement's Resource patterns that can name one of the action's resources; empty when `all`. */
  readonly patterns: readonly string[];
  /** With `all`: NotResource patterns left out (used to narrow a scoped grant met on the other side). */
  readonly except: readonly string[];
}

export const ALL_RESOURCES: Reach = { all: true, patterns: [], except: [] };

export interface ResourceElement {
  readonly kind: 'Resource' | 'NotResource';
  readonly patterns: readonly string[];
}

const NOTHING: Reach = { all: false, patterns: [], except: [] };

/**
 * What an Allow applies to. `Resource`: every resource when one pattern covers them all (`*` and the like;
 * for `*`-only actions only a pattern matching `*` itself does), else the patterns that can name one of
 * them (none: the Allow grants nothing for this action). `NotResource`: nothing when a pattern covers them
 * all, else (conservatively) all of them.
 */
export function allowReach(resource: ResourceElement, universe: ResourceUniverse): Reach | null {
  if (resource.kind === 'NotResource') {
    if (resource.patterns.some((p) => coversAll(p, universe))) return null;
    return { all: true, patterns: [], except: resource.patterns.filter((p) => canReach(p, universe)) };
  }
  if (resource.patterns.some((p) => coversAll(p, universe))) return ALL_RESOURCES;
  const patterns = resource.patterns.filter((p) => canReach(p, universe));
  return patterns.length === 0 ? null : { all: false, patterns, except: [] };
}

/**
 * What an unconditional Deny surely covers. `Resource`: all when one pattern covers every resource, else
 * the patterns. `NotResource`: nothing when a pattern covers every resource, else all but the patterns
 * that can name one (`except`). When unsure, a Deny is taken to cover less, so the grant stays.
 */
export function denyCover(resource: ResourceElement, universe: ResourceUniverse): Reach {
  if (resource.kind === 'NotResource') {
    // A `*`-only action is requested on `*`, which any NotResource pattern may be read to match (the
    // simulator does): such a Deny is taken to cover nothing.
    if (universe.arnPattern === null || resource.patterns.some((p) => coversAll(p, universe))) return NOTHING;
    return { all: true, patterns: [], except: resource.patterns.filter((p) => canReach(p, universe)) };
  }
  if (resource.patterns.some((p) => coversAll(p, universe))) return ALL_RESOURCES;
  return { all: false, patterns: resource.patterns, except: [] };
}

/** The patterns an all-but-`except` Deny leaves out that no other (Resource-scoped) Deny covers. */
function leftOut(cover: Reach, covers: readonly Reach[]): readonly string[] {
  return cover.except.filter(
    (out) => !covers.some((other) => !other.all && other.patterns.some((deny) => patternSubsumes(deny, out))),
  );
}

/** The reach left after the Denies: the patterns no Deny (or combination of Denies) surely covers. */
export function subtractDenies(reach: Reach, covers: readonly Reach[]): Reach | null {
  const wide = covers.filter((cover) => cover.all).map((cover) => leftOut(cover, covers));
  // A Deny on all but some patterns covers an `all` reach when the reach leaves those out itself.
  if (wide.some((out) => out.every((o) => reach.except.some((left) => patternSubsumes(left, o)))))
    return null;
  if (reach.all) return reach;
  const left = reach.patterns.filter(
    (pattern) =>
      !wide.some((out) => !out.some((o) => patternsIntersect(o, pattern, true))) &&
      !covers.some((cover) => !cover.all && cover.patterns.some((deny) => patternSubsumes(deny, pattern))),
  );
  return left.length === 0 ? null : { all: false, patterns: left, except: [] };
}

/**
 * The NotResource patterns a union of `all` reaches (and scoped ones) surely leaves out: those every `all`
 * reach leaves out and no scoped reach can name. A resource is reached when any one reach reaches it.
 */
function unionExcept(wide: readonly Reach[], scoped: readonly Reach[]): string[] {
  const candidates = [...new Set(wide.flatMap((reach) => reach.except))].sort();
  return candidates.filter(
    (out) =>
      wide.every((reach) => reach.except.some((left) => patternSubsumes(left, out))) &&
      !scoped.some((reach) => reach.patterns.some((pattern) => patternsIntersect(pattern, out, true))),
  );
}

/**
 * The union. With an `all` reach among them: all, but for what every `all` reach surely leaves out and no
 * scoped reach names (over-approximated: when unsure, a resource is reached).
 */
export function unionReach(reaches: readonly Reach[]): Reach | null {
  const [first] = reaches;
  if (first === undefined) return null;
  if (reaches.length === 1) return first;
  const wide = reaches.filter((reach) => reach.all);
  if (wide.length > 0) {
    const except = unionExcept(
      wide,
      reaches.filter((reach) => !reach.all),
    );
    return except.length === 0 ? ALL_RESOURCES : { all: true, patterns: [], except };
  }
  return {
    all: false,
    patterns: [...new Set(reaches.flatMap((reach) => reach.patterns))].sort(),
    except: [],
  };
}

/** Scoped patterns left once those an `all` reach surely leaves out (its NotResource) are dropped. */
function withoutExcepted(scoped: Reach, all: Reach): Reach | null {
  const patterns = scoped.patterns.filter(
    (pattern) => !all.except.some((out) => patternSubsumes(out, pattern)),
  );
  return patterns.length === 0 ? null : { all: false, patterns, except: [] };
}

/** identity ∩ boundary, over-approximated: scoped patterns are kept when they can overlap the other side. */
export function intersectReach(identity: Reach, boundary: Reach): Reach | null {
  if (identity.all && boundary.all) {
    return { all: true, patterns: [], except: [...new Set([...identity.except, ...boundary.except])] };
  }
  if (boundary.all) return withoutExcepted(identity, boundary);
  if (identity.all) return withoutExcepted(boundary, identity);
  const patterns = identity.patterns.filter((pattern) =>
    boundary.patterns.some((other) => patternsIntersect(pattern, other, true)),
  );
  return patterns.length === 0 ? null : { all: false, patterns, except: [] };
}
