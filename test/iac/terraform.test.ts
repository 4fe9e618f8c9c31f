// Tests for the Terraform plan reader and check: a plan shaped like terraform-aws-modules/eks (module node group,
// for_each policy attachments, values known only after apply tied through `configuration` references) and a plan
// with unknown values, inline policies, access entries, Auto Mode and Fargate.
import { readFileSync } from 'node:fs';
import { checkModel } from '../../lambda/iac/check';
import { parseJsonSource } from '../../lambda/iac/source';
import { readTerraformPlan } from '../../lambda/iac/terraform';
import { findingFor, fixture, lineOf, reportFor } from './support';

/** The plan text without the resource changes whose address `drop` picks. */
function withoutChanges(text: string, drop: (address: string) => boolean): string {
  const plan: unknown = JSON.parse(text);
  if (typeof plan !== 'object' || plan === null) throw new Error('not a plan');
  const changes: unknown = Reflect.get(plan, 'resource_changes');
  const kept = (Array.isArray(changes) ? changes : []).filter(
    (change: unknown) =>
      !(typeof change === 'object' && change !== null && drop(String(Reflect.get(change, 'address')))),
  );
  return JSON.stringify({ ...plan, resource_changes: kept });
}

const NODE_GROUP = 'module.eks.module.eks_managed_node_group["default"]';

describe('terraform-aws-modules/eks shaped plan', () => {
  const file = fixture('terraform-eks-module.plan.json');
  const report = reportFor(file);

  it('ties the node group to its role through references and finds FullAccess from iam_role_additional_policies', () => {
    const finding = findingFor(report, `${NODE_GROUP}.aws_iam_role.this[0]`);
    expect(finding).toMatchObject({ verdict: 'violation', severity: 'high' });
    expect(finding.grantedBy.map((g) => g.policy)).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    ]);
    expect(finding.usedBy.map((u) => u.resource)).toEqual([`${NODE_GROUP}.aws_eks_node_group.this[0]`]);
  });

  it('points at the address line of the attachment that grants the write', () => {
    const finding = findingFor(report, `${NODE_GROUP}.aws_iam_role.this[0]`);
    expect(finding.location).toMatchObject({
      file,
      line: lineOf(file, 'aws_iam_role_policy_attachment.additional[\\"ecr\\"]'),
    });
  });

  it('the computed managed_policy_arns / inline_policy of a role that does not set them are not unknowns', () => {
    expect(findingFor(report, `${NODE_GROUP}.aws_iam_role.this[0]`).unknown).toEqual([]);
  });

  it('without the additional attachment the same role is compliant (ReadOnly, worker and CNI policies)', () => {
    const text = withoutChanges(readFileSync(file, 'utf8'), (address) => address.includes('.additional['));
    const source = parseJsonSource('plan.json', text);
    expect(checkModel(readTerraformPlan(source), ['plan.json']).findings.map((f) => f.verdict)).toEqual([
      'compliant',
    ]);
  });
});

describe('plan with values known only after apply', () => {
  const file = fixture('terraform-unknowns.plan.json');
  const report = reportFor(file);

  it('an attached policy whose document is known only after apply makes the node role unknown', () => {
    const finding = findingFor(report, 'platform-nodes');
    expect(finding.verdict).toBe('unknown');
    expect(finding.unknown).toEqual([
      expect.objectContaining({
        policy: 'platform-nodes-extra',
        reason: 'the policy document is known only after apply',
      }),
    ]);
  });

  it('an inline_policy with scoped push on an EC2_LINUX access entry role is a medium violation', () => {
    const finding = findingFor(report, 'karpenter-node');
    expect(finding).toMatchObject({ verdict: 'violation', severity: 'medium' });
    expect(finding.usedBy[0]).toMatchObject({ kind: 'access-entry', accessEntryType: 'EC2_LINUX' });
  });

  it('a Fargate profile naming its role by a known ARN finds the role by name', () => {
    expect(findingFor(report, 'fargate-pods')).toMatchObject({ verdict: 'compliant' });
  });

  it('an Auto Mode node role outside the plan is unknown', () => {
    const finding = findingFor(report, 'aws_eks_cluster.auto');
    expect(finding).toMatchObject({ verdict: 'unknown' });
    expect(finding.usedBy[0]?.kind).toBe('auto-mode');
  });
});

describe('readTerraformPlan input checks', () => {
  const plan = (body: Record<string, unknown>) => parseJsonSource('p.json', JSON.stringify(body));

  it('rejects a format_version whose major is not 1', () => {
    expect(() => readTerraformPlan(plan({ format_version: '2.0', resource_changes: [] }))).toThrow(
      /format_version 2\.0 is not supported/,
    );
  });

  it('ignores resources being deleted and data sources', () => {
    const change = (address: string, mode: string, after: unknown) => ({
      address,
      mode,
      type: 'aws_eks_node_group',
      name: 'x',
      change: { actions: after === null ? ['delete'] : ['read'], after, after_unknown: {} },
    });
    const model = readTerraformPlan(
      plan({
        format_version: '1.2',
        resource_changes: [
          change('aws_eks_node_group.gone', 'managed', null),
          change('data.aws_eks_node_group.x', 'data', { node_role_arn: 'arn:aws:iam::1:role/x' }),
        ],
      }),
    );
    expect(model.uses).toEqual([]);
  });

  it('a node group role that is unknown and referenced nowhere is an unknown finding with a column in compact JSON', () => {
    const text = JSON.stringify({
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_eks_node_group.a',
          mode: 'managed',
          type: 'aws_eks_node_group',
          name: 'a',
          change: { actions: ['create'], after: {}, after_unknown: { node_role_arn: true } },
        },
      ],
    });
    const report = checkModel(readTerraformPlan(parseJsonSource('p.json', text)), ['p.json']);
    expect(report.findings[0]).toMatchObject({
      verdict: 'unknown',
      location: { line: 1, column: text.indexOf('"address"') + 1 },
    });
    expect(report.findings[0]?.reason).toMatch(/known only after apply/);
  });
});
