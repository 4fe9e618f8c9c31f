// Tests for the bundled AWS managed policies (lookup by ARN or name, partitions, customer look-alikes,
// documents match the reference copies) and the small ARN helpers they rely on.
import { ECR_WRITE_MANAGED_POLICY_NAMES, PULL_MANAGED_POLICY_NAMES } from '../../lambda/contract';
import {
  accountFromArn,
  awsManagedPolicyName,
  isIamPolicyArn,
  isIamRoleArn,
  matchesWildcard,
  parseArn,
  partitionFromArn,
  roleNameFromArn,
} from '../../lambda/domain/arn';
import {
  awsManagedPolicyArn,
  BUNDLED_MANAGED_POLICY_NAMES,
  bundledManagedPolicy,
  bundledPolicySource,
  isAwsManagedPolicy,
  NODE_WORKER_POLICIES,
} from '../../lambda/domain/managed-policies';

const statements = (document: unknown): Array<Record<string, unknown>> => {
  if (typeof document !== 'object' || document === null || !('Statement' in document)) return [];
  const list = document.Statement;
  return Array.isArray(list) ? list : [];
};

describe('bundled managed policies', () => {
  it('ships the nine documents the guard relies on', () => {
    expect([...BUNDLED_MANAGED_POLICY_NAMES].sort()).toEqual(
      [
        'AdministratorAccess',
        'AmazonEC2ContainerRegistryFullAccess',
        'AmazonEC2ContainerRegistryPowerUser',
        'AmazonEC2ContainerRegistryPullOnly',
        'AmazonEC2ContainerRegistryReadOnly',
        'AmazonEKSWorkerNodeMinimalPolicy',
        'AmazonEKSWorkerNodePolicy',
        'AmazonElasticContainerRegistryPublicFullAccess',
        'PowerUserAccess',
      ].sort(),
    );
  });

  it("bundles every policy of its own list and of the contract's write and pull lists", () => {
    for (const name of [
      ...ECR_WRITE_MANAGED_POLICY_NAMES,
      ...PULL_MANAGED_POLICY_NAMES,
      ...NODE_WORKER_POLICIES,
    ]) {
      expect(BUNDLED_MANAGED_POLICY_NAMES).toContain(name);
    }
    expect(ECR_WRITE_MANAGED_POLICY_NAMES).toEqual([
      'AmazonEC2ContainerRegistryFullAccess',
      'AmazonEC2ContainerRegistryPowerUser',
      'AmazonElasticContainerRegistryPublicFullAccess',
    ]);
    expect(PULL_MANAGED_POLICY_NAMES).toEqual([
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonEC2ContainerRegistryPullOnly',
    ]);
    expect(NODE_WORKER_POLICIES).toEqual(['AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodeMinimalPolicy']);
  });

  it('finds a policy by its AWS managed ARN, as the default version', () => {
    expect(bundledManagedPolicy('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly')).toMatchObject({
      arn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      name: 'AmazonEC2ContainerRegistryReadOnly',
      versionId: 'v3',
      isDefaultVersion: true,
    });
  });

  it.each(['aws-cn', 'aws-us-gov'])(
    'finds it in the %s partition and keeps that partition in the ARN',
    (partition) => {
      const arn = `arn:${partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly`;
      expect(bundledManagedPolicy(arn)?.arn).toBe(arn);
    },
  );

  it('finds a policy by its bare name', () => {
    expect(bundledManagedPolicy('PowerUserAccess')?.arn).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
  });

  it.each([
    [
      'a customer policy with the same name',
      'arn:aws:iam::111122223333:policy/AmazonEC2ContainerRegistryFullAccess',
    ],
    [
      'an AWS policy under a path',
      'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerRegistryFullAccess',
    ],
    ['an unbundled AWS policy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
    ['a role ARN', 'arn:aws:iam::aws:role/AdministratorAccess'],
    ['a different-case name', 'arn:aws:iam::aws:policy/administratoraccess'],
    ['not an ARN', 'arn:AdministratorAccess'],
    ['an unknown bare name', 'NotAPolicy'],
  ])('does not match %s', (_label, input) => {
    expect(bundledManagedPolicy(input)).toBeNull();
  });

  it('AdministratorAccess allows everything', () => {
    expect(statements(bundledManagedPolicy('AdministratorAccess')?.document)).toEqual([
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
  });

  it('PowerUserAccess allows everything but iam, organizations and account, plus a few of those', () => {
    const [notAction, extras] = statements(bundledManagedPolicy('PowerUserAccess')?.document);
    expect(notAction).toEqual({
      Effect: 'Allow',
      NotAction: ['iam:*', 'organizations:*', 'account:*'],
      Resource: '*',
    });
    expect(extras?.Action).toEqual(
      expect.arrayContaining([
        'iam:CreateServiceLinkedRole',
        'iam:DeleteServiceLinkedRole',
        'iam:ListRoles',
        'organizations:DescribeOrganization',
        'account:ListRegions',
        'account:GetAccountInformation',
      ]),
    );
    expect(bundledPolicySource('PowerUserAccess')).toContain('docs.aws.amazon.com');
  });

  it('every bundled document records where it came from', () => {
    for (const name of BUNDLED_MANAGED_POLICY_NAMES) expect(bundledPolicySource(name)).toMatch(/\S/);
    expect(bundledPolicySource('Nope')).toBeNull();
  });

  const actionsOf = (name: string): string[] =>
    statements(bundledManagedPolicy(name)?.document).flatMap((statement) => {
      const action = statement.Action;
      return typeof action === 'string' ? [action] : Array.isArray(action) ? action : [];
    });

  it.each([
    ['AmazonEC2ContainerRegistryReadOnly', 'v3', 12, 'ecr:DescribeImageScanFindings', 'ecr:PutImage'],
    ['AmazonEC2ContainerRegistryPullOnly', 'v1', 4, 'ecr:BatchImportUpstreamImage', 'ecr:PutImage'],
    ['AmazonEC2ContainerRegistryFullAccess', 'v3', 3, 'ecr:*', 'ecr-public:*'],
    ['AmazonEC2ContainerRegistryPowerUser', 'v3', 16, 'ecr:PutImage', 'ecr:BatchDeleteImage'],
    ['AmazonElasticContainerRegistryPublicFullAccess', 'v1', 2, 'ecr-public:*', 'ecr:*'],
    ['AmazonEKSWorkerNodePolicy', 'v3', 10, 'eks:DescribeCluster', 'ecr:GetAuthorizationToken'],
    ['AmazonEKSWorkerNodeMinimalPolicy', 'v1', 1, 'eks-auth:AssumeRoleForPodIdentity', 'eks:DescribeCluster'],
    ['AdministratorAccess', 'v1', 1, '*', 'ecr:*'],
    ['PowerUserAccess', 'v12', 9, 'iam:ListRoles', 'iam:*'],
  ])(
    '%s is version %s with %i actions, including %s and not %s',
    (name, versionId, count, present, absent) => {
      expect(bundledManagedPolicy(name)?.versionId).toBe(versionId);
      const actions = actionsOf(name);
      expect(actions).toHaveLength(count);
      expect(actions).toContain(present);
      expect(actions).not.toContain(absent);
    },
  );

  it('isAwsManagedPolicy compares the name in any partition, never a customer policy', () => {
    expect(
      isAwsManagedPolicy('arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'AmazonEKSWorkerNodePolicy'),
    ).toBe(true);
    expect(
      isAwsManagedPolicy(
        'arn:aws:iam::111122223333:policy/AmazonEKSWorkerNodePolicy',
        'AmazonEKSWorkerNodePolicy',
      ),
    ).toBe(false);
  });
});

describe('ARN helpers', () => {
  it('builds AWS managed policy ARNs for a partition', () => {
    expect(awsManagedPolicyArn('aws-us-gov', 'AmazonEC2ContainerRegistryReadOnly')).toBe(
      'arn:aws-us-gov:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    );
  });

  it('parses ARNs, keeping colons in the resource', () => {
    expect(parseArn('arn:aws:ecr:eu-west-1:111122223333:repository/a:b')).toEqual({
      partition: 'aws',
      service: 'ecr',
      region: 'eu-west-1',
      account: '111122223333',
      resource: 'repository/a:b',
    });
    expect(parseArn('not:an:arn')).toBeNull();
    expect(parseArn('arn:aws:iam::1')).toBeNull();
  });

  it.each([
    ['arn:aws:iam::111122223333:role/nodes', 'nodes'],
    ['arn:aws:iam::111122223333:role/team/eks/nodes', 'nodes'],
    ['arn:aws:iam::111122223333:role/', null],
    ['no-slash', null],
  ])('roleNameFromArn(%s) = %s', (arn, name) => {
    expect(roleNameFromArn(arn)).toBe(name);
  });

  it('reads partition and account', () => {
    expect(partitionFromArn('arn:aws-cn:iam::111122223333:role/x')).toBe('aws-cn');
    expect(partitionFromArn('role/x')).toBeNull();
    expect(accountFromArn('arn:aws:iam::111122223333:role/x')).toBe('111122223333');
    expect(accountFromArn('arn:aws:s3:::bucket')).toBeNull();
  });

  it('tells role ARNs from policy ARNs', () => {
    expect(isIamRoleArn('arn:aws:iam::111122223333:role/x')).toBe(true);
    expect(isIamRoleArn('arn:aws:iam::111122223333:user/x')).toBe(false);
    expect(isIamPolicyArn('arn:aws:iam::aws:policy/x')).toBe(true);
    expect(isIamPolicyArn('arn:aws:s3:::policy/x')).toBe(false);
    expect(awsManagedPolicyName('arn:aws:iam::aws:policy/x')).toBe('x');
    expect(awsManagedPolicyName('arn:aws:iam:us-east-1:aws:policy/x')).toBeNull();
  });

  it.each([
    ['*', 'anything', true],
    ['ci-*', 'ci-builder', true],
    ['*-builder', 'ci-builder', true],
    ['c?-builder', 'ci-builder', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['ci-', 'ci-builder', false],
    ['', '', true],
    ['**', '', true],
  ])('matchesWildcard(%j, %j) = %s', (pattern, text, expected) => {
    expect(matchesWildcard(pattern, text)).toBe(expected);
  });

  it('is case-sensitive unless asked, and copes with very long patterns', () => {
    expect(matchesWildcard('CI-*', 'ci-builder')).toBe(false);
    expect(matchesWildcard('CI-*', 'ci-builder', { ignoreCase: true })).toBe(true);
    expect(matchesWildcard('*'.repeat(100_000), 'sts:AssumeRole')).toBe(true);
    expect(matchesWildcard(`${'a*'.repeat(2_000)}b`, 'a'.repeat(2_000))).toBe(false);
  });
});
