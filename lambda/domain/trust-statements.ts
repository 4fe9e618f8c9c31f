// Domain helper (pure): reading trust-policy statements (decoded JSON) for node-role and pod-role classification.
import { matchesWildcard } from './arn';

/** The document's statements: `Statement` as a list, a single statement, or none. */
export function statementsOf(document: unknown): unknown[] {
  const statement = field(document, 'Statement');
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
}

/** An own property of a JSON object; undefined for anything else. */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? Reflect.get(value, key) : undefined;
}

/** A string or a list of strings as a list (other items dropped). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether the statement's `Action` (or, without one, its `NotAction`) covers `action`; actions ignore case. */
export function coversAction(statement: unknown, action: string): boolean {
  const matches = (patterns: unknown) =>
    stringList(patterns).some((pattern) => matchesWildcard(pattern, action, { ignoreCase: true }));
  const actions = field(statement, 'Action');
  if (actions !== undefined) return matches(actions);
  const notActions = field(statement, 'NotAction');
  return notActions !== undefined && !matches(notActions);
}
