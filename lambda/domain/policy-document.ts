// Domain edge for policy text: turns a policy document in any accepted encoding (decoded by
// ./policy-json) into normalised statements for the analysis. Pure; never throws.

import { DOCUMENT_TOO_LARGE, decodePolicyDocument, MAX_POLICY_DOCUMENT_CHARS } from './policy-json';

export { MAX_POLICY_DOCUMENT_CHARS };

export type StatementEffect = 'Allow' | 'Deny';

export interface NormalisedStatement {
  /** The Sid when it is a non-empty string, else the zero-based index in the Statement list. */
  readonly label: string;
  readonly index: number;
  readonly effect: StatementEffect;
  /** `Action` patterns, or the `NotAction` patterns the statement excludes. Never empty. */
  readonly action: { readonly kind: 'Action' | 'NotAction'; readonly patterns: readonly string[] };
  /** `Resource` patterns, or the `NotResource` patterns the statement excludes. Never empty. */
  readonly resource: { readonly kind: 'Resource' | 'NotResource'; readonly patterns: readonly string[] };
  /** The statement has a non-empty Condition block. */
  readonly conditional: boolean;
  /** The statement carries Principal or NotPrincipal (only kept with `allowPrincipal`). */
  readonly hasPrincipal: boolean;
}

/** A statement left out of `statements`, with the reason. */
export interface SkippedStatement {
  readonly label: string;
  readonly message: string;
  /** The element not understood: `Effect`, `Action`, `NotAction`, `Resource`, `NotResource`, `Condition`... */
  readonly element: string;
  /** The statement's Effect when that one is readable, else null (it could be an Allow). */
  readonly effect: StatementEffect | null;
  /**
   * The statement's `Action` patterns when that element is a readable, non-empty string list (and there is
   * no `NotAction`), else null: what the statement could allow at most.
   */
  readonly actionPatterns: readonly string[] | null;
}

export type ParsedPolicyDocument =
  | {
      readonly ok: true;
      readonly statements: NormalisedStatement[];
      /** One human-readable line per skipped statement. */
      readonly warnings: string[];
      /** The same skipped statements, structured. */
      readonly skipped: SkippedStatement[];
    }
  | { readonly ok: false; readonly error: string };

export interface ParseOptions {
  /**
   * Keep statements with Principal/NotPrincipal (resource policies). Default false: identity policies
   * cannot have them, so such statements are skipped with a warning.
   */
  readonly allowPrincipal?: boolean;
}

const TOO_LARGE = DOCUMENT_TOO_LARGE;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

function failure<T>(error: string): Outcome<T> {
  return { ok: false, error };
}

type StatementOutcome =
  | { readonly ok: true; readonly value: NormalisedStatement }
  | { readonly ok: false; readonly error: string; readonly element: string };

function notUnderstood(element: string, error: string): StatementOutcome {
  return { ok: false, error, element };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tracks an estimate of the document's size for inputs that arrive already parsed. */
class SizeBudget {
  private used = 0;
  spend(chars: number): void {
    this.used += chars;
  }
  get exceeded(): boolean {
    return this.used > MAX_POLICY_DOCUMENT_CHARS;
  }
}

/** A string or a non-empty array of strings; null when anything else. */
function stringList(value: unknown, budget: SizeBudget): string[] | null {
  if (typeof value === 'string') {
    budget.spend(value.length + 2);
    return [value];
  }
  if (!Array.isArray(value) || value.length === 0) return null;
  const list: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') return null;
    budget.spend(entry.length + 3);
    list.push(entry);
  }
  return list;
}

type Pair<K extends string> = { readonly kind: K; readonly patterns: readonly string[] };

/** Exactly one of `positive` / `negative` must be present and hold a string or non-empty string list. */
function exclusivePair<P extends string, N extends string>(
  statement: Record<string, unknown>,
  positive: P,
  negative: N,
  budget: SizeBudget,
):
  | { readonly ok: true; readonly value: Pair<P | N> }
  | { readonly ok: false; readonly error: string; readonly element: string } {
  const hasPositive = statement[positive] !== undefined;
  const hasNegative = statement[negative] !== undefined;
  const both = `${positive}/${negative}`;
  if (hasPositive && hasNegative)
    return { ok: false, element: both, error: `has both ${positive} and ${negative}` };
  if (!hasPositive && !hasNegative) {
    return { ok: false, element: both, error: `has neither ${positive} nor ${negative}` };
  }
  const kind: P | N = hasPositive ? positive : negative;
  const value = statement[kind];
  const patterns = stringList(value, budget);
  if (patterns === null) {
    const empty = Array.isArray(value) && value.length === 0;
    const got = empty ? ' (it is an empty list)' : '';
    return {
      ok: false,
      element: kind,
      error: `${kind} must be a string or a non-empty list of strings${got}`,
    };
  }
  return { ok: true, value: { kind, patterns } };
}

function conditionPresence(condition: unknown): Outcome<boolean> {
  if (condition === undefined || condition === null) return success(false);
  if (!isRecord(condition)) return failure('Condition must be an object');
  return success(Object.keys(condition).length > 0);
}

function effectOf(value: unknown): StatementEffect | null {
  return value === 'Allow' || value === 'Deny' ? value : null;
}

function labelOf(statement: unknown, index: number): string {
  const sid = isRecord(statement) ? statement.Sid : undefined;
  return typeof sid === 'string' && sid.length > 0 ? sid : String(index);
}

function normaliseStatement(
  statement: unknown,
  index: number,
  options: ParseOptions,
  budget: SizeBudget,
): StatementOutcome {
  budget.spend(2);
  if (!isRecord(statement)) return notUnderstood('Statement', 'is not an object');
  const label = labelOf(statement, index);
  budget.spend(label.length);
  const hasPrincipal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  if (hasPrincipal && options.allowPrincipal !== true) {
    return notUnderstood('Principal', 'has Principal/NotPrincipal, which identity policies cannot have');
  }
  const effect = effectOf(statement.Effect);
  if (effect === null) return notUnderstood('Effect', 'Effect must be "Allow" or "Deny"');
  const action = exclusivePair(statement, 'Action', 'NotAction', budget);
  if (!action.ok) return notUnderstood(action.element, action.error);
  const resource = exclusivePair(statement, 'Resource', 'NotResource', budget);
  if (!resource.ok) return notUnderstood(resource.element, resource.error);
  const conditional = conditionPresence(statement.Condition);
  if (!conditional.ok) return notUnderstood('Condition', conditional.error);
  return {
    ok: true,
    value: {
      label,
      index,
      effect,
      action: action.value,
      resource: resource.value,
      conditional: conditional.value,
      hasPrincipal,
    },
  };
}

function statementList(document: Record<string, unknown>): Outcome<readonly unknown[]> {
  const statement = document.Statement;
  if (Array.isArray(statement)) {
    return statement.length > 0 ? success(statement) : failure('Statement is an empty list');
  }
  if (isRecord(statement)) return success([statement]);
  return failure(
    statement === undefined ? 'document has no Statement' : 'Statement must be an object or a list',
  );
}

function describeSkip(skip: SkippedStatement, index: number): string {
  const where =
    skip.label === String(index) ? `statement ${index}` : `statement ${index} (Sid "${skip.label}")`;
  return `${where} skipped: ${skip.message}`;
}

/** What can still be read of a statement that was not understood (see `SkippedStatement`). */
function skippedStatement(raw: unknown, index: number, message: string, element: string): SkippedStatement {
  const record = isRecord(raw) ? raw : {};
  const actions = record.NotAction === undefined ? stringList(record.Action, new SizeBudget()) : null;
  return {
    label: labelOf(raw, index),
    message,
    element,
    effect: effectOf(record.Effect),
    actionPatterns: actions,
  };
}

function normaliseDocument(document: unknown, options: ParseOptions): ParsedPolicyDocument {
  if (!isRecord(document)) return { ok: false, error: 'policy document must be a JSON object' };
  const list = statementList(document);
  if (!list.ok) return { ok: false, error: list.error };
  const budget = new SizeBudget();
  const statements: NormalisedStatement[] = [];
  const skipped: SkippedStatement[] = [];
  const warnings: string[] = [];
  for (const [index, raw] of list.value.entries()) {
    const normalised = normaliseStatement(raw, index, options, budget);
    if (budget.exceeded) return { ok: false, error: TOO_LARGE };
    if (normalised.ok) {
      statements.push(normalised.value);
      continue;
    }
    const skip = skippedStatement(raw, index, normalised.error, normalised.element);
    skipped.push(skip);
    warnings.push(describeSkip(skip, index));
  }
  return { ok: true, statements, warnings, skipped };
}

/**
 * Parse and normalise a policy document. Accepts a parsed object, a JSON string, or a URL-encoded JSON
 * string (what the IAM API returns). Malformed statements are skipped with a warning; a document that
 * cannot be used at all (not JSON, no Statement, > 1 MiB, ...) gives `{ ok: false }`. Never throws.
 */
export function parsePolicyDocument(input: unknown, options: ParseOptions = {}): ParsedPolicyDocument {
  try {
    const decoded = decodePolicyDocument(input);
    if (!decoded.ok) return { ok: false, error: decoded.error };
    return normaliseDocument(decoded.value, options);
  } catch (error) {
    // Only reachable with exotic inputs (throwing getters, proxies): report, never propagate.
    return {
      ok: false,
      error: `policy document is unreadable: ${error instanceof Error ? error.message : 'unknown'}`,
    };
  }
}
