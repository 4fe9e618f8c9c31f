// Tests for the organization audit use case over a fake organization of 30 accounts (Organizations and STS mocked,
// each member an in-memory AWS): the totals, the unreadable account with STS's own error, active-account
// filtering over both State and Status, the assumed role and session, and bounded concurrency.
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import 'aws-sdk-client-mock-jest';
import { orgSources } from '../../lambda/cli/org';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { AUDIT_SESSION_NAME, AUDIT_SESSION_SECONDS } from '../../lambda/gateways/sts-gateway';
import { auditOrganization, type OrgAuditOptions, type OrgProgress } from '../../lambda/usecases/org-audit';
import { TODAY } from '../report/support';
import { AUDIT_ROLE, accountId, CALLER_ARN, fakeOrganization } from '../support/fake-organization';

const SIZE = 30;
const DENIED = 7;

function options(overrides: Partial<OrgAuditOptions> = {}): OrgAuditOptions {
  return {
    roleName: AUDIT_ROLE,
    concurrency: 4,
    eksConcurrency: 2,
    today: TODAY,
    settingsFor: (partition) => evaluationSettings(parseConfig({}), partition, () => TODAY),
    ...overrides,
  };
}

describe('auditOrganization over 30 accounts, one of which refuses AssumeRole', () => {
  const org = fakeOrganization(SIZE, { denied: [DENIED], latencyMs: 2 });
  const progress: OrgProgress[] = [];
  let report: Awaited<ReturnType<typeof auditOrganization>>;

  beforeAll(async () => {
    report = await auditOrganization(
      orgSources(org.clients, []),
      options({
        onProgress: (step) => {
          progress.push(step);
          if (step.stage === 'account') org.finished(step.account.id);
        },
      }),
    );
  });
  afterAll(() => {
    org.organizations.restore();
    org.sts.restore();
  });

  it('lists every page and keeps the ACTIVE accounts only (State first, the deprecated Status when State is absent)', () => {
    expect(org.organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
    expect(org.organizations).toHaveReceivedNthCommandWith(2, ListAccountsCommand, { NextToken: 'page-2' });
    const seen = [...report.audited.map((a) => a.account.id), ...report.unreadable.map((u) => u.account.id)];
    expect(seen.sort()).toEqual([...org.ids].sort());
    expect(seen).not.toContain('200000000001');
    expect(seen).not.toContain('200000000002');
    expect(seen).toContain(accountId(SIZE - 1));
  });

  it('assumes the named role in each account with the tool session name and the shortest duration', () => {
    expect(org.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, SIZE);
    expect(org.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${accountId(3)}:role/${AUDIT_ROLE}`,
      RoleSessionName: AUDIT_SESSION_NAME,
      DurationSeconds: AUDIT_SESSION_SECONDS,
    });
    expect(AUDIT_SESSION_SECONDS).toBe(900);
    const inputs = org.sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input);
    expect(inputs.every((input) => input.ExternalId === undefined)).toBe(true);
  });

  it('reads every member account with its own credentials (GetAccountAuthorizationDetails, no per-role calls)', () => {
    for (const [id, member] of org.members) {
      const expected = id === accountId(DENIED) ? 0 : 1;
      expect(member.callCount('iam', 'GetAccountAuthorizationDetails') > 0 ? 1 : 0).toBe(expected);
      expect(member.callCount('iam', 'GetRole')).toBe(0);
    }
  });

  it('lists the unreadable account with the stage, code and message STS returned', () => {
    expect(report.unreadable).toEqual([
      {
        account: expect.objectContaining({ id: accountId(DENIED), name: `team-${DENIED}` }),
        stage: 'assume-role',
        code: 'AccessDenied',
        message: `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${accountId(DENIED)}:role/${AUDIT_ROLE}`,
      },
    ]);
  });

  it('sums the per-account figures into the organization totals', () => {
    // 10 mixed accounts (indexes 0, 3, ... 27): 5 node roles each (critical, high, medium, compliant, exempt) and a
    // dangling node group; 19 readable plain accounts (index 7 is not read): 2 compliant node roles each.
    const mixed = Array.from({ length: SIZE }, (_, i) => i).filter((i) => i % 3 === 0).length;
    const plain = SIZE - mixed - 1;
    expect(report.totals).toEqual({
      accountsListed: SIZE,
      accountsAudited: SIZE - 1,
      accountsUnreadable: 1,
      accountsWithRegionWarnings: 0,
      summary: {
        rolesScanned: mixed * 5 + plain * 2,
        nodeRolesTotal: mixed * 5 + plain * 2,
        nodeRolesCompliant: mixed + plain * 2,
        compliancePercent: Math.round(((mixed + plain * 2) / (mixed * 5 + plain * 2)) * 1000) / 10,
        violations: { critical: mixed, high: mixed, medium: mixed, total: mixed * 3 },
        indeterminate: 0,
        exempt: mixed,
        exemptionsExpiringSoon: mixed,
        danglingReferences: mixed,
      },
    });
    const first = report.audited.find((a) => a.account.id === accountId(0));
    expect(first?.report.accountId).toBe(accountId(0));
    expect(first?.report.summary.violations).toEqual({ critical: 1, high: 1, medium: 1, total: 3 });
    expect(report.audited.map((a) => a.account.id)).toEqual(org.ids.filter((id) => id !== accountId(DENIED)));
  });

  it('reads at most --concurrency accounts at once, and uses all of them', () => {
    expect(org.inFlight.max).toBe(4);
    expect(org.inFlight.current).toBe(0);
  });

  it('reports the listing, then each account once with a running count', () => {
    expect(progress[0]).toEqual({ stage: 'accounts', total: SIZE });
    const accounts = progress.flatMap((step) => (step.stage === 'account' ? [step] : []));
    expect(accounts.map((step) => step.done)).toEqual(Array.from({ length: SIZE }, (_, i) => i + 1));
    expect(accounts.filter((step) => step.status === 'unreadable').map((step) => step.account.id)).toEqual([
      accountId(DENIED),
    ]);
  });
});

describe('auditOrganization: other failures', () => {
  it('keeps an account whose IAM read is denied after AssumeRole as unreadable at the read stage', async () => {
    const org = fakeOrganization(3);
    org.members
      .get(accountId(1))
      ?.failOn({ service: 'iam', command: 'GetAccountAuthorizationDetails', error: 'AccessDenied' });
    try {
      const report = await auditOrganization(
        orgSources(org.clients, ['eu-west-1']),
        options({ concurrency: 2 }),
      );
      expect(report.unreadable).toEqual([
        expect.objectContaining({
          stage: 'read',
          code: 'AccessDenied',
          account: expect.objectContaining({ id: accountId(1) }),
        }),
      ]);
      expect(report.unreadable[0]?.message).toMatch(/iam:GetAccountAuthorizationDetails/);
      expect(report.totals.accountsAudited).toBe(2);
    } finally {
      org.organizations.restore();
      org.sts.restore();
    }
  });

  it('passes the external id when one is given', async () => {
    const org = fakeOrganization(2);
    try {
      await auditOrganization(
        orgSources(org.clients, ['eu-west-1']),
        options({ externalId: 'org-audit-2026' }),
      );
      expect(org.sts).toHaveReceivedCommandWith(AssumeRoleCommand, { ExternalId: 'org-audit-2026' });
    } finally {
      org.organizations.restore();
      org.sts.restore();
    }
  });

  it('fails the run when the organization cannot be listed (no organization to report on)', async () => {
    const org = fakeOrganization(2);
    org.organizations.on(ListAccountsCommand).rejects(
      Object.assign(new Error('You don’t have permissions to access this resource.'), {
        name: 'AccessDeniedException',
      }),
    );
    try {
      await expect(auditOrganization(orgSources(org.clients, []), options())).rejects.toThrow(
        /organizations:ListAccounts on organization was denied/,
      );
      expect(org.sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    } finally {
      org.organizations.restore();
      org.sts.restore();
    }
  });
});
