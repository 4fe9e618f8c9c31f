// Domain (pure): an alert still owed after a failed publish (a remediation's, or a central topic's), and its stored
// form (versioned JSON, decoded with a shape check), kept between a failed invocation and its retry.
import type { Decision, RemediationOutcome } from './types';

/**
 * Which publishes an owed alert still needs: `all` (none went out: the alert topic first, as a new alert) or
 * `central` (the alert topic has it; only the organization's central topic is owed).
 */
export type OwedPublish = 'all' | 'central';

/** An alert still owed: a remediation that happened, or (`owed: central`) any alert the central topic missed. */
export interface PendingOutcome {
  readonly decision: Decision;
  /** Null only for a central-only entry of a decision without remediation (alert mode). */
  readonly outcome: RemediationOutcome | null;
  /** @default 'all' (entries written before central alerts existed have none) */
  readonly owed?: OwedPublish;
}

/** The stored form: versioned JSON, so a changed shape is recognised instead of misread. */
export const PENDING_OUTCOME_FORMAT = 2;
/** Formats still read: 1 (a remediation outcome owed everywhere) is a subset of 2. */
const READABLE_FORMATS: readonly number[] = [1, PENDING_OUTCOME_FORMAT];

export function encodePendingOutcomes(pending: readonly PendingOutcome[]): string {
  return JSON.stringify({ format: PENDING_OUTCOME_FORMAT, pending });
}

/** What an entry still owes (`all` when it does not say). */
export const owedPublish = (entry: PendingOutcome): OwedPublish => entry.owed ?? 'all';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isOutcome(value: unknown): value is RemediationOutcome {
  return (
    isRecord(value) &&
    typeof value.status === 'string' &&
    Array.isArray(value.applied) &&
    Array.isArray(value.notDone)
  );
}

function isPendingOutcome(value: unknown): value is PendingOutcome {
  if (!isRecord(value) || !isRecord(value.decision)) return false;
  const { decision, outcome, owed } = value;
  if (typeof decision.verdict !== 'string' || !isRecord(decision.event)) return false;
  if (owed !== undefined && owed !== 'all' && owed !== 'central') return false;
  // Only a central-only entry may lack an outcome: an alert owed everywhere is always a remediation's.
  return isOutcome(outcome) || (outcome === null && owed === 'central');
}

/** Decodes what `encodePendingOutcomes` wrote (this format or an older readable one); else an error naming why. */
export function decodePendingOutcomes(text: string): readonly PendingOutcome[] {
  const parsed: unknown = JSON.parse(text);
  if (
    !isRecord(parsed) ||
    typeof parsed.format !== 'number' ||
    !READABLE_FORMATS.includes(parsed.format) ||
    !Array.isArray(parsed.pending)
  ) {
    throw new Error(`pending outcomes: expected format ${READABLE_FORMATS.join(' or ')}`);
  }
  const pending: PendingOutcome[] = [];
  for (const entry of parsed.pending) {
    if (!isPendingOutcome(entry)) throw new Error('pending outcomes: an entry is not a decision and outcome');
    pending.push(entry);
  }
  return pending;
}
