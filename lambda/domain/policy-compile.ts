// Domain core, first step of the policy analysis: policy inputs read defensively, documents parsed and
// compiled (cached by text), statements not understood sorted into harmless skips and fail-closed ones.
import { type ActionMask, complement, isEmptyMask, matchesEveryAction, patternsMask } from './action-pattern';
import { type NormalisedStatement, parsePolicyDocument, type SkippedStatement } from './policy-document';
import type { Reach, ResourceElement } from './resource-reach';
import type { AnalysisWarning, NotUnderstood, PolicyInput, PolicyRef, RolePolicies } from './types';

export interface CompiledStatement {
  readonly label: string;
  readonly effect: 'Allow' | 'Deny';
  /** The catalogue actions the statement's Action / NotAction selects. */
  readonly actions: ActionMask;
  readonly resource: ResourceElement;
  readonly conditional: boolean;
  /** Action has a pattern matching every action of every service, or the statement uses NotAction. */
  readonly allServices: boolean;
  /** allowReach / denyCover by universe (the statement is immutable and the answers pure). */
  readonly reachCache: Map<string, Reach | null>;
}

export interface CompiledPolicy {
  readonly ref: PolicyRef;
  readonly statements: readonly CompiledStatement[];
}

export const UNKNOWN_REF: PolicyRef = { kind: 'inline', name: '(unnamed policy)', arn: null };
function compileStatement(statement: NormalisedStatement): CompiledStatement {
  const matched = patternsMask(statement.action.patterns);
  const notAction = statement.action.kind === 'NotAction';
  return {
    label: statement.label,
    effect: statement.effect,
    actions: notAction ? complement(matched) : matched,
    resource: statement.resource,
    conditional: statement.conditional,
    allServices: notAction || statement.action.patterns.some(matchesEveryAction),
    reachCache: new Map(),
  };
}

type CompiledDocument =
  | {
      readonly ok: true;
      readonly statements: readonly CompiledStatement[];
      readonly skipped: readonly SkippedStatement[];
    }
  | { readonly ok: false; readonly error: string };

interface CompileOutcome {
  /** null when the document is unusable as a whole. */
  readonly policy: CompiledPolicy | null;
  readonly warnings: AnalysisWarning[];
  readonly notUnderstood: NotUnderstood[];
}

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

/**
 * Compiled documents by the parsed object they came from, for a caller whose documents do not change while it
 * holds the cache: a snapshot view hands every role that attaches a managed policy the same document object,
 * so an audit compiles each document (and answers each statement's reach) once instead of once per role.
 */
export class DocumentCache {
  private readonly byObject = new WeakMap<object, CompiledDocument>();

  compiled(document: object): CompiledDocument {
    const cached = this.byObject.get(document);
    if (cached !== undefined) return cached;
    const compiled = compileDocument(document);
    this.byObject.set(document, compiled);
    return compiled;
  }
}

function compileDocumentCached(document: unknown, objects: DocumentCache | undefined): CompiledDocument {
  if (objects !== undefined && typeof document === 'object' && document !== null) {
    return objects.compiled(document);
  }
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

/**
 * A statement skipped without harm: a Deny (leaving one out can only over-report), or an Allow whose
 * readable `Action` list names no ECR or ECR Public action. Anything else could have granted ECR write.
 */
function skipIsHarmless(skip: SkippedStatement): boolean {
  if (skip.effect === 'Deny') return true;
  return (
    skip.effect === 'Allow' && skip.actionPatterns !== null && isEmptyMask(patternsMask(skip.actionPatterns))
  );
}

function unusableMessage(reason: string, role: 'identity' | 'boundary'): string {
  const consequence = role === 'boundary' ? '; analysed as if the role had no permissions boundary' : '';
  return `unusable policy: ${reason}${consequence}`;
}

function compilePolicy(
  ref: PolicyRef,
  document: unknown,
  role: 'identity' | 'boundary',
  objects: DocumentCache | undefined,
): CompileOutcome {
  const compiled = compileDocumentCached(document, objects);
  if (!compiled.ok) {
    return {
      policy: null,
      warnings: [{ policy: ref, statement: null, message: unusableMessage(compiled.error, role) }],
      notUnderstood: [{ policy: ref, statement: null, element: 'document', message: compiled.error }],
    };
  }
  const warnings: AnalysisWarning[] = [];
  const notUnderstood: NotUnderstood[] = [];
  for (const skip of compiled.skipped) {
    const harmless = skipIsHarmless(skip);
    const message = harmless
      ? `statement skipped: ${skip.message} (it cannot grant ECR write)`
      : `statement not understood (${skip.element}): ${skip.message}; the role cannot be judged compliant`;
    warnings.push({ policy: ref, statement: skip.label, message });
    if (!harmless) {
      notUnderstood.push({
        policy: ref,
        statement: skip.label,
        element: skip.element,
        message: skip.message,
      });
    }
  }
  if (compiled.statements.length === 0 && notUnderstood.length > 0) {
    // Nothing readable is left: unusable as a whole (a boundary is then analysed as absent).
    warnings.push({ policy: ref, statement: null, message: unusableMessage('no usable statement', role) });
    return { policy: null, warnings, notUnderstood };
  }
  return { policy: { ref, statements: compiled.statements }, warnings, notUnderstood };
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
export function readInput(input: unknown): { readonly ref: PolicyRef; readonly document: unknown } {
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

export interface Compiled {
  readonly identity: CompiledPolicy[];
  /** null when there is no boundary or it is unusable as a whole. */
  readonly boundary: CompiledPolicy | null;
  readonly unusable: PolicyRef[];
  readonly warnings: AnalysisWarning[];
  readonly notUnderstood: NotUnderstood[];
}

/**
 * `objects`: compiled documents by object, when the caller's documents stay unchanged (see DocumentCache). A
 * document object a role carries twice is compiled afresh the second time, as without the cache: the analysis
 * tells one role's statements apart by identity.
 */
export function compileAll(policies: RolePolicies, objects?: DocumentCache): Compiled {
  const compiled: Compiled = { identity: [], boundary: null, unusable: [], warnings: [], notUnderstood: [] };
  const seen = new Set<unknown>();
  const add = (input: unknown, role: 'identity' | 'boundary'): CompiledPolicy | null => {
    const { ref, document } = readInput(input);
    const repeated = seen.has(document);
    seen.add(document);
    const outcome = compilePolicy(ref, document, role, repeated ? undefined : objects);
    compiled.warnings.push(...outcome.warnings);
    compiled.notUnderstood.push(...outcome.notUnderstood);
    if (outcome.notUnderstood.length > 0) compiled.unusable.push(ref);
    return outcome.policy;
  };
  for (const input of identityInputs(policies)) {
    const policy = add(input, 'identity');
    if (policy !== null) compiled.identity.push(policy);
  }
  const boundary = boundaryInput(policies);
  return boundary === null ? compiled : { ...compiled, boundary: add(boundary, 'boundary') };
}
