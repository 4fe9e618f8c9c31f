// Tests for the CloudFormation reader and check, on templates written the way eksctl, the CDK EKS module and a
// hand-written short-form YAML template produce them: verdicts, severities, and the line each finding points at.

import { checkModel } from '../../lambda/iac/check';
import { readCloudFormation } from '../../lambda/iac/cloudformation';
import { parseJsonSource } from '../../lambda/iac/source';
import { findingFor, fixture, lineOf, reportFor } from './support';

describe('eksctl managed node group template (JSON, Fn::Sub of AWS::Partition)', () => {
  it('FullAccess on the NodeInstanceRole is a high violation located at the FullAccess entry', () => {
    const file = fixture('eksctl-nodegroup-fullaccess.json');
    const finding = findingFor(reportFor(file), 'NodeInstanceRole');
    expect(finding.verdict).toBe('violation');
    expect(finding.severity).toBe('high');
    expect(finding.writeActions).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:DeleteRepository']));
    expect(finding.grantedBy.map((g) => g.policy)).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    ]);
    expect(finding.location.line).toBe(lineOf(file, 'AmazonEC2ContainerRegistryFullAccess') - 1);
    expect(finding.usedBy).toEqual([
      expect.objectContaining({
        kind: 'managed-nodegroup',
        location: expect.objectContaining({ line: lineOf(file, '"ManagedNodeGroup"') }),
      }),
    ]);
  });

  it('ReadOnly with the worker, CNI and SSM policies is compliant', () => {
    const report = reportFor(fixture('eksctl-nodegroup-readonly.json'));
    expect(report.findings.map((f) => [f.subject, f.verdict])).toEqual([['NodeInstanceRole', 'compliant']]);
    expect(report.summary).toMatchObject({ nodeRoles: 1, compliant: 1, unknown: 0 });
  });
});

describe('cdk.out folder (a copy named cdk-out, as .gitignore drops cdk.out/; CDK EKS module shapes: Fn::Join partition ARNs, a DefaultPolicy naming the role)', () => {
  const report = reportFor(fixture('cdk-out'));

  it('reads every *.template.json, nested assemblies included', () => {
    expect(report.files.map((f) => f.slice(fixture('cdk-out').length + 1)).sort()).toEqual([
      'EksStack.template.json',
      'assembly-Prod/ProdEks.template.json',
    ]);
  });

  it('an inline ecr:* in an AWS::IAM::Policy naming the node group role is a high violation at that policy', () => {
    const finding = findingFor(report, 'ClusterNodegroupDefaultCapacityNodeGroupRole55953B04');
    expect(finding).toMatchObject({ verdict: 'violation', severity: 'high' });
    const file = fixture('cdk-out/EksStack.template.json');
    expect(finding.location).toMatchObject({
      file,
      line: lineOf(file, '"ClusterNodegroupDefaultCapacityNodeGroupRoleDefaultPolicy'),
    });
    expect(finding.grants[0]?.wholeService).toBe(true);
  });

  it('a Fargate pod execution role with PullOnly is compliant', () => {
    expect(findingFor(report, 'FargateRoleA1B2C3').verdict).toBe('compliant');
  });
});

describe('short-form YAML template', () => {
  const file = fixture('short-forms.yaml');
  const report = reportFor(file);

  it('a policy ARN from a parameter makes the access-entry role unknown, pointing at that line', () => {
    const finding = findingFor(report, 'KarpenterNodeRole');
    expect(finding.verdict).toBe('unknown');
    expect(finding.unknown).toEqual([
      expect.objectContaining({
        reason: 'parameter ExtraNodePolicyArn is set at deploy time',
        location: expect.objectContaining({ line: lineOf(file, '!Ref ExtraNodePolicyArn') }),
      }),
    ]);
    expect(finding.usedBy[0]).toMatchObject({ kind: 'access-entry', accessEntryType: 'EC2_LINUX' });
  });

  it('an Auto Mode NodeRoleArn given as an ARN string finds the role by its RoleName; scoped push is medium', () => {
    const finding = findingFor(report, 'eks-auto-nodes');
    expect(finding).toMatchObject({ verdict: 'violation', severity: 'medium', subject: 'AutoNodeRole' });
    expect(finding.usedBy[0]?.kind).toBe('auto-mode');
    expect(finding.grants[0]?.resourceScoped).toBe(true);
    expect(finding.location.line).toBe(lineOf(file, '- PolicyName: push-builds'));
  });

  it('a ManagedPolicy naming the Fargate role with !Ref is a high violation', () => {
    expect(findingFor(report, 'FargateRole')).toMatchObject({ verdict: 'violation', severity: 'high' });
  });

  it('a node access entry for a role the files do not declare is unknown; a STANDARD entry is not a node role', () => {
    const hybrid = findingFor(report, 'AWS::EKS::AccessEntry HybridAccessEntry');
    expect(hybrid.verdict).toBe('unknown');
    expect(hybrid.reason).toMatch(/hybrid-nodes is not declared/);
    expect(report.findings.some((f) => f.subject.includes('AdminAccessEntry'))).toBe(false);
  });
});

describe('readCloudFormation edge cases', () => {
  const check = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    checkModel(
      readCloudFormation(parseJsonSource('t.json', JSON.stringify({ ...extra, Resources: resources }))),
      ['t.json'],
    );
  const role = (properties: Record<string, unknown>) => ({ Type: 'AWS::IAM::Role', Properties: properties });
  const nodes = { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: { 'Fn::GetAtt': ['R', 'Arn'] } } };
  const full = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';

  it('a role used by no EKS resource is not reported', () => {
    expect(check({ R: role({ ManagedPolicyArns: [full] }) }).findings).toEqual([]);
  });

  it('an AWS::IAM::RolePolicy by RoleName literal reaches the role', () => {
    const report = check({
      R: role({ RoleName: 'nodes' }),
      P: {
        Type: 'AWS::IAM::RolePolicy',
        Properties: {
          RoleName: 'nodes',
          PolicyName: 'p',
          PolicyDocument: { Statement: { Effect: 'Allow', Action: 'ecr:Put*', Resource: '*' } },
        },
      },
      N: nodes,
    });
    expect(report.findings[0]).toMatchObject({ verdict: 'violation', severity: 'high' });
  });

  it('a pull-only permissions boundary over FullAccess leaves the role compliant', () => {
    const report = check({
      R: role({
        ManagedPolicyArns: [full],
        PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      }),
      N: nodes,
    });
    expect(report.findings[0]?.verdict).toBe('compliant');
  });

  it('an unbundled AWS managed policy and an undeclared customer policy are unknown, not compliant', () => {
    const report = check({
      R: role({
        ManagedPolicyArns: [
          'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
          'arn:aws:iam::111122223333:policy/mine',
        ],
      }),
      N: nodes,
    });
    expect(report.findings[0]?.verdict).toBe('unknown');
    expect(report.findings[0]?.unknown.map((u) => u.reason)).toEqual([
      'an AWS managed policy whose document is not bundled',
      'a customer managed policy the files do not declare',
    ]);
  });

  it('a policy Action from a parameter makes the document unknown; a Resource from one does not widen it', () => {
    const statement = (action: unknown, resource: unknown) => ({
      R: role({
        Policies: [
          {
            PolicyName: 'p',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] },
          },
        ],
      }),
      N: nodes,
    });
    const parameters = { Parameters: { P: { Type: 'String' } } };
    expect(check(statement({ Ref: 'P' }, '*'), parameters).findings[0]?.verdict).toBe('unknown');
    const scoped = check(statement('ecr:PutImage', { Ref: 'P' }), parameters).findings[0];
    expect(scoped).toMatchObject({ verdict: 'violation', severity: 'medium' });
  });

  it('an Fn::ImportValue node role is unknown', () => {
    const report = check({
      N: { Type: 'AWS::EKS::Nodegroup', Properties: { NodeRole: { 'Fn::ImportValue': 'NodeRoleArn' } } },
    });
    expect(report.findings[0]).toMatchObject({ verdict: 'unknown', subject: 'AWS::EKS::Nodegroup N' });
    expect(report.findings[0]?.reason).toMatch(/Fn::ImportValue/);
  });

  it('an AWS::IAM::Policy giving ecr:* to a role not in the template is reported as unknown', () => {
    const report = check({
      P: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'p',
          Roles: ['someone-else'],
          PolicyDocument: { Statement: { Effect: 'Allow', Action: 'ecr:*', Resource: '*' } },
        },
      },
    });
    expect(report.findings[0]).toMatchObject({ verdict: 'unknown', resourceId: 'P' });
  });
});
