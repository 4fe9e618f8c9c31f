// Use case support for "handle event": remediation outcomes whose alert could not be published, kept per event so
// the retried invocation publishes them instead of finding the role already fixed and saying nothing.
import type { PendingOutcome } from '../domain/pending-outcome';

export { type OwedPublish, owedPublish, type PendingOutcome } from '../domain/pending-outcome';

/**
 * Where owed alerts wait between a failed invocation and its retry (DynamoDB in the Lambda, in memory in tests).
 * Keys are per event (`eventKey`); `save` replaces what was stored for the key.
 */
export interface PendingOutcomeStore {
  load(eventKey: string): Promise<readonly PendingOutcome[]>;
  save(eventKey: string, pending: readonly PendingOutcome[]): Promise<void>;
  clear(eventKey: string): Promise<void>;
}

/** The key of one CloudTrail record: its event id and name (event ids are unique per record). */
export const pendingOutcomeKey = (eventId: string, eventName: string): string => `${eventId}#${eventName}`;
