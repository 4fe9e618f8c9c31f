// Domain core: the pure verdict on a role's policies. Identity policies + optional permissions boundary
// in, the ECR actions the role is effectively allowed (and which statements grant them) out. No I/O.
import {
  type ActionMask,
  complement,
  copyMask,
  emptyMask,
  FULL_MASK,
  intersection,
  isEmptyMask,
  isSubset,
  maskOfActions,
  maskToActions,
  maskWhere,
  matchesEveryAction,
  patternsMask,
  subtractInto,
  unionInto,
} from './action-pattern';
import { ECR_CATALOGUE, isWriteLevel } from './catalogue';
import { type NormalisedStatement, parsePolicyDocument, type SkippedStatement } from './policy-document';
import type {
  AnalysisWarning,
  DenyNote,
  Grant,
  PolicyAnalysis,
  PolicyInput,
  PolicyRef,
  RolePolicies,
} from './types';

export interface AnalysisOptions {
  /** Write-level actions that are tolerated (see `pullAllowance` in ./catalogue); any case accepted. */
  readonly pullAllowance: ReadonlySet<string>;
}

interface CompiledStatement {
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  /** The catalogue actions the statement's Action / NotAction selects. */
  readonly actions: ActionMask;
  /** Resource contains `*`: the statement applies to every resource. */
  readonly allResources: boolean;
  readonly conditional: boolean;
  /** Action has a pattern matching every action of every service, or the statement uses NotAction. */
  readonly allServices: boolean;
}

interface CompiledPolicy {
  readonly ref: PolicyRef;
  readonly statements: readonly CompiledStatement[];
}

/** The effect of one set of policies (identity, or boundary) taken on its own. */
interface PolicySetEffect {
  /** Allowed by some Allow statement, for some resource, under some condition. */
  readonly allowedByAllows: ActionMask;
  /** allowedByAllows minus what unconditional, all-resource Denies remove. */
  readonly allowed: ActionMask;
}

const WRITE_MASK = maskWhere((index) => {
  const entry = ECR_CATALOGUE[index];
  return entry !== undefined && isWriteLevel(entry.accessLevel);
});
const SERVICE_MASKS: readonly ActionMask[] = (['ecr', 'ecr-public'] as const).map((service) =>
  maskWhere((index) => ECR_CATALOGUE[index]?.service === service),
);
const UNKNOWN_REF: PolicyRef = { kind: 'inline', name: '(unnamed policy)', arn: null };

function compileStatement(statement: NormalisedStatement): CompiledStatement {
  const matched = patternsMask(statement.action.patterns);
  const notAction = statement.action.kind === 'NotAction';
  return {
    label: statement.label,
    effect: statement.effect,
    actions: notAction ? complement(matched) : matched,
    allResources: statement.resource.kind === 'Resource' && statement.resource.patterns.includes('*'),
    conditional: statement.conditional,
    allServices: notAction || statement.action.patterns.some(matchesEveryAction),
  };
}

type CompiledDocument =
  | {
      readonly ok: true;
      readonly statements: readonly CompiledStatement[];
      readonly skipped: readonly SkippedStatement[];
    }
  | { readonly ok: false; readonly error: string };

type CompileOutcome =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly warnings: AnalysisWarning[] }
  | { readonly ok: false; readonly warnings: AnalysisWarning[] };

const DOCUMENT_CACHE_LIMIT = 1024;
const CACHEABLE_DOCUMENT_CHARS = 64 * 1024;
/**
 * Compiled documents by their text. An audit analyses thousands of roles sharing the same managed
 * policies; strings are immutable, so caching by text is safe (parsed objects are not cached).
 */
const documentCache = new Map<string, CompiledDocument>();

function compileDocument(document: unknown): CompiledDocument {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) return parsed;
  return { ok: true, statements: parsed.statements.map(compileStatement), skipped: parsed.skipped };
}

function compileDocumentCached(document: unknown): CompiledDocument {
  if (typeof document !== 'string' || document.length > CACHEABLE_DOCUMENT_CHARS) {
    return compileDocument(document);
  }
  const cached = documentCache.get(document);
  if (cached !== undefined) return cached;
  const compiled = compileDocument(document);
  if (documentCache.size >= DOCUMENT_CACHE_LIMIT) documentCache.clear();
  documentCache.set(document, compiled);
  return compiled;
}

function compilePolicy(ref: PolicyRef, document: unknown, role: 'identity' | 'boundary'): CompileOutcome {
  const compiled = compileDocumentCached(document);
  const unusable = (reason: string): AnalysisWarning => {
    const consequence = role === 'boundary' ? '; analysed as if the role had no permissions boundary' : '';
    return { policy: ref, statement: null, message: `unusable policy: ${reason}${consequence}` };
  };
  if (!compiled.ok) return { ok: false, warnings: [unusable(compiled.error)] };
  const warnings: AnalysisWarning[] = compiled.skipped.map((skip) => ({
    policy: ref,
    statement: skip.label,
    message: `statement skipped: ${skip.message}`,
  }));
  if (compiled.statements.length === 0) {
    return { ok: false, warnings: [...warnings, unusable('no usable statement')] };
  }
  return { ok: true, policy: { ref, statements: compiled.statements }, warnings };
}

function isUnconditionalEverywhere(statement: CompiledStatement): boolean {
  return !statement.conditional && statement.allResources;
}

function effectOf(policies: readonly CompiledPolicy[]): PolicySetEffect {
  const allowedByAllows = emptyMask();
  const removed = emptyMask();
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Allow') unionInto(allowedByAllows, statement.actions);
      else if (isUnconditionalEverywhere(statement)) unionInto(removed, statement.actions);
    }
  }
  const allowed = copyMask(allowedByAllows);
  subtractInto(allowed, removed);
  return { allowedByAllows, allowed };
}

function denyKind(statement: CompiledStatement): DenyNote['kind'] {
  if (statement.conditional) return 'conditional';
  return statement.allResources ? 'unconditional' : 'resource-scoped';
}

/**
 * Deny statements (identity and boundary) that match write actions the identity Allows grant, before
 * any Deny: the unconditional ones removed them, the others are reported but removed nothing.
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

function grantsOf(policies: readonly CompiledPolicy[], writeMask: ActionMask): Grant[] {
  const grants: Grant[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect !== 'Allow') continue;
      const granted = intersection(statement.actions, writeMask);
      if (isEmptyMask(granted)) continue;
      grants.push({
        policy: policy.ref,
        statement: statement.label,
        actions: maskToActions(granted),
        resourceScoped: !statement.allResources,
        conditional: statement.conditional,
        allServices: statement.allServices,
        wholeService: allowsWholeService(statement.actions),
      });
    }
  }
  return grants;
}

function isPolicyRef(value: unknown): value is PolicyRef {
  if (typeof value !== 'object' || value === null) return false;
  const kind = 'kind' in value ? value.kind : undefined;
  const name = 'name' in value ? value.name : undefined;
  const arn = 'arn' in value ? value.arn : undefined;
  const knownKind = kind === 'aws-managed' || kind === 'customer-managed' || kind === 'inline';
  return knownKind && typeof name === 'string' && (arn === null || typeof arn === 'string');
}

/** Inputs are typed, but the analysis must not throw on anything: read them defensively. */
function readInput(input: unknown): { readonly ref: PolicyRef; readonly document: unknown } {
  if (typeof input !== 'object' || input === null) return { ref: UNKNOWN_REF, document: input };
  try {
    const ref = 'ref' in input && isPolicyRef(input.ref) ? input.ref : UNKNOWN_REF;
    return { ref, document: 'document' in input ? input.document : undefined };
  } catch {
    return { ref: UNKNOWN_REF, document: undefined };
  }
}

function identityInputs(policies: RolePolicies): readonly unknown[] {
  const identity: unknown = policies.identity;
  return Array.isArray(identity) ? identity : [];
}

function boundaryInput(policies: RolePolicies): PolicyInput | null {
  return policies.boundary ?? null;
}

interface Compiled {
  readonly identity: CompiledPolicy[];
  /** null when there is no boundary or it is unusable. */
  readonly boundary: CompiledPolicy | null;
  readonly unusable: PolicyRef[];
  readonly warnings: AnalysisWarning[];
}

function compileAll(policies: RolePolicies): Compiled {
  const compiled: Compiled = { identity: [], boundary: null, unusable: [], warnings: [] };
  const add = (input: unknown, role: 'identity' | 'boundary'): CompiledPolicy | null => {
    const { ref, document } = readInput(input);
    const outcome = compilePolicy(ref, document, role);
    compiled.warnings.push(...outcome.warnings);
    if (outcome.ok) return outcome.policy;
    compiled.unusable.push(ref);
    return null;
  };
  for (const input of identityInputs(policies)) {
    const policy = add(input, 'identity');
    if (policy !== null) compiled.identity.push(policy);
  }
  const boundary = boundaryInput(policies);
  return boundary === null ? compiled : { ...compiled, boundary: add(boundary, 'boundary') };
}

function evaluate(policies: RolePolicies, options: AnalysisOptions): PolicyAnalysis {
  const { identity, boundary, unusable, warnings } = compileAll(policies);
  const tolerated = maskOfActions(options.pullAllowance);
  const identityEffect = effectOf(identity);
  // An unusable boundary is treated as absent (it is listed in unusablePolicies so the caller reports
  // indeterminate): guessing that it blocks writes could turn a violation into a false "compliant".
  const boundaryAllowed = boundary === null ? FULL_MASK : effectOf([boundary]).allowed;

  const allowed = intersection(identityEffect.allowed, boundaryAllowed);
  const writeMask = intersection(allowed, WRITE_MASK);
  subtractInto(writeMask, tolerated);
  const blocked = intersection(identityEffect.allowed, WRITE_MASK);
  subtractInto(blocked, tolerated);
  subtractInto(blocked, boundaryAllowed);
  const denyRelevant = intersection(identityEffect.allowedByAllows, WRITE_MASK);
  subtractInto(denyRelevant, tolerated);

  return {
    allowed: maskToActions(allowed),
    writeActions: maskToActions(writeMask),
    grants: grantsOf(identity, writeMask),
    denies: denyNotes(boundary === null ? identity : [...identity, boundary], denyRelevant),
    blockedByBoundary: maskToActions(blocked),
    unusablePolicies: unusable,
    warnings,
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
  return {
    allowed: [],
    writeActions: [],
    grants: [],
    denies: [],
    blockedByBoundary: [],
    unusablePolicies: refs,
    warnings: [{ policy: refs[0] ?? UNKNOWN_REF, statement: null, message }],
  };
}

/**
 * Which ECR / ECR Public actions the role may perform on some resource, IAM-style:
 * - an Allow counts whatever its Resource or Condition (a scoped or conditional grant can still write);
 * - only an unconditional Deny on every resource removes actions; other Denies are reported in `denies`;
 * - with a permissions boundary the result is identity-allowed ∩ boundary-allowed;
 * - `writeActions` are the allowed write-level actions minus the pull allowance.
 * Unusable documents are listed in `unusablePolicies` and contribute nothing. Never throws.
 */
export function analyseRolePolicies(policies: RolePolicies, options: AnalysisOptions): PolicyAnalysis {
  try {
    return evaluate(policies, options);
  } catch (error) {
    return failedAnalysis(policies, error);
  }
}
