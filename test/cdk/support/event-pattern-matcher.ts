// Test support for the CDK layer: a small EventBridge pattern matcher (the operators the guard's patterns use).
import { asList, isRecord } from './cfn';

/**
 * Supports exact strings, `exists`, `anything-but` (a value or a list), `prefix` and `$or`, with EventBridge's
 * semantics: keys are ANDed, an array of matchers is ORed, and every matcher except `exists: false` needs the
 * field to be present (so `anything-but` does not match a missing field).
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isRecord(pattern)) throw new Error(`pattern must be an object, got ${JSON.stringify(pattern)}`);
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return asList(rule).some((branch) => matchesPattern(branch, event));
    const value = isRecord(event) ? event[key] : undefined;
    if (Array.isArray(rule)) return matchesField(rule, value);
    return matchesPattern(rule, isRecord(value) ? value : undefined);
  });
}

function matchesField(matchers: readonly unknown[], value: unknown): boolean {
  const present = value !== undefined;
  const values = asList(value);
  return matchers.some((matcher) => {
    if (typeof matcher === 'string' || typeof matcher === 'number') return values.includes(matcher);
    if (!isRecord(matcher)) throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
    if ('exists' in matcher) return matcher.exists === present;
    if ('anything-but' in matcher) {
      const excluded = asList(matcher['anything-but']);
      return present && values.every((item) => !excluded.includes(item));
    }
    if ('prefix' in matcher) {
      return (
        present && values.some((item) => typeof item === 'string' && item.startsWith(String(matcher.prefix)))
      );
    }
    throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
  });
}
