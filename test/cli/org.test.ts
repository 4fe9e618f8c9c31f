// Tests for the CLI organization support: flag parsing, the progress bar on a terminal and in a log, and the exit
// code of a partial organization report.
import {
  EXIT_UNREADABLE_ACCOUNTS,
  orgExitCode,
  orgProgressPrinter,
  parseOrgFlags,
} from '../../lambda/cli/org';
import { orgAuditReport } from '../../lambda/domain/org-report';
import { mixedAccountJson, reportOfJson } from '../report/support';

const account = (id: string) => ({ id, arn: null, name: `n-${id}`, email: null });

function stderr(isTTY: boolean) {
  let text = '';
  return {
    io: { stdout: { write: () => true }, stderr: { isTTY, write: (t: string) => (text += t) } },
    text: () => text,
  };
}

describe('parseOrgFlags', () => {
  it('takes the role name (path allowed, slashes trimmed), the external id, concurrency, profile and region', () => {
    expect(
      parseOrgFlags({
        'role-name': '/audit/Reader/',
        'external-id': 'x',
        concurrency: '12',
        profile: 'p',
        region: 'eu-west-1',
      }),
    ).toEqual({
      roleName: 'audit/Reader',
      externalId: 'x',
      concurrency: 12,
      clientOptions: { profile: 'p', region: 'eu-west-1' },
    });
    expect(parseOrgFlags({ 'role-name': 'Reader' }).concurrency).toBe(8);
  });

  it.each([
    [{}, /--org needs --role-name NAME/],
    [{ 'role-name': 'has space' }, /--role-name must be an IAM role name/],
    [{ 'role-name': 'R', concurrency: '65' }, /--concurrency must be a whole number from 1 to 64/],
    [{ 'role-name': 'R', concurrency: '2.5' }, /--concurrency must be a whole number/],
  ])('refuses %j', (values, message) => {
    expect(() => parseOrgFlags(values)).toThrow(message);
  });
});

describe('orgProgressPrinter', () => {
  const steps = [
    { stage: 'accounts' as const, total: 2 },
    {
      stage: 'account' as const,
      account: account('111111111111'),
      status: 'unreadable' as const,
      done: 1,
      total: 2,
    },
    {
      stage: 'account' as const,
      account: account('222222222222'),
      status: 'audited' as const,
      done: 2,
      total: 2,
    },
  ];

  it('redraws one bar in place on a terminal and ends it with a newline', () => {
    const out = stderr(true);
    const print = orgProgressPrinter(out.io, 'audit');
    for (const step of steps) print(step);
    expect(out.text()).toBe(
      'Organizations: 2 active accounts to audit\n' +
        `\r${'█'.repeat(15)}${'░'.repeat(15)} 1/2 accounts, 1 not read` +
        `\r${'█'.repeat(30)} 2/2 accounts, 1 not read\n`,
    );
  });

  it('writes one line per account when stderr is not a terminal', () => {
    const out = stderr(false);
    const print = orgProgressPrinter(out.io, 'read');
    for (const step of steps) print(step);
    expect(out.text().split('\n')).toEqual([
      'Organizations: 2 active accounts to read',
      'account 111111111111: NOT READ (1/2 accounts, 1 not read)',
      'account 222222222222: read (2/2 accounts, 1 not read)',
      '',
    ]);
  });
});

describe('orgExitCode', () => {
  it('is 1 for a violation at --fail-on, else 3 for an unreadable account, else 0', async () => {
    const mixed = await reportOfJson(mixedAccountJson());
    const base = { partition: 'aws', today: '2026-11-22', roleName: 'R' };
    const audited = [{ account: account('111111111111'), report: mixed, eksWarnings: [] }];
    const missing = [
      {
        account: account('222222222222'),
        stage: 'assume-role' as const,
        code: 'AccessDenied',
        message: 'no',
      },
    ];
    const partial = orgAuditReport({ ...base, audited, unreadable: missing });
    const whole = orgAuditReport({ ...base, audited, unreadable: [] });
    expect(orgExitCode(partial, 'critical')).toBe(1);
    expect(orgExitCode(partial, undefined)).toBe(EXIT_UNREADABLE_ACCOUNTS);
    expect(EXIT_UNREADABLE_ACCOUNTS).toBe(3);
    expect(orgExitCode(whole, undefined)).toBe(0);
    expect(orgExitCode(whole, 'medium')).toBe(1);
    const clean = orgAuditReport({ ...base, audited: [], unreadable: [] });
    expect(orgExitCode(clean, 'medium')).toBe(0);
  });
});
