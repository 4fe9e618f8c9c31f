// Tests for owners in the audit output of the demo account: each role's owner in the JSON, the per-owner and untagged
// sections and the summary row of the table, the untagged roles as SARIF notes (results stay the violations), and the
// untagged finding kept apart from the ECR-write verdict.
import { renderDecisionTable } from '../../lambda/report/decision-table';
import { auditJson } from '../../lambda/report/json';
import { auditSarif } from '../../lambda/report/sarif';
import { renderTable } from '../../lambda/report/table';
import { demoReport } from './support';

describe('owners in the audit output', () => {
  it('gives each role its owner and where it came from in the JSON, and the untagged count in the summary', async () => {
    const json = auditJson(await demoReport());
    const owners = Object.fromEntries(json.roles.map((role) => [role.roleName, role.owner]));
    expect(owners['prod-gpu-nodes']).toMatchObject({
      status: 'owned',
      owner: 'ml-team',
      source: { level: 'nodegroup', nodegroup: 'ng-gpu' },
    });
    expect(owners['staging-build-nodes']).toMatchObject({
      owner: 'build-platform',
      source: { level: 'role' },
    });
    expect(owners['KarpenterNodeRole-prod']).toMatchObject({
      owner: 'platform',
      source: { level: 'cluster' },
    });
    expect(owners['legacy-self-managed-nodes']).toMatchObject({
      status: 'untagged',
      finding: { kind: 'untagged-node-role', severity: 'low' },
    });
    expect(json.summary.untaggedNodeRoles).toBe(2);
  });

  it('keeps the untagged finding apart from the verdict: untagged compliant roles stay compliant', async () => {
    const report = await demoReport();
    const untagged = report.roles.filter((role) => role.decision.owner?.status === 'untagged');
    expect(untagged.map((role) => [role.roleName, role.verdict, role.severity, role.decision.plan])).toEqual([
      ['AmazonEKSAutoNodeRole', 'compliant', null, []],
      ['legacy-self-managed-nodes', 'compliant', null, []],
    ]);
    expect(report.summary.nodeRolesCompliant).toBe(6);
  });

  it('lists node roles by owner and the untagged ones in the table, with a summary row', async () => {
    const text = renderTable(await demoReport(), {}, { width: 200 });
    expect(text).toContain('Node roles by owner:\n  build-platform: 1 node role\n');
    expect(text).toContain('  ml-team: 1 node role, 1 violating (prod-gpu-nodes)\n');
    expect(text).toContain('  untagged: 2 node roles\n');
    expect(text).toContain('  legacy-self-managed-nodes: untagged (no owner or team tag on the role)\n');
    expect(text).toMatch(/^ {2}Untagged node roles: +2 \(no owner tag, low\)$/m);
  });

  it('puts the untagged roles in SARIF as notes, and the owner on each violation result', async () => {
    const run = auditSarif(await demoReport()).runs[0];
    expect(run?.results.map((result) => [result.ruleId, result.properties.owner])).toEqual([
      ['EKS-ECR-WRITE-HIGH', 'ml-team'],
    ]);
    const notes = (run?.invocations[0]?.toolExecutionNotifications ?? []).filter((n) =>
      n.message.text.includes('untagged-node-role'),
    );
    expect(notes.map((note) => note.level)).toEqual(['note', 'note']);
    expect(notes[1]?.message.text).toBe(
      'EKS node role legacy-self-managed-nodes has no owner tag (untagged-node-role, low): no owner or team tag on the role.',
    );
  });

  it('adds the owner row to the evaluate table', async () => {
    const role = (await demoReport()).roles.find((candidate) => candidate.roleName === 'prod-gpu-nodes');
    const text = renderDecisionTable(role === undefined ? [] : [role.decision], { width: 200 });
    expect(text).toContain('  owner:   ml-team (tag owner of node group ng-gpu (eu-west-1/prod))\n');
  });
});
