// Tests for the alert subject: SNS rules (printable ASCII, at most 99 bytes, no line breaks or control characters)
// on nasty input, for every state.
import fc from 'fast-check';
import type {
  Decision,
  RemediationOutcome,
  RemediationStatus,
  Severity,
  Verdict,
} from '../../lambda/domain/types';
import { alertSubject, MAX_SUBJECT_LENGTH } from '../../lambda/notify/subject';
import { appliedOutcome, ROLE_NAME, violationDecision } from './support';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const withRole = (name: string, overrides: Partial<Decision> = {}): Decision =>
  violationDecision({ role: { name, arn: null }, ...overrides });

const withEvent = (decision: Decision, name: string | null): Decision => ({
  ...decision,
  event: { ...decision.event, name },
});

const VERDICTS: readonly Verdict[] = [
  'violation',
  'compliant',
  'indeterminate',
  'not-node-role',
  'exempt',
  'ignored',
];
const SEVERITIES: readonly (Severity | null)[] = ['critical', 'high', 'medium', null];
const STATUSES: readonly (RemediationStatus | null)[] = [
  null,
  'applied',
  'not-needed',
  'failed-safe',
  'failed-pulls-at-risk',
];
const EVENT_NAMES = [
  'AttachRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'CreateNodegroup',
  'CreateAccessEntry',
];

function outcome(status: RemediationStatus): RemediationOutcome {
  return { ...appliedOutcome(), status };
}

function expectSnsSafe(subject: string): void {
  expect(Buffer.byteLength(subject, 'utf8')).toBeLessThanOrEqual(99);
  expect(subject).toMatch(/^[\x20-\x7E]+$/);
  expect(subject.length).toBeLessThan(100);
  expect([...subject].length).toBeLessThan(100);
  expect(subject).not.toMatch(UNSAFE);
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject).toBe(subject.trim());
}

describe('alertSubject', () => {
  it('reads like the example for a short role name', () => {
    expect(alertSubject(withRole('prod-ng-1'), null)).toBe(
      '[HIGH] EKS node role prod-ng-1 can now write to ECR (AttachRolePolicy)',
    );
  });

  it('shortens a long role name with "..." and keeps the severity and the event name', () => {
    const subject = alertSubject(violationDecision({ severity: 'critical' }), null);
    expectSnsSafe(subject);
    expect(subject.startsWith('[CRITICAL] EKS node role eksctl-prod-nodegroup')).toBe(true);
    expect(subject).toContain('... can now write to ECR');
    expect(subject).not.toContain('…');
    expect(subject.endsWith(' can now write to ECR (AttachRolePolicy)')).toBe(true);
    expect(subject).not.toContain(ROLE_NAME);
  });

  it.each<[string, Decision, RemediationOutcome | null, string]>([
    [
      'indeterminate',
      withRole('r1', { verdict: 'indeterminate', severity: null }),
      null,
      '[CHECK] Could not verify EKS node role r1 (AttachRolePolicy)',
    ],
    [
      'remediation applied',
      withRole('r1'),
      outcome('applied'),
      '[FIXED] ECR write removed from EKS node role r1 (AttachRolePolicy)',
    ],
    [
      'remediation not needed',
      withRole('r1'),
      outcome('not-needed'),
      '[INFO] EKS node role r1 already fixed, no change (AttachRolePolicy)',
    ],
    [
      'remediation failed, pulls safe',
      withRole('r1'),
      outcome('failed-safe'),
      '[ACTION NEEDED] [HIGH] Fix failed on EKS node role r1 (AttachRolePolicy)',
    ],
    [
      'remediation failed, pulls at risk',
      withRole('r1'),
      outcome('failed-pulls-at-risk'),
      '[ACTION NEEDED] [HIGH] Pulls at risk, node role r1 (AttachRolePolicy)',
    ],
    [
      'exempt',
      withRole('r1', { verdict: 'exempt', severity: 'medium' }),
      null,
      '[EXEMPT] [MEDIUM] EKS node role r1 can write to ECR (AttachRolePolicy)',
    ],
    [
      'compliant',
      withRole('r1', { verdict: 'compliant', severity: null }),
      null,
      '[OK] EKS node role r1 cannot write to ECR (AttachRolePolicy)',
    ],
    [
      'a decision about the change alone (never "cannot write": the role was not re-read)',
      withRole('r1', { verdict: 'compliant', severity: null, scope: 'change' }),
      null,
      '[OK] Change to role r1 adds no ECR write access (AttachRolePolicy)',
    ],
  ])('has a variant for %s', (_name, decision, remediation, expected) => {
    expect(alertSubject(decision, remediation)).toBe(expected);
  });

  it('says "can write" without "now" and without parentheses when no event triggered the decision', () => {
    expect(alertSubject(withEvent(withRole('r1'), null), null)).toBe(
      '[HIGH] EKS node role r1 can write to ECR',
    );
  });

  it('names an unknown role instead of leaving a gap', () => {
    const decision = violationDecision({ verdict: 'indeterminate', severity: null, role: null });
    expect(alertSubject(decision, null)).toBe(
      '[CHECK] Could not verify EKS node role (unknown) (AttachRolePolicy)',
    );
  });

  it.each([
    ['newlines', 'evil\r\nBcc: someone@example.com\nrole'],
    ['tabs and NUL', 'a\tb\u0000c'],
    ['unicode line separators', 'a\u2028b\u2029c\u0085d'],
    ['bidi override', 'abc\u202Egnp.exe'],
    ['zero-width joiners', 'a\u200Db\uFEFFc'],
    ['emoji and CJK', '🚨🚨 ノードロール 节点角色 🧑‍💻'.repeat(10)],
    ['lone surrogate', 'role\uD800name'],
    ['a megabyte of text', 'x'.repeat(1_000_000)],
    ['only whitespace', ' \n\t '],
  ])('stays SNS-safe with %s in the role name', (_name, roleName) => {
    const subject = alertSubject(withRole(roleName), null);
    expectSnsSafe(subject);
    expect(subject.endsWith('(AttachRolePolicy)')).toBe(true);
  });

  it('writes each non-ASCII character (an emoji, a combined letter, a flag) as one "?"', () => {
    const unit = 'e\u0301🇫🇷';
    const subject = alertSubject(withRole(unit.repeat(40)), null);
    expectSnsSafe(subject);
    const kept = subject.slice(subject.indexOf('role ') + 5, subject.indexOf('...'));
    expect(kept).toMatch(/^\?{12,}$/);
    expect(alertSubject(withRole('nœud-rôle-ノード'), null)).toBe(
      '[HIGH] EKS node role n?ud-r?le-??? can now write to ECR (AttachRolePolicy)',
    );
  });

  it('stays ASCII within 99 bytes with non-ASCII in the event name too', () => {
    const decision = withEvent(withRole('ノード'.repeat(30)), 'Attach\u00A0RolePolicy🚨'.repeat(5));
    const subject = alertSubject(decision, null);
    expectSnsSafe(subject);
    expect(subject).toContain('(Attach RolePolicy?Attach');
  });

  it.each(['eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F', `eksctl-${'c'.repeat(57)}`])(
    'fits a long eksctl role name (%s) in every state, severity and event',
    (roleName) => {
      expect(roleName.length).toBeLessThanOrEqual(64);
      for (const verdict of VERDICTS) {
        for (const severity of SEVERITIES) {
          for (const status of STATUSES) {
            for (const eventName of [...EVENT_NAMES, null]) {
              const decision = withEvent(withRole(roleName, { verdict, severity }), eventName);
              const subject = alertSubject(decision, status === null ? null : outcome(status));
              expectSnsSafe(subject);
              expect(subject).toContain(roleName.slice(0, 9));
              if (eventName !== null) expect(subject.endsWith(`(${eventName})`)).toBe(true);
            }
          }
        }
      }
    },
  );

  it('keeps the severity and every supported event name with the longest possible role name', () => {
    for (const eventName of EVENT_NAMES) {
      for (const severity of SEVERITIES) {
        for (const status of STATUSES) {
          const decision = withEvent(withRole('r'.repeat(64), { severity }), eventName);
          const subject = alertSubject(decision, status === null ? null : outcome(status));
          expectSnsSafe(subject);
          expect(subject.endsWith(`(${eventName})`)).toBe(true);
          expect(subject).toMatch(/r{9}/);
          if (severity !== null && (status === null || status.startsWith('failed')))
            expect(subject).toContain(`[${severity.toUpperCase()}]`);
        }
      }
    }
  });

  it('is SNS-safe for any role name, event name, verdict and severity (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 120 })),
        fc.constantFrom(...VERDICTS),
        fc.constantFrom<Severity | null>('critical', 'high', 'medium', null),
        fc.constantFrom<RemediationStatus | null>(
          null,
          'applied',
          'not-needed',
          'failed-safe',
          'failed-pulls-at-risk',
        ),
        (roleName, eventName, verdict, severity, status) => {
          const decision = withEvent(withRole(roleName, { verdict, severity }), eventName);
          expectSnsSafe(alertSubject(decision, status === null ? null : outcome(status)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never exceeds the documented maximum', () => {
    expect(MAX_SUBJECT_LENGTH).toBe(99);
  });
});

describe('alertSubject with an account (the central topic)', () => {
  const ACCOUNT = '111122223333';
  const LONG_NAMES = ['a'.repeat(50), 'Zahlungsverkehr-Produktion-Ñandú-ノード-環境-very-long-name', ''];
  const ROLES = ['eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F'];

  it.each<[string, { id: string | null; name: string | null }, string]>([
    [
      'id and name',
      { id: ACCOUNT, name: 'prod-payments' },
      '[HIGH] prod-payments (111122223333): EKS node role r1 can now write to ECR (AttachRolePolicy)',
    ],
    [
      'id alone (name unreadable)',
      { id: ACCOUNT, name: null },
      '[HIGH] 111122223333: EKS node role r1 can now write to ECR (AttachRolePolicy)',
    ],
    [
      'name alone',
      { id: null, name: 'prod-payments' },
      '[HIGH] prod-payments: EKS node role r1 can now write to ECR (AttachRolePolicy)',
    ],
    [
      'non-ASCII name',
      { id: ACCOUNT, name: 'nœud-環境' },
      '[HIGH] n?ud-?? (111122223333): EKS node role r1 can now write to ECR (AttachRolePolicy)',
    ],
  ])('names the account: %s', (_name, account, expected) => {
    expect(alertSubject(withRole('r1'), null, account)).toBe(expected);
  });

  it('leaves out the event name first, then shortens the account name, keeping the id and the role', () => {
    const role = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
    expect(alertSubject(withRole('prod-gpu-nodes'), null, { id: ACCOUNT, name: 'prod-payments' })).toBe(
      '[HIGH] prod-payments (111122223333): EKS node role prod-gpu-nodes can now write to ECR',
    );
    const subject = alertSubject(withRole(role), null, {
      id: ACCOUNT,
      name: 'a-very-long-account-name-of-the-team',
    });
    expectSnsSafe(subject);
    expect(subject).toBe(
      '[HIGH] a-very-long-a... (111122223333): EKS node role eksctl-prod-nodegroup... can now write to ECR',
    );
  });

  it('fits every state, severity, event and role with any account name, always naming the id', () => {
    for (const verdict of VERDICTS) {
      for (const severity of SEVERITIES) {
        for (const status of STATUSES) {
          for (const eventName of [...EVENT_NAMES, null]) {
            for (const roleName of ROLES) {
              for (const name of LONG_NAMES) {
                const decision = withEvent(withRole(roleName, { verdict, severity }), eventName);
                const subject = alertSubject(decision, status === null ? null : outcome(status), {
                  id: ACCOUNT,
                  name,
                });
                expectSnsSafe(subject);
                expect(subject).toContain(ACCOUNT);
                expect(subject).toContain(roleName.slice(0, 9));
                const violation = verdict === 'violation' && (status === null || status.startsWith('failed'));
                if (severity !== null && violation) expect(subject).toContain(`[${severity.toUpperCase()}]`);
              }
            }
          }
        }
      }
    }
  });

  it('with a held fix (the longest phrase) still keeps the id and 12 characters of the role', () => {
    const decision = withEvent(
      withRole('r'.repeat(64), { usageHold: 'held-usage-unknown', severity: 'critical' }),
      'DeleteRolePermissionsBoundary',
    );
    const subject = alertSubject(decision, null, { id: ACCOUNT, name: 'a'.repeat(50) });
    expectSnsSafe(subject);
    expect(subject).toContain(`${ACCOUNT}`);
    expect(subject).toMatch(/r{9}\.\.\./);
  });

  it('is SNS-safe for any account name and role name (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.option(fc.string({ unit: 'binary', maxLength: 120 })),
        fc.option(fc.string({ unit: 'binary', maxLength: 80 })),
        fc.constantFrom(...VERDICTS),
        fc.constantFrom<RemediationStatus | null>(...STATUSES),
        (roleName, accountName, eventName, verdict, status) => {
          const decision = withEvent(withRole(roleName, { verdict }), eventName);
          const subject = alertSubject(decision, status === null ? null : outcome(status), {
            id: ACCOUNT,
            name: accountName,
          });
          expectSnsSafe(subject);
          expect(subject).toContain(ACCOUNT);
        },
      ),
      { numRuns: 500 },
    );
  });
});
