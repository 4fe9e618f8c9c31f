// Tests for the IaC check across readers: one finding per node role however many EKS resources name it, the
// ECR-free managed policies, cross-file roles, and readers that never throw on odd shapes (property-based).
import fc from 'fast-check';
import { checkModel, ECR_FREE_MANAGED_POLICIES } from '../../lambda/iac/check';
import { readCloudFormation } from '../../lambda/iac/cloudformation';
import { mergeModels } from '../../lambda/iac/model';
import { parseJsonSource } from '../../lambda/iac/source';
import { readTerraformPlan } from '../../lambda/iac/terraform';

const template = (file: string, resources: Record<string, unknown>) =>
  readCloudFormation(parseJsonSource(file, JSON.stringify({ Resources: resources })));
const role = (properties: Record<string, unknown>) => ({ Type: 'AWS::IAM::Role', Properties: properties });
const AWS = 'arn:aws:iam::aws:policy/';

describe('checkModel', () => {
  it('judges a role named by a node group and an access entry once, listing both uses', () => {
    const model = template('t.json', {
      R: role({ ManagedPolicyArns: [`${AWS}AmazonEC2ContainerRegistryPowerUser`] }),
      N: { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: { 'Fn::GetAtt': ['R', 'Arn'] } } },
      E: {
        Type: 'AWS::EKS::AccessEntry',
        Properties: { PrincipalArn: { 'Fn::GetAtt': ['R', 'Arn'] }, Type: 'EC2_LINUX' },
      },
    });
    const report = checkModel(model, ['t.json']);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.usedBy.map((u) => u.kind)).toEqual(['managed-nodegroup', 'access-entry']);
    expect(report.findings[0]?.writeActions).toEqual([
      'ecr:CompleteLayerUpload',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
  });

  it.each([...ECR_FREE_MANAGED_POLICIES])('treats %s as granting no ECR action (not unknown)', (name) => {
    const model = template('t.json', {
      R: role({ ManagedPolicyArns: [`${AWS}${name}`, `${AWS}AmazonEC2ContainerRegistryPullOnly`] }),
      N: { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: { 'Fn::GetAtt': ['R', 'Arn'] } } },
    });
    expect(checkModel(model, ['t.json']).findings[0]?.verdict).toBe('compliant');
  });

  it('finds a role declared in another file by the name in a literal ARN', () => {
    const roles = template('roles.json', {
      R: role({
        RoleName: 'shared-nodes',
        ManagedPolicyArns: [`${AWS}AmazonEC2ContainerRegistryFullAccess`],
      }),
    });
    const nodes = template('nodes.json', {
      N: {
        Type: 'AWS::EKS::Nodegroup',
        Properties: { NodeRole: 'arn:aws:iam::111122223333:role/shared-nodes' },
      },
    });
    const report = checkModel(mergeModels([roles, nodes]), ['roles.json', 'nodes.json']);
    expect(report.findings.map((f) => [f.subject, f.verdict, f.severity])).toEqual([
      ['R', 'violation', 'high'],
    ]);
  });

  it('AdministratorAccess on a node role is critical', () => {
    const model = template('t.json', {
      R: role({ ManagedPolicyArns: [`${AWS}AdministratorAccess`] }),
      F: {
        Type: 'AWS::EKS::FargateProfile',
        Properties: { PodExecutionRoleArn: { 'Fn::GetAtt': ['R', 'Arn'] } },
      },
    });
    expect(checkModel(model, ['t.json']).findings[0]).toMatchObject({
      verdict: 'violation',
      severity: 'critical',
    });
  });

  it('an Auto Mode cluster with compute disabled names no node role', () => {
    const model = template('t.json', {
      C: {
        Type: 'AWS::EKS::Cluster',
        Properties: { ComputeConfig: { Enabled: false, NodeRoleArn: 'arn:aws:iam::1:role/x' } },
      },
    });
    expect(model.uses).toEqual([]);
  });
});

describe('readers on arbitrary shapes', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const types = fc.constantFrom(
    'AWS::IAM::Role',
    'AWS::IAM::Policy',
    'AWS::IAM::ManagedPolicy',
    'AWS::IAM::RolePolicy',
    'AWS::EKS::Nodegroup',
    'AWS::EKS::AccessEntry',
    'AWS::EKS::Cluster',
    'AWS::EKS::FargateProfile',
  );

  it('readCloudFormation + checkModel never throw, whatever the resources hold', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.record({ Type: types, Properties: json })),
        (resources) => {
          checkModel(template('t.json', resources), ['t.json']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('readTerraformPlan + checkModel never throw, whatever the changes hold', () => {
    const tfTypes = fc.constantFrom(
      'aws_iam_role',
      'aws_iam_role_policy_attachment',
      'aws_iam_role_policy',
      'aws_eks_node_group',
      'aws_eks_access_entry',
      'aws_eks_cluster',
    );
    const change = fc.record({
      address: fc.string({ maxLength: 8 }),
      mode: fc.constant('managed'),
      type: tfTypes,
      change: fc.record({ after: json, after_unknown: json }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 6 }), json, (changes, configuration) => {
        const source = parseJsonSource(
          'p.json',
          JSON.stringify({ format_version: '1.2', resource_changes: changes, configuration }),
        );
        checkModel(readTerraformPlan(source), ['p.json']);
      }),
      { numRuns: 300 },
    );
  });
});
