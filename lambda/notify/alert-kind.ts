// Notify (pure): which decisions become an alert, and what kind of alert. The notify use case asks this first.
import type { Decision, RemediationOutcome } from '../domain/types';

export type AlertKind = 'violation' | 'indeterminate' | 'remediation' | 'exempt-info';

/**
 * Every remediation outcome is reported; otherwise violations and indeterminate decisions are, exempt roles only
 * when `notifyExempt` is set, and compliant, not-node-role and ignored decisions never are.
 */
export function alertKind(
  decision: Decision,
  outcome: RemediationOutcome | null,
  options: { readonly notifyExempt: boolean },
): AlertKind | null {
  if (outcome !== null) return 'remediation';
  switch (decision.verdict) {
    case 'violation':
      return 'violation';
    case 'indeterminate':
      return 'indeterminate';
    case 'exempt':
      return options.notifyExempt ? 'exempt-info' : null;
    case 'compliant':
    case 'not-node-role':
    case 'ignored':
      return null;
  }
}
