// Domain core: the pure verdict on a role's policies. Identity policies + optional permissions boundary
// in, the ECR actions the role is effectively allowed (which statements grant them, what they reach) out.
import {
  type ActionMask,
  emptyMask,
  hasBit,
  intersection,
  isEmptyMask,
  isSubset,
  maskOfActions,
  maskToActions,
  maskWhere,
  setBit,
  subtractInto,
  unionInto,
} from './action-pattern';
import { type CatalogueAction, ECR_CATALOGUE, isWriteLevel } from './catalogue';
import {
  type Compiled,
  type CompiledPolicy,
  type CompiledStatement,
  compileAll,
  type DocumentCache,
  readInput,
  UNKNOWN_REF,
} from './policy-compile';
import { type ResourceUniverse, universeOf } from './resource-pattern';
import {
  allowReach,
  denyCover,
  intersectReach,
  type Reach,
  subtractDenies,
  unionReach,
} from './resource-reach';
import type { ActionReach, DenyNote, Grant, PolicyAnalysis, RolePolicies } from './types';

export { DocumentCache } from './policy-compile';

export interface AnalysisOptions {
  /** Write-level actions that are tolerated (see `pullAllowance` in ./catalogue); any case accepted. */
  readonly pullAllowance: ReadonlySet<string>;
  /**
   * The role's partition (`aws`, `aws-cn`...). When given, a Deny on `arn:<partition>:ecr:*:*:repository/*`
   * covers every repository; when not, only a pattern with a wildcard partition does. @default null
   */
  readonly partition?: string | null;
  /**
   * Compiled documents by object, for a caller whose policy document objects do not change while it holds
   * the cache (one snapshot view's); without it an object document is compiled on every analysis.
   */
  readonly documents?: DocumentCache;
}

/** One Allow statement reaching one action, after the Denies of its own policy set. */
interface AllowEntry {
  readonly policy: CompiledPolicy;
  readonly statement: CompiledStatement;
  readonly reach: Reach;
}

const WRITE_MASK = maskWhere((index) => {
  const entry = ECR_CATALOGUE[index];
  return entry !== undefined && isWriteLevel(entry.accessLevel);
});
const SERVICE_MASKS: readonly ActionMask[] = (['ecr', 'ecr-public'] as const).map((service) =>
  maskWhere((index) => ECR_CATALOGUE[index]?.service === service),
);

/** The resource universe of every catalogue action, by partition: the same for every role analysed. */
const universesByPartition = new Map<string | null, readonly ResourceUniverse[]>();

function universesOf(partition: string | null): readonly ResourceUniverse[] {
  const known = universesByPartition.get(partition);
  if (known !== undefined) return known;
  const universes = ECR_CATALOGUE.map((entry) => universeOf(entry, partition));
  // A handful of partitions exist; the bound only keeps odd input from growing the map.
  if (universesByPartition.size >= 16) universesByPartition.clear();
  universesByPartition.set(partition, universes);
  return universes;
}

/** allowReach for an Allow, denyCover for a Deny, computed once per statement and universe. */
function cachedReach(statement: CompiledStatement, universe: ResourceUniverse): Reach | null {
  const key = universe.arnPattern ?? '';
  if (statement.reachCache.has(key)) return statement.reachCache.get(key) ?? null;
  const reach =
    statement.effect === 'Allow'
      ? allowReach(statement.resource, universe)
      : denyCover(statement.resource, universe);
  statement.reachCache.set(key, reach);
  return reach;
}

/** What the unconditional Denies of a policy set surely cover of one action's resources. */
function denyCovers(policies: readonly CompiledPolicy[], index: number, universe: ResourceUniverse): Reach[] {
  const covers: Reach[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Deny' && !statement.conditional && hasBit(statement.actions, index)) {
        covers.push(cachedReach(statement, universe) ?? denyCover(statement.resource, universe));
      }
    }
  }
  return covers;
}

/** The Allow statements of a policy set that reach the action, minus what `covers` (its Denies) cover. */
function allowEntries(
  policies: readonly CompiledPolicy[],
  index: number,
  universe: ResourceUniverse,
  covers: readonly Reach[],
): AllowEntry[] {
  const entries: AllowEntry[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow' || !hasBit(statement.actions, index)) continue;
      const reach = cachedReach(statement, universe);
      const left = reach === null ? null : subtractDenies(reach, covers);
      if (left !== null) entries.push({ policy, statement, reach: left });
    }
  }
  return entries;
}

function allowedByAllows(policies: readonly CompiledPolicy[]): ActionMask {
  const mask = emptyMask();
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Allow') unionInto(mask, statement.actions);
    }
  }
  return mask;
}

function denyKind(statement: CompiledStatement): DenyNote['kind'] {
  if (statement.conditional) return 'conditional';
  return statement.resource.kind === 'Resource' && statement.resource.patterns.includes('*')
    ? 'unconditional'
    : 'resource-scoped';
}

/**
 * Deny statements (identity and boundary) that match write actions the identity Allows grant, before
 * any Deny: unconditional ones remove what their resources cover, conditional ones remove nothing.
 */
function denyNotes(policies: readonly CompiledPolicy[], relevant: ActionMask): DenyNote[] {
  const notes: DenyNote[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect !== 'Deny') continue;
      const touched = intersection(statement.actions, relevant);
      if (isEmptyMask(touched)) continue;
      notes.push({
        policy: policy.ref,
        statement: statement.label,
        actions: maskToActions(touched),
        kind: denyKind(statement),
      });
    }
  }
  return notes;
}

function allowsWholeService(actions: ActionMask): boolean {
  return SERVICE_MASKS.some((service) => isSubset(service, actions));
}

/** What the role may do with one action: the identity grants left after Denies and the boundary. */
interface ActionOutcome {
  readonly entries: readonly AllowEntry[];
  /** The identity Allows reach the action but the boundary lets none of it through. */
  readonly blockedByBoundary: boolean;
  readonly boundaryConditional: boolean;
}

function actionOutcome(compiled: Compiled, index: number, universe: ResourceUniverse): ActionOutcome {
  const identityCovers = denyCovers(compiled.identity, index, universe);
  const identity = allowEntries(compiled.identity, index, universe, identityCovers);
  if (identity.length === 0 || compiled.boundary === null) {
    return { entries: identity, blockedByBoundary: false, boundaryConditional: false };
  }
  const boundaryPolicies = [compiled.boundary];
  const boundaryCovers = denyCovers(boundaryPolicies, index, universe);
  const boundaryEntries = allowEntries(boundaryPolicies, index, universe, boundaryCovers);
  const boundary = unionReach(boundaryEntries.map((entry) => entry.reach));
  const entries: AllowEntry[] = [];
  for (const entry of identity) {
    // Once the boundary has scoped a grant, every Deny narrows it again (a Deny cannot narrow "all").
    const within = boundary === null ? null : intersectReach(entry.reach, boundary);
    const reach = within === null ? null : subtractDenies(within, [...identityCovers, ...boundaryCovers]);
    if (reach !== null) entries.push({ ...entry, reach });
  }
  const boundaryConditional = boundaryEntries.every((entry) => entry.statement.conditional);
  return { entries, blockedByBoundary: entries.length === 0, boundaryConditional };
}

function actionReach(
  entry: CatalogueAction,
  universe: ResourceUniverse,
  outcome: ActionOutcome,
  reach: Reach,
) {
  const conditional = outcome.boundaryConditional || outcome.entries.every((e) => e.statement.conditional);
  return {
    action: entry.action,
    on: universe.on,
    all: reach.all,
    resources: [...reach.patterns].sort(),
    conditional,
  };
}

interface GrantParts {
  readonly actions: string[];
  readonly reach: ActionReach[];
}

function grantsOf(
  identity: readonly CompiledPolicy[],
  parts: ReadonlyMap<CompiledStatement, GrantParts>,
): Grant[] {
  const grants: Grant[] = [];
  for (const policy of identity) {
    for (const statement of policy.statements) {
      const granted = parts.get(statement);
      if (granted === undefined) continue;
      grants.push({
        policy: policy.ref,
        statement: statement.label,
        actions: granted.actions,
        resourceScoped: !granted.reach.some((reach) => reach.all),
        conditional: statement.conditional,
        allServices: statement.allServices,
        wholeService: allowsWholeService(statement.actions),
        reach: granted.reach,
      });
    }
  }
  return grants;
}

function evaluate(policies: RolePolicies, options: AnalysisOptions): PolicyAnalysis {
  const compiled = compileAll(policies, options.documents);
  const tolerated = maskOfActions(options.pullAllowance);
  const partition = options.partition ?? null;
  const universes = universesOf(partition);
  const candidates = allowedByAllows(compiled.identity);
  const allowedMask = emptyMask();
  const blocked = emptyMask();
  const reach: ActionReach[] = [];
  const parts = new Map<CompiledStatement, GrantParts>();
  // An index loop: `entries()` allocates a pair per catalogue action, for every action of every role analysed.
  for (let index = 0; index < ECR_CATALOGUE.length; index++) {
    const entry = ECR_CATALOGUE[index];
    if (entry === undefined || !hasBit(candidates, index)) continue;
    const universe = universes[index] ?? universeOf(entry, partition);
    const outcome = actionOutcome(compiled, index, universe);
    const reported = hasBit(WRITE_MASK, index) && !hasBit(tolerated, index);
    if (outcome.blockedByBoundary && reported) setBit(blocked, index);
    const combined = unionReach(outcome.entries.map((e) => e.reach));
    if (combined === null) continue;
    setBit(allowedMask, index);
    if (!reported) continue;
    reach.push(actionReach(entry, universe, outcome, combined));
    for (const allow of outcome.entries) {
      const grant = parts.get(allow.statement) ?? { actions: [], reach: [] };
      grant.actions.push(entry.action);
      grant.reach.push(actionReach(entry, universe, { ...outcome, entries: [allow] }, allow.reach));
      parts.set(allow.statement, grant);
    }
  }
  const writeMask = intersection(allowedMask, WRITE_MASK);
  subtractInto(writeMask, tolerated);
  const denyRelevant = intersection(candidates, WRITE_MASK);
  subtractInto(denyRelevant, tolerated);
  const boundary = compiled.boundary;
  const writeActions = maskToActions(writeMask);
  return {
    allowed: maskToActions(allowedMask),
    writeActions,
    grants: grantsOf(compiled.identity, parts),
    denies: denyNotes(boundary === null ? compiled.identity : [...compiled.identity, boundary], denyRelevant),
    blockedByBoundary: maskToActions(blocked),
    unusablePolicies: compiled.unusable,
    warnings: compiled.warnings,
    reach: writeActions
      .map((action) => reach.find((r) => r.action === action))
      .filter((r) => r !== undefined),
    notUnderstood: compiled.notUnderstood,
  };
}

/** Last resort for inputs no caller should produce: report everything as unusable, never throw. */
function failedAnalysis(policies: unknown, error: unknown): PolicyAnalysis {
  const inputs: unknown[] = [];
  try {
    if (typeof policies === 'object' && policies !== null) {
      if ('identity' in policies && Array.isArray(policies.identity)) inputs.push(...policies.identity);
      if ('boundary' in policies && policies.boundary != null) inputs.push(policies.boundary);
    }
  } catch {
    // Unreadable input: nothing more to list.
  }
  const refs = inputs.length > 0 ? inputs.map((input) => readInput(input).ref) : [UNKNOWN_REF];
  const message = `analysis failed: ${error instanceof Error ? error.message : 'unreadable input'}`;
  const policy = refs[0] ?? UNKNOWN_REF;
  return {
    allowed: [],
    writeActions: [],
    grants: [],
    denies: [],
    blockedByBoundary: [],
    unusablePolicies: refs,
    warnings: [{ policy, statement: null, message }],
    reach: [],
    notUnderstood: [{ policy, statement: null, element: 'document', message }],
  };
}

/**
 * Which ECR / ECR Public actions the role may perform on some resource, IAM-style, and what they reach:
 * - an Allow counts whatever its Condition (a conditional grant can still write), on the resources of the
 *   action's type it can name: an Allow of a `*`-only action (e.g. `ecr:PutRegistryPolicy`) on a
 *   repository ARN grants nothing;
 * - an unconditional Deny removes what its resources surely cover (judged within the action's resource
 *   type, conservatively: when unsure the grant stays); conditional Denies remove nothing;
 * - with a permissions boundary the result is identity-allowed ∩ boundary-allowed;
 * - `writeActions` are the allowed write-level actions minus the pull allowance, `reach` what each reaches.
 * A document, or a statement that could grant ECR write, that cannot be interpreted lists its policy in
 * `unusablePolicies` (and says why in `notUnderstood`): the role can then never be judged compliant.
 * Never throws.
 */
export function analyseRolePolicies(policies: RolePolicies, options: AnalysisOptions): PolicyAnalysis {
  try {
    return evaluate(policies, options);
  } catch (error) {
    return failedAnalysis(policies, error);
  }
}
