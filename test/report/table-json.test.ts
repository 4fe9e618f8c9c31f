// Tests for the people's table and the tools' JSON: findings first and in order, the summary, dangling references,
// unread regions, and a JSON document that lists every node role with stable field names.

import type { AuditReport } from '../../lambda/domain/audit-report';
import { renderJson } from '../../lambda/report/json';
import { renderTable } from '../../lambda/report/table';
import { accountJson, demoReport, mixedAccountJson, reportOfJson } from './support';

describe('renderTable', () => {
  let mixed: AuditReport;
  beforeAll(async () => {
    mixed = await reportOfJson(mixedAccountJson());
  });

  it('lists violations by severity, then exemptions, and leaves compliant roles to the summary', () => {
    // Wide enough for the table layout (one row a role); the narrow layout is tested below.
    const lines = renderTable(mixed, {}, { width: 200 }).split('\n');
    const rowOf = (role: string) => lines.findIndex((line) => new RegExp(`\\s${role}\\s`).test(line));
    expect(rowOf('admin')).toBeGreaterThan(0);
    expect(rowOf('admin')).toBeLessThan(rowOf('pusher'));
    expect(rowOf('pusher')).toBeLessThan(rowOf('cache'));
    expect(rowOf('cache')).toBeLessThan(rowOf('waived'));
    expect(rowOf('ok')).toBe(-1);
    expect(lines[rowOf('waived')]).toContain('ENDS SOON, exempt until 2026-11-30 (8 days): cache warmer');
  });

  it('ends with the summary and the dangling references', () => {
    const text = renderTable(mixed);
    expect(text).toContain('Compliant:               1 (20.0%)');
    expect(text).toContain('Violations:              3 (critical 1, high 1, medium 1)');
    expect(text).toContain('Exempt:                  1 (1 ending within 14 days)');
    expect(text).toContain(
      'arn:aws:iam::111122223333:role/gone: managed-nodegroup ng-gone in eu-west-1/prod',
    );
  });

  it('says so when nothing is found, and lists regions that could not be read', async () => {
    const clean = await reportOfJson(
      accountJson({ ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] } }),
    );
    const text = renderTable(clean, {
      eksWarnings: [{ region: 'ap-east-1', code: 'UnrecognizedClientException', message: 'not enabled' }],
    });
    expect(text).toContain('No finding: no EKS node role can write to Amazon ECR.');
    expect(text).toContain('ap-east-1: UnrecognizedClientException: not enabled');
  });

  it('keeps every cell on one line, however the names are spelled', async () => {
    const demo = await demoReport();
    const tricky = {
      ...demo,
      roles: demo.roles.map((role) => ({ ...role, roleName: `${role.roleName}\nInjected: line` })),
    };
    expect(renderTable(tricky)).not.toContain('\nInjected');
  });
});

describe('renderTable fits the terminal width', () => {
  let mixed: AuditReport;
  beforeAll(async () => {
    mixed = await reportOfJson(mixedAccountJson());
  });
  const widest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length));

  it.each([100, 80, 60, 40])('keeps every line within %i columns', async (width) => {
    expect(widest(renderTable(mixed, {}, { width }))).toBeLessThanOrEqual(width);
    expect(widest(renderTable(await demoReport(), {}, { width }))).toBeLessThanOrEqual(width);
  });

  it('uses one row a role when the table fits, one block a role when it does not', () => {
    const wide = renderTable(mixed, {}, { width: 200 });
    expect(wide).toMatch(/^STATUS +SEVERITY +ROLE +WRITE +GRANTED BY +USED BY +NOTE$/m);
    const narrow = renderTable(mixed, {}, { width: 100 });
    expect(narrow).not.toContain('GRANTED BY');
    expect(narrow).toMatch(/^exempt +high +waived +34 ECR write actions$/m);
    expect(narrow).toMatch(/^ {2}granted by: AmazonEC2ContainerRegistryFullAccess \(AWS managed\)$/m);
    expect(narrow).toMatch(/^ {2}note: +ENDS SOON, exempt until 2026-11-30 \(8 days\): cache warmer$/m);
  });

  it('drops no word of a cell when it wraps at a narrow width', () => {
    const words = (text: string): string[] => text.split(/\s+/).filter((w) => w.length > 0);
    const narrow = words(renderTable(mixed, {}, { width: 40 }));
    for (const word of words('ENDS SOON, exempt until 2026-11-30 (8 days): cache warmer')) {
      expect(narrow).toContain(word);
    }
  });

  it("shows the snapshot's capture time in the header instead of today", () => {
    expect(renderTable(mixed, { capturedAt: '2026-10-01T08:00:00Z' }).split('\n')[0]).toBe(
      'eks-ecr-guard audit of 111122223333 (aws) as captured 2026-10-01T08:00:00Z',
    );
    expect(renderTable(mixed).split('\n')[0]).toBe('eks-ecr-guard audit of 111122223333 (aws) on 2026-11-22');
  });
});

describe('renderJson', () => {
  it('lists every node role with its verdict and findings, and the summary', async () => {
    const mixed = await reportOfJson(mixedAccountJson());
    const json = JSON.parse(renderJson(mixed));
    expect(json).toMatchObject({
      formatVersion: 1,
      tool: { name: 'eks-ecr-guard' },
      accountId: '111122223333',
      date: '2026-11-22',
      summary: { nodeRolesTotal: 5, violations: { total: 3 } },
      eksWarnings: [],
    });
    expect(json.roles).toHaveLength(5);
    const pusher = json.roles.find((role: { roleName: string }) => role.roleName === 'pusher');
    expect(pusher).toMatchObject({
      verdict: 'violation',
      severity: 'high',
      writeActions: [
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      clusters: [{ region: 'eu-west-1', cluster: 'prod' }],
      nodegroups: [{ region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-pusher' }],
      plan: [{ op: 'AttachRolePolicy' }, { op: 'DetachRolePolicy' }],
    });
    expect(pusher).not.toHaveProperty('decision');
    expect(json.dangling).toEqual([expect.objectContaining({ roleName: 'gone', kind: 'managed-nodegroup' })]);
  });
});
