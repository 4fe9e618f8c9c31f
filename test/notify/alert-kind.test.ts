// Tests for alertKind: which decisions become alerts (violation, indeterminate, every remediation, exempt if asked).
import type { RemediationStatus, Verdict } from '../../lambda/domain/types';
import { type AlertKind, alertKind } from '../../lambda/notify/alert-kind';
import { appliedOutcome, violationDecision } from './support';

describe('alertKind', () => {
  it.each<[Verdict, boolean, AlertKind | null]>([
    ['violation', false, 'violation'],
    ['violation', true, 'violation'],
    ['indeterminate', false, 'indeterminate'],
    ['indeterminate', true, 'indeterminate'],
    ['exempt', false, null],
    ['exempt', true, 'exempt-info'],
    ['compliant', false, null],
    ['compliant', true, null],
    ['not-node-role', false, null],
    ['not-node-role', true, null],
    ['ignored', false, null],
    ['ignored', true, null],
  ])('without a remediation outcome, %s with notifyExempt=%s → %s', (verdict, notifyExempt, expected) => {
    expect(alertKind(violationDecision({ verdict }), null, { notifyExempt })).toBe(expected);
  });

  it.each<RemediationStatus>(['applied', 'not-needed', 'failed-safe', 'failed-pulls-at-risk'])(
    'reports every remediation outcome (%s), whatever notifyExempt says',
    (status) => {
      const outcome = { ...appliedOutcome(), status };
      expect(alertKind(violationDecision(), outcome, { notifyExempt: false })).toBe('remediation');
      expect(alertKind(violationDecision(), outcome, { notifyExempt: true })).toBe('remediation');
    },
  );
});
