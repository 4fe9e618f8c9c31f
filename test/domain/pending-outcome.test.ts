// Tests for the pending-outcome domain: the stored form round-trips (remediation outcomes owed everywhere, central
// publishes owed alone, with or without an outcome), format 1 is still read, and a bad shape is refused.
import {
  decodePendingOutcomes,
  encodePendingOutcomes,
  owedPublish,
  PENDING_OUTCOME_FORMAT,
  type PendingOutcome,
} from '../../lambda/domain/pending-outcome';
import { appliedOutcome, violationDecision } from '../notify/support';

const remediation: PendingOutcome = { decision: violationDecision(), outcome: appliedOutcome() };
const centralOnly: PendingOutcome = { decision: violationDecision(), outcome: null, owed: 'central' };

describe('pending outcomes', () => {
  it('round-trip in the current format, each saying what it still owes', () => {
    const text = encodePendingOutcomes([remediation, centralOnly]);
    expect(JSON.parse(text).format).toBe(PENDING_OUTCOME_FORMAT);
    const decoded = decodePendingOutcomes(text);
    expect(decoded).toEqual([remediation, centralOnly]);
    expect(decoded.map(owedPublish)).toEqual(['all', 'central']);
  });

  it('read format 1 (written before central alerts): owed everywhere', () => {
    const text = JSON.stringify({ format: 1, pending: [remediation] });
    const decoded = decodePendingOutcomes(text);
    expect(decoded).toEqual([remediation]);
    expect(decoded.map(owedPublish)).toEqual(['all']);
  });

  it.each([
    ['an unknown format', { format: 9, pending: [] }, /expected format 1 or 2/],
    [
      'an entry owed everywhere without an outcome',
      { format: 2, pending: [{ decision: violationDecision(), outcome: null }] },
      /not a decision and outcome/,
    ],
    [
      'an unknown owed value',
      { format: 2, pending: [{ ...remediation, owed: 'chat' }] },
      /not a decision and outcome/,
    ],
  ])('refuse %s', (_name, stored, message) => {
    expect(() => decodePendingOutcomes(JSON.stringify(stored))).toThrow(message);
  });
});
