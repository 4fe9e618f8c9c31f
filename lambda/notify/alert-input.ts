// Notify (pure): what every alert format reads (decision, outcome, settings) and the state it reports.
import type { Decision, RemediationOutcome } from '../domain/types';

export type AlertMode = 'alert' | 'remediate';

export interface AlertInput {
  readonly decision: Decision;
  readonly outcome: RemediationOutcome | null;
  readonly mode: AlertMode;
  /** The guard's own account, used when the event does not name one. */
  readonly accountId: string | null;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  /** The pull-only managed policy the plan attaches in place of a write policy. */
  readonly replacementPolicyName: string;
}

/** What the alert is about: the verdict, or what remediation did about it. */
export type AlertState =
  | 'violation'
  | 'indeterminate'
  | 'exempt'
  | 'compliant'
  | 'not-node-role'
  | 'ignored'
  | 'fixed'
  | 'already-fixed'
  | 'fix-failed'
  | 'fix-failed-pulls-at-risk'
  /** Remediate mode, not fixed: CloudTrail shows the role pushing (usage evidence `used`). */
  | 'escalated-in-use'
  /** Remediate mode, not fixed: the usage lookup could not finish (and `fixWhenUsageUnknown` is off). */
  | 'held-usage-unknown';

export function alertState(decision: Decision, outcome: RemediationOutcome | null): AlertState {
  if (outcome === null) return decision.usageHold ?? decision.verdict;
  switch (outcome.status) {
    case 'applied':
      return 'fixed';
    case 'not-needed':
      return 'already-fixed';
    case 'failed-safe':
      return 'fix-failed';
    case 'failed-pulls-at-risk':
      return 'fix-failed-pulls-at-risk';
  }
}

/** The account the change happened in: the event's, else the guard's own. */
export function alertAccount(input: AlertInput): string | null {
  return input.decision.event.account ?? input.accountId;
}
