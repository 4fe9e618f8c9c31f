// Audit output and the pod-role path: the JSON gives each violation the pod role to move push access to (trust
// policy, push policy, commands), the table and SARIF point at it; compliant roles get none.
import type { AuditReport } from '../../lambda/domain/audit-report';
import { renderJson } from '../../lambda/report/json';
import { auditSarif } from '../../lambda/report/sarif';
import { renderTable } from '../../lambda/report/table';
import { mixedAccountJson, reportOfJson } from './support';

interface RoleOut {
  readonly roleName: string;
  readonly verdict: string;
  readonly usage: unknown;
  readonly podRole: { readonly roleName: string; readonly commands: readonly (readonly string[])[] } | null;
}

const rolesOf = (json: string): RoleOut[] => JSON.parse(json).roles;

describe('audit output: the pod-role path', () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await reportOfJson(mixedAccountJson());
  });

  it('JSON: each violation has a podRole with the create-role, put-role-policy and association commands', () => {
    const roles = rolesOf(renderJson(report));
    const violations = roles.filter((role) => role.verdict === 'violation');
    expect(violations.length).toBeGreaterThan(0);
    for (const role of violations) {
      expect(role.podRole?.roleName).toBe(`${role.roleName}-ecr-push`);
      expect(role.podRole?.commands.map((command) => command.slice(1, 3).join(' '))).toEqual(
        expect.arrayContaining([
          'iam create-role',
          'iam put-role-policy',
          'eks create-pod-identity-association',
        ]),
      );
      expect(role.usage).toBeNull();
    }
    for (const role of roles.filter((r) => r.verdict !== 'violation')) expect(role.podRole).toBeNull();
  });

  it('table and SARIF say where push access belongs', () => {
    expect(renderTable(report)).toContain('Push access: If a workload pushes images with this node role');
    const [result] = auditSarif(report).runs[0]?.results ?? [];
    expect(result?.message.text).toContain('EKS Pod Identity');
  });
});
