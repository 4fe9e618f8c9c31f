// Tests for the organization report (pure): the member role ARN, sorting, totals summed with the compliant share
// recomputed, and the unreadable accounts counted but kept out of the figures.
import type { AuditReport, AuditSummary } from '../../lambda/domain/audit-report';
import { memberRoleArn, orgAuditReport, sumSummaries } from '../../lambda/domain/org-report';

const summary = (total: number, compliant: number, critical = 0): AuditSummary => ({
  rolesScanned: total + 1,
  nodeRolesTotal: total,
  nodeRolesCompliant: compliant,
  compliancePercent: total === 0 ? 100 : (compliant / total) * 100,
  violations: { critical, high: 0, medium: 0, total: critical },
  indeterminate: 0,
  exempt: 0,
  exemptionsExpiringSoon: 0,
  danglingReferences: 0,
});
const report = (accountId: string, s: AuditSummary): AuditReport => ({
  accountId,
  partition: 'aws',
  today: '2026-11-22',
  summary: s,
  roles: [],
  dangling: [],
});
const account = (id: string) => ({ id, arn: null, name: null, email: null });

describe('memberRoleArn', () => {
  it('builds the role ARN in the account and partition, path included', () => {
    expect(memberRoleArn('aws-cn', '111111111111', 'audit/EksEcrGuardAudit')).toBe(
      'arn:aws-cn:iam::111111111111:role/audit/EksEcrGuardAudit',
    );
  });
});

describe('sumSummaries', () => {
  it('adds every figure and recomputes the compliant share from the sums (not an average of shares)', () => {
    const total = sumSummaries([summary(1, 1), summary(9, 0, 9)]);
    expect(total).toMatchObject({
      rolesScanned: 12,
      nodeRolesTotal: 10,
      nodeRolesCompliant: 1,
      compliancePercent: 10,
    });
    expect(total.violations).toEqual({ critical: 9, high: 0, medium: 0, total: 9 });
  });

  it('is 100% compliant with nothing to count', () => {
    expect(sumSummaries([]).compliancePercent).toBe(100);
  });
});

describe('orgAuditReport', () => {
  it('sorts by account id, counts unreadable and region-warning accounts, sums only what was read', () => {
    const org = orgAuditReport({
      partition: 'aws',
      today: '2026-11-22',
      roleName: 'Audit',
      audited: [
        { account: account('222222222222'), report: report('222222222222', summary(2, 2)), eksWarnings: [] },
        {
          account: account('111111111111'),
          report: report('111111111111', summary(3, 1, 2)),
          eksWarnings: [{ region: 'me-south-1', code: 'UnrecognizedClientException', message: 'x' }],
        },
      ],
      unreadable: [
        { account: account('000000000000'), stage: 'assume-role', code: 'AccessDenied', message: 'no' },
      ],
    });
    expect(org.audited.map((item) => item.account.id)).toEqual(['111111111111', '222222222222']);
    expect(org.totals).toMatchObject({
      accountsListed: 3,
      accountsAudited: 2,
      accountsUnreadable: 1,
      accountsWithRegionWarnings: 1,
    });
    expect(org.totals.summary).toMatchObject({
      nodeRolesTotal: 5,
      nodeRolesCompliant: 3,
      compliancePercent: 60,
    });
  });
});
