// Presenter helper: the pod-role path (EKS Pod Identity role, repository-scoped push policy, association).
import { podRoleName, podRolePath } from '../../lambda/present/pod-role';

const evidence = [
  { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-1' },
  { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-2' },
  { kind: 'access-entry', region: 'us-east-2', cluster: 'ci' },
] as const;

describe('podRolePath', () => {
  const path = podRolePath({
    partition: 'aws',
    accountId: '111122223333',
    nodeRoleName: 'ng-role',
    evidence,
    repositories: ['eu-west-1/ci/builder', 'us-east-2/app'],
  });

  it('trusts pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession', () => {
    expect(path.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        },
      ],
    });
  });

  it('scopes the push actions to the repositories the usage evidence names; the login token on *', () => {
    expect(path.pushPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PushToTheseRepositories',
          Effect: 'Allow',
          Action: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:CompleteLayerUpload',
            'ecr:InitiateLayerUpload',
            'ecr:PutImage',
            'ecr:UploadLayerPart',
          ],
          Resource: [
            'arn:aws:ecr:eu-west-1:111122223333:repository/ci/builder',
            'arn:aws:ecr:us-east-2:111122223333:repository/app',
          ],
        },
        { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      ],
    });
  });

  it('creates the role, puts the policy, and associates it in each cluster once (placeholders for the workload)', () => {
    expect(path.commands.map((command) => command.slice(0, 3).join(' '))).toEqual([
      'aws iam create-role',
      'aws iam put-role-policy',
      'aws eks create-pod-identity-association',
      'aws eks create-pod-identity-association',
    ]);
    expect(path.commands[2]).toEqual([
      'aws',
      'eks',
      'create-pod-identity-association',
      '--region',
      'eu-west-1',
      '--cluster-name',
      'prod',
      '--namespace',
      '<NAMESPACE>',
      '--service-account',
      '<SERVICE_ACCOUNT>',
      '--role-arn',
      'arn:aws:iam::111122223333:role/ng-role-ecr-push',
    ]);
    expect(JSON.parse(path.commands[0]?.[6] ?? '')).toEqual(path.trustPolicy);
    expect(path.placeholders).toEqual(['<NAMESPACE>', '<SERVICE_ACCOUNT>']);
  });

  it('uses placeholders where nothing is known, and the given namespace and service account', () => {
    const bare = podRolePath({
      partition: 'aws-cn',
      accountId: null,
      nodeRoleName: 'ng',
      evidence: [{ kind: 'heuristic', region: null, cluster: null }],
      repositories: [],
      namespace: 'ci',
      serviceAccount: 'builder',
    });
    expect(bare.roleArn).toBe('arn:aws-cn:iam::<ACCOUNT_ID>:role/ng-ecr-push');
    expect(bare.placeholders).toEqual(['<ACCOUNT_ID>', '<REGION>', '<REPOSITORY>', '<CLUSTER>']);
    expect(bare.commands[2]).toContain('builder');
  });

  it('keeps the role name within 64 characters', () => {
    expect(podRoleName('x'.repeat(64))).toHaveLength(64);
    expect(podRoleName('x'.repeat(64)).endsWith('-ecr-push')).toBe(true);
  });
});
