// Tests for the CLI organization paths: `audit --org` (table, JSON, SARIF, exit codes 0/1/3, flags), `snapshot
// --org --out DIR` (one file per account plus organization.json) and `audit --snapshot DIR` (the same report).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditCommand } from '../../lambda/cli/audit-command';
import { main } from '../../lambda/cli/main';
import type { OrgClients } from '../../lambda/cli/org';
import { createSnapshotCommand } from '../../lambda/cli/snapshot-command';
import { TODAY } from '../report/support';
import { AUDIT_ROLE, accountId, type FakeOrganization, fakeOrganization } from '../support/fake-organization';
import { capture } from './capture';

async function run(
  command: 'audit' | 'snapshot',
  clients: OrgClients,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const deps = { orgClients: () => clients, today: () => TODAY };
  const code =
    command === 'audit'
      ? await createAuditCommand(deps).run(args, io)
      : await createSnapshotCommand(deps).run(args, io);
  return { code, out: io.out(), err: io.err() };
}

let org: FakeOrganization;
let dir: string;
beforeEach(() => {
  org = fakeOrganization(6, { denied: [4] });
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-org-'));
});
afterEach(() => {
  org.organizations.restore();
  org.sts.restore();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit --org', () => {
  it('prints one table: a row per account, the unreadable one marked, violations, the reason and the totals', async () => {
    const { code, out, err } = await run(
      'audit',
      org.clients,
      '--org',
      '--role-name',
      AUDIT_ROLE,
      '--regions',
      'eu-west-1',
    );
    expect(code).toBe(3);
    expect(out).toMatch(
      /^eks-ecr-guard organization audit \(aws\) on 2026-11-22, through role EksEcrGuardAudit$/m,
    );
    expect(out).toMatch(
      new RegExp(`^${accountId(0)}\\s+team-0\\s+5\\s+1 \\(20\\.0%\\)\\s+1\\s+1\\s+1\\s+0$`, 'm'),
    );
    expect(out).toMatch(
      new RegExp(`^${accountId(1)}\\s+team-1\\s+2\\s+2 \\(100\\.0%\\)\\s+0\\s+0\\s+0\\s+0$`, 'm'),
    );
    expect(out).toMatch(
      new RegExp(`^${accountId(4)}\\s+team-4\\s+-.*NOT READ \\(assume-role: AccessDenied\\)$`, 'm'),
    );
    expect(out).toMatch(new RegExp(`^${accountId(3)}\\s+critical\\s+admin\\s+AdministratorAccess`, 'm'));
    expect(out).toContain(
      `  ${accountId(4)} (team-4): assume-role: AccessDenied: User: arn:aws:sts::999988887777:assumed-role/SecurityAuditor/ci-run is not authorized to perform: sts:AssumeRole`,
    );
    expect(out).toMatch(/^ {2}Accounts: 6 listed, 5 audited, 1 not read, 0 with EKS regions not read$/m);
    // 2 mixed accounts (0, 3) and 3 plain ones read: 16 node roles, 8 compliant.
    expect(out).toMatch(/^ {2}Node roles: +16 \(of 16 IAM roles\)$/m);
    expect(out).toMatch(/^ {2}Compliant: +8 \(50\.0%\)$/m);
    expect(out).toMatch(/^ {2}Violations: +6 \(critical 2, high 2, medium 2\)$/m);
    // Progress without a terminal: one line per account, and the gap repeated on stderr.
    expect(err).toContain('Organizations: 6 active accounts to audit\n');
    expect(err.match(/^account \d{12}: (read|NOT READ) \(\d\/6 accounts/gm)).toHaveLength(6);
    expect(err).toContain(`warning: account ${accountId(4)} not read (assume-role: AccessDenied)`);
  });

  it('exits 1 when --fail-on finds a violation (it outranks the unreadable account), 3 when only accounts are missing', async () => {
    const failing = await run(
      'audit',
      org.clients,
      '--org',
      '--role-name',
      AUDIT_ROLE,
      '--regions',
      'eu-west-1',
      '--fail-on',
      'critical',
    );
    expect(failing.code).toBe(1);
    const clean = fakeOrganization(3, { denied: [0] });
    try {
      // Accounts 1 and 2 hold compliant roles only.
      const partial = await run(
        'audit',
        clean.clients,
        '--org',
        '--role-name',
        AUDIT_ROLE,
        '--fail-on',
        'medium',
      );
      expect(partial.code).toBe(3);
    } finally {
      clean.organizations.restore();
      clean.sts.restore();
    }
  });

  it('exits 0 when every account was read and no --fail-on is given, 1 once a violation reaches --fail-on', async () => {
    const whole = fakeOrganization(3);
    try {
      const { code } = await run(
        'audit',
        whole.clients,
        '--org',
        '--role-name',
        AUDIT_ROLE,
        '--fail-on',
        'medium',
      );
      // Account 0 holds the mixed account (critical, high and medium violations).
      expect(code).toBe(1);
      const critical = await run(
        'audit',
        whole.clients,
        '--org',
        '--role-name',
        AUDIT_ROLE,
        '--fail-on',
        'critical',
      );
      expect(critical.code).toBe(1);
      const noThreshold = await run('audit', whole.clients, '--org', '--role-name', AUDIT_ROLE);
      expect(noThreshold.code).toBe(0);
    } finally {
      whole.organizations.restore();
      whole.sts.restore();
    }
  });

  it('prints JSON: totals, each account with its single-account audit, the unreadable accounts with why', async () => {
    const { out } = await run('audit', org.clients, '--org', '--role-name', AUDIT_ROLE, '--format', 'json');
    const json = JSON.parse(out);
    expect(json).toMatchObject({ kind: 'organization', roleName: AUDIT_ROLE, date: TODAY });
    expect(json.totals).toMatchObject({ accountsListed: 6, accountsAudited: 5, accountsUnreadable: 1 });
    expect(json.totals.summary.violations).toEqual({ critical: 2, high: 2, medium: 2, total: 6 });
    expect(json.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(
      [0, 1, 2, 3, 5].map(accountId),
    );
    expect(json.accounts[0].audit).toMatchObject({ accountId: accountId(0), summary: { nodeRolesTotal: 5 } });
    expect(json.unreadable).toEqual([
      expect.objectContaining({
        accountId: accountId(4),
        accountName: 'team-4',
        stage: 'assume-role',
        code: 'AccessDenied',
      }),
    ]);
  });

  it('prints one SARIF run whose results carry the account id, and an error notification for the unread account', async () => {
    const { out } = await run('audit', org.clients, '--org', '--role-name', AUDIT_ROLE, '--format', 'sarif');
    const log = JSON.parse(out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [runOf] = log.runs;
    expect(runOf.results).toHaveLength(6);
    for (const result of runOf.results) {
      expect(result.properties.accountId).toMatch(/^\d{12}$/);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toContain(
        `::${result.properties.accountId}:role/`,
      );
    }
    expect(runOf.invocations[0].executionSuccessful).toBe(false);
    expect(runOf.invocations[0].toolExecutionNotifications).toContainEqual({
      level: 'error',
      message: {
        text: expect.stringMatching(
          new RegExp(`^Account ${accountId(4)} could not be read \\(assume-role: AccessDenied\\)`),
        ),
      },
    });
  });

  it('refuses --org without --role-name, with a bad --concurrency, and org-only flags without --org', async () => {
    const io = capture();
    expect(await main(['audit', '--org'], io)).toBe(2);
    expect(io.err()).toContain('--org needs --role-name NAME');
    const bad = await run(
      'audit',
      org.clients,
      '--org',
      '--role-name',
      AUDIT_ROLE,
      '--concurrency',
      '0',
    ).catch((error: Error) => error.message);
    expect(bad).toMatch(/--concurrency must be a whole number from 1 to 64/);
    const sample = join(__dirname, '..', '..', 'demo', 'sample-account.json');
    const misplaced = await run('audit', org.clients, '--snapshot', sample, '--role-name', AUDIT_ROLE).catch(
      (error: Error) => error.message,
    );
    expect(misplaced).toMatch(/--role-name only apply with --org/);
    const both = await run('audit', org.clients, '--org', '--live', '--role-name', AUDIT_ROLE).catch(
      (error: Error) => error.message,
    );
    expect(both).toMatch(/exactly one of --snapshot or --live \(or --org\)/);
  });
});

describe('snapshot --org and audit --snapshot DIR', () => {
  it('writes one snapshot per readable account and the manifest, exit 3 for the unreadable one', async () => {
    const { code, err } = await run(
      'snapshot',
      org.clients,
      '--org',
      '--role-name',
      AUDIT_ROLE,
      '--out',
      dir,
    );
    expect(code).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(
      [...[0, 1, 2, 3, 5].map((i) => `${accountId(i)}.json`), 'organization.json'].sort(),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'organization.json'), 'utf8'));
    expect(manifest).toMatchObject({
      kind: 'eks-ecr-guard/organization-snapshot',
      formatVersion: 1,
      roleName: AUDIT_ROLE,
    });
    expect(manifest.unreadable).toEqual([
      expect.objectContaining({ accountId: accountId(4), stage: 'assume-role', code: 'AccessDenied' }),
    ]);
    const one = JSON.parse(readFileSync(join(dir, `${accountId(0)}.json`), 'utf8'));
    expect(one.accountId).toBe(accountId(0));
    expect(err).toContain('wrote');
  });

  it('audits the folder offline into the same report as the live run (table and JSON)', async () => {
    await run('snapshot', org.clients, '--org', '--role-name', AUDIT_ROLE, '--out', dir);
    for (const format of ['table', 'json']) {
      const live = await run('audit', org.clients, '--org', '--role-name', AUDIT_ROLE, '--format', format);
      const offline = await run('audit', org.clients, '--snapshot', dir, '--format', format);
      expect(offline.code).toBe(3);
      expect(offline.out).toBe(live.out);
    }
  });

  it('reports a listed account whose file is gone as unreadable (snapshot-file), never as a silent gap', async () => {
    await run('snapshot', org.clients, '--org', '--role-name', AUDIT_ROLE, '--out', dir);
    unlinkSync(join(dir, `${accountId(2)}.json`));
    const { code, out } = await run('audit', org.clients, '--snapshot', dir, '--format', 'json');
    expect(code).toBe(3);
    const json = JSON.parse(out);
    expect(json.totals).toMatchObject({ accountsListed: 6, accountsAudited: 4, accountsUnreadable: 2 });
    expect(json.unreadable.map((u: { accountId: string; stage: string }) => [u.accountId, u.stage])).toEqual([
      [accountId(2), 'snapshot-file'],
      [accountId(4), 'assume-role'],
    ]);
  });

  it('reads a folder without a manifest as every <accountId>.json in it', async () => {
    await run('snapshot', org.clients, '--org', '--role-name', AUDIT_ROLE, '--out', dir);
    unlinkSync(join(dir, 'organization.json'));
    const { code, out } = await run('audit', org.clients, '--snapshot', dir, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).totals).toMatchObject({
      accountsListed: 5,
      accountsAudited: 5,
      accountsUnreadable: 0,
    });
    expect(existsSync(join(dir, `${accountId(4)}.json`))).toBe(false);
  });

  it('refuses --out - with --org (a folder is written)', async () => {
    await expect(
      run('snapshot', org.clients, '--org', '--role-name', AUDIT_ROLE, '--out', '-'),
    ).rejects.toThrow(/--org writes a folder/);
  });
});
