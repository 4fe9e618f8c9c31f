// Domain (pure): a remediation whose alert is still owed, and its stored form (versioned JSON, decoded with a
// shape check), kept between a failed invocation and its retry.
import type { Decision, RemediationOutcome } from './types';

/** A remediation that happened and whose alert is still owed. */
export interface PendingOutcome {
  readonly decision: Decision;
  readonly outcome: RemediationOutcome;
}

/** The stored form: versioned JSON, so a changed shape is recognised instead of misread. */
export const PENDING_OUTCOME_FORMAT = 1;

export function encodePendingOutcomes(pending: readonly PendingOutcome[]): string {
  return JSON.stringify({ format: PENDING_OUTCOME_FORMAT, pending });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isPendingOutcome(value: unknown): value is PendingOutcome {
  if (!isRecord(value) || !isRecord(value.decision) || !isRecord(value.outcome)) return false;
  const { decision, outcome } = value;
  return (
    typeof decision.verdict === 'string' &&
    isRecord(decision.event) &&
    typeof outcome.status === 'string' &&
    Array.isArray(outcome.applied) &&
    Array.isArray(outcome.notDone)
  );
}

/** Decodes what `encodePendingOutcomes` wrote; anything else is an error naming what was wrong. */
export function decodePendingOutcomes(text: string): readonly PendingOutcome[] {
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || parsed.format !== PENDING_OUTCOME_FORMAT || !Array.isArray(parsed.pending)) {
    throw new Error(`pending outcomes: expected format ${PENDING_OUTCOME_FORMAT}`);
  }
  const pending: PendingOutcome[] = [];
  for (const entry of parsed.pending) {
    if (!isPendingOutcome(entry)) throw new Error('pending outcomes: an entry is not a decision and outcome');
    pending.push(entry);
  }
  return pending;
}
