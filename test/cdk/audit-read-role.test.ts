// Tests for the CDK layer: the audit read role of the organization audit: its trust (principal, optional
// ExternalId), each statement by Sid, that its actions are exactly what the snapshot collection calls, and cdk-nag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { collectSnapshot, liveCollectionSources } from '../../lambda/usecases/collect-snapshot';
import {
  AuditReadRole,
  type AuditReadRoleProps,
  DEFAULT_AUDIT_ROLE_NAME,
} from '../../lib/org/audit-read-role';
import { AuditReadRoleStack } from '../../lib/org/audit-read-role-stack';
import { type IamStatement, identityStatements, resolveIntrinsics } from './support/cfn';

const AUDITOR = 'arn:aws:iam::999988887777:role/SecurityAuditor';

function synth(props: Partial<AuditReadRoleProps> = {}): { stack: AuditReadRoleStack; template: Template } {
  const stack = new AuditReadRoleStack(new App(), 'AuditRole', { trustedPrincipal: AUDITOR, ...props });
  return { stack, template: Template.fromStack(stack) };
}

function bySid(statements: readonly IamStatement[], sid: string): IamStatement {
  const found = statements.filter((statement) => statement.sid === sid);
  expect(found).toHaveLength(1);
  const [statement] = found;
  if (statement === undefined) throw new Error(`no statement ${sid}`);
  return statement;
}

describe('AuditReadRole', () => {
  it('has the fixed name the CLI assumes, trusted by the given principal only, without ExternalId by default', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: DEFAULT_AUDIT_ROLE_NAME,
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: AUDITOR },
            Condition: Match.absent(),
          },
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('requires sts:ExternalId when one is given, and takes an account id as the trusted principal', () => {
    const { template } = synth({
      trustedPrincipal: '999988887777',
      externalId: 'org-audit-2026',
      roleName: 'Audit',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'Audit',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([':iam::999988887777:root'])] } },
            Condition: { StringEquals: { 'sts:ExternalId': 'org-audit-2026' } },
          },
        ],
      },
    });
  });

  it('takes a token (a StackSet or CloudFormation parameter) as the principal ARN', () => {
    const stack = new Stack(new App(), 'Param');
    const auditor = new CfnParameter(stack, 'AuditorArn', { type: 'String' });
    new AuditReadRole(stack, 'Audit', { trustedPrincipal: auditor.valueAsString });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: { Ref: 'AuditorArn' } } }] },
    });
  });

  it('refuses a principal that is neither an account id nor an IAM ARN', () => {
    expect(() => synth({ trustedPrincipal: 'security-team' })).toThrow(
      /12-digit account id or an IAM role\/user ARN/,
    );
  });

  it('allows each read by Sid, nothing that writes', () => {
    const statements = identityStatements(synth().template).map((statement) => ({
      ...statement,
      resource: resolveIntrinsics(statement.resource),
    }));
    expect(
      statements.every((statement) => statement.effect === 'Allow' && statement.condition === undefined),
    ).toBe(true);
    expect(bySid(statements, 'ReadAccountAuthorizationDetails')).toMatchObject({
      actions: ['iam:GetAccountAuthorizationDetails', 'iam:GetAccountSummary'],
      resource: '*',
    });
    expect(bySid(statements, 'ListEksClusters')).toMatchObject({
      actions: ['eks:ListClusters'],
      resource: '*',
    });
    expect(bySid(statements, 'ReadEksClusters')).toMatchObject({
      actions: [
        'eks:DescribeCluster',
        'eks:ListNodegroups',
        'eks:ListAccessEntries',
        'eks:ListFargateProfiles',
        'eks:ListPodIdentityAssociations',
      ],
      resource: 'arn:aws:eks:*:111122223333:cluster/*',
    });
    expect(bySid(statements, 'ReadEksNodegroups')).toMatchObject({ actions: ['eks:DescribeNodegroup'] });
    expect(bySid(statements, 'ReadEksAccessEntries')).toMatchObject({ actions: ['eks:DescribeAccessEntry'] });
    expect(bySid(statements, 'ReadEksFargateProfiles')).toMatchObject({
      actions: ['eks:DescribeFargateProfile'],
    });
    expect(bySid(statements, 'ReadEksPodIdentityAssociations')).toMatchObject({
      actions: ['eks:DescribePodIdentityAssociation'],
      resource: 'arn:aws:eks:*:111122223333:podidentityassociation/*',
    });
    expect(bySid(statements, 'ListEnabledRegions')).toMatchObject({
      actions: ['account:ListRegions'],
      resource: 'arn:aws:account::111122223333:account',
    });
    expect(bySid(statements, 'ReadEcrRepositoryPolicies')).toMatchObject({
      actions: ['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy'],
      resource: 'arn:aws:ecr:*:111122223333:repository/*',
    });
    expect(bySid(statements, 'ReadEcrRegistryPolicies')).toMatchObject({
      actions: ['ecr:GetRegistryPolicy', 'ecr:DescribeRepositoryCreationTemplates'],
      resource: '*',
    });
    expect(statements).toHaveLength(10);
  });

  it('pins EKS reads to the given regions and then needs no account:ListRegions', () => {
    const statements = identityStatements(synth({ eksRegions: ['eu-west-1'] }).template);
    expect(statements.map((statement) => statement.sid)).not.toContain('ListEnabledRegions');
    expect(resolveIntrinsics(bySid(statements, 'ReadEksNodegroups').resource)).toBe(
      'arn:aws:eks:eu-west-1:111122223333:nodegroup/*',
    );
  });

  it('allows exactly the actions the snapshot collection calls (derived from the code, not from a list)', async () => {
    const sample = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'demo', 'sample-account.json'), 'utf8'),
    );
    const fake = FakeAws.fromSnapshot(sample);
    await collectSnapshot(liveCollectionSources(fake.clients(), []), { eksConcurrency: 2 });
    const called = new Set(fake.calls.map((call) => `${call.service}:${call.command}`));
    const allowed = new Set(identityStatements(synth().template).flatMap((statement) => statement.actions));
    expect([...allowed].sort()).toEqual([...called].sort());
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding, with and without regions', () => {
    for (const props of [{}, { eksRegions: ['eu-west-1', 'us-east-2'] }, { externalId: 'x' }]) {
      const { stack } = synth(props);
      const findings = new AwsSolutionsChecks()
        .validateScope(stack)
        .violations.flatMap((violation) =>
          violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
        );
      expect(findings).toEqual([]);
    }
  });
});
