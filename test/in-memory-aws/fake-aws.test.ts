// Tests for the fake AWS's cross-cutting behaviour: fault injection, the call log, wiring clients built
// elsewhere, seeding, and reading the snapshot format.
import { AccountClient } from '@aws-sdk/client-account';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import {
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { InvalidInputError, ReadAccessDeniedError } from '../../lambda/domain/errors';
import { EksGateway } from '../../lambda/gateways/eks-gateway';
import { IamGateway } from '../../lambda/gateways/iam-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const PUSH = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
};

describe('fault injection', () => {
  it('fails matching calls with the service own error, the given number of times', async () => {
    const fake = new FakeAws();
    fake.addRole({ name: 'nodes' });
    fake.addRole({ name: 'other' });
    fake.failOn({
      command: 'GetRoleCommand',
      match: (input) => input.RoleName === 'nodes',
      error: 'Throttling',
      times: 2,
    });
    const iam = fake.iamClient();

    await expect(iam.send(new GetRoleCommand({ RoleName: 'other' }))).resolves.toBeDefined();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(iam.send(new GetRoleCommand({ RoleName: 'nodes' }))).rejects.toMatchObject({
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nodes' }))).resolves.toBeDefined();
    expect(fake.callCount('iam', 'GetRole')).toBe(4);
  });

  it('translates each kind per service and lets the gateways map them', async () => {
    const fake = new FakeAws();
    fake.addRole({ name: 'nodes', inline: { push: PUSH } });
    fake.addCluster('us-east-1', { name: 'prod' });
    fake.failOn({ service: 'iam', command: 'GetRolePolicy', error: 'AccessDenied' });
    fake.failOn({ service: 'eks', command: 'ListClusters', error: 'AccessDenied', times: 1 });
    fake.failOn({ service: 'iam', command: 'GetPolicyVersion', error: 'ServiceFailure' });

    await expect(new IamGateway(fake.iamClient()).getRolePolicy('nodes', 'push')).rejects.toBeInstanceOf(
      ReadAccessDeniedError,
    );
    await expect(fake.eksClientFor('us-east-1').send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      fake.iamClient().send(new GetPolicyVersionCommand({ PolicyArn: 'arn:x', VersionId: 'v1' })),
    ).rejects.toBeInstanceOf(ServiceFailureException);
  });

  it('can target one region and can make EKS unreachable there', async () => {
    const fake = new FakeAws({ regions: ['us-east-1', 'eu-west-1'] });
    fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'eu-west-1',
      error: 'EndpointUnreachable',
    });
    const result = await new EksGateway((region) => fake.eksClientFor(region)).inventory(
      ['us-east-1', 'eu-west-1'],
      {
        concurrency: 2,
      },
    );
    expect(Object.keys(result.inventory)).toEqual(['us-east-1']);
    expect(result.warnings).toEqual([expect.objectContaining({ region: 'eu-west-1', code: 'ENOTFOUND' })]);
  });

  it('throws a given error instance as is, and clearFaults removes every rule', async () => {
    const fake = new FakeAws();
    fake.addRole({ name: 'r' });
    const custom = new Error('custom failure');
    fake.failOn({ command: 'GetRole', error: custom });
    await expect(fake.iamClient().send(new GetRoleCommand({ RoleName: 'r' }))).rejects.toBe(custom);
    fake.clearFaults();
    await expect(fake.iamClient().send(new GetRoleCommand({ RoleName: 'r' }))).resolves.toBeDefined();
  });
});

describe('call log and wiring', () => {
  it('logs every call with its input, and resetCalls empties the log', async () => {
    const fake = new FakeAws();
    fake.addRole({ name: 'r', inline: { p: PUSH } });
    await fake.iamClient().send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'p' }));
    expect(fake.calls).toEqual([
      {
        service: 'iam',
        command: 'GetRolePolicy',
        input: { RoleName: 'r', PolicyName: 'p' },
        region: 'us-east-1',
      },
    ]);
    fake.resetCalls();
    expect(fake.calls).toEqual([]);
  });

  it('wires clients built elsewhere (e.g. by the composition root) without sending anything', async () => {
    const fake = new FakeAws({ regions: ['eu-central-1'] });
    fake.addRole({ name: 'r' });
    const topicArn = fake.addTopic('alerts');
    const iam = fake.connect(new IAMClient({ region: 'us-east-1', retryMode: 'adaptive', maxAttempts: 5 }));
    const eks = fake.connect(new EKSClient({ region: 'eu-central-1' }));
    const sns = fake.connect(new SNSClient({ region: 'us-east-1' }));
    fake.connect(new AccountClient({ region: 'us-east-1' }));

    await expect(iam.send(new GetRoleCommand({ RoleName: 'r' }))).resolves.toMatchObject({
      Role: { RoleName: 'r' },
    });
    await expect(eks.send(new ListClustersCommand({}))).resolves.toMatchObject({ clusters: [] });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hi' }));
    expect(fake.calls.map((call) => `${call.service}:${call.command}@${call.region}`)).toEqual([
      'iam:GetRole@us-east-1',
      'eks:ListClusters@eu-central-1',
      'sns:Publish@us-east-1',
    ]);
  });

  it('clients() hands out the four clients in the composition root shape', () => {
    const fake = new FakeAws();
    const clients = fake.clients();
    expect(clients.iam).toBe(fake.iamClient());
    expect(clients.eksFor('us-east-1')).toBe(fake.eksClientFor('us-east-1'));
    expect(clients.sns).toBeInstanceOf(SNSClient);
    expect(clients.account).toBeInstanceOf(AccountClient);
  });

  it('roleState copies the state and rejects unknown roles', () => {
    const fake = new FakeAws();
    fake.addRole({ name: 'r', attached: ['arn:a'], inline: { broken: '{not json' } });
    const state = fake.roleState('r');
    state.attached.push('arn:b');
    expect(fake.roleState('r')).toEqual({ attached: ['arn:a'], inline: { broken: '{not json' } });
    expect(() => fake.roleState('ghost')).toThrow('no role named ghost');
  });
});

describe('seeding', () => {
  it('seeds the bundled AWS managed policies in the fake partition unless asked not to', () => {
    const china = new FakeAws({ partition: 'aws-cn' });
    expect(china.policyState('arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly')).toMatchObject({
      defaultVersionId: 'v3',
    });
    expect(china.policyState('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly')).toBeNull();
    const bare = new FakeAws({ seedAwsManagedPolicies: false });
    expect(bare.policyState('arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly')).toBeNull();
  });

  it('accepts documents as objects, JSON text or URL-encoded text', async () => {
    const fake = new FakeAws();
    fake.addRole({
      name: 'r',
      trustPolicy: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [] })),
      inline: { object: PUSH, text: JSON.stringify(PUSH), encoded: encodeURIComponent(JSON.stringify(PUSH)) },
    });
    expect(fake.roleState('r').inline).toEqual({ object: PUSH, text: PUSH, encoded: PUSH });
    await expect(new IamGateway(fake.iamClient()).getRole('r')).resolves.toMatchObject({
      trustPolicy: { Version: '2012-10-17', Statement: [] },
    });
  });
});

describe('FakeAws.fromSnapshot', () => {
  const snapshot = {
    accountId: '444455556666',
    partition: 'aws',
    iam: {
      RoleDetailList: [
        {
          RoleName: 'eks-node',
          Path: '/nodes/',
          Arn: 'arn:aws:iam::444455556666:role/nodes/eks-node',
          AssumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] }),
          ),
          RolePolicyList: [{ PolicyName: 'push', PolicyDocument: PUSH }],
          AttachedManagedPolicies: [
            {
              PolicyName: 'AmazonEC2ContainerRegistryFullAccess',
              PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
            },
            { PolicyName: 'ci', PolicyArn: 'arn:aws:iam::444455556666:policy/ci' },
          ],
          Tags: [{ Key: 'team', Value: 'platform' }],
          CreateDate: '2024-01-01T00:00:00Z',
        },
      ],
      Policies: [
        {
          PolicyName: 'ci',
          Arn: 'arn:aws:iam::444455556666:policy/ci',
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            { VersionId: 'v1', Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}') },
            { VersionId: 'v2', Document: PUSH, IsDefaultVersion: true },
          ],
        },
      ],
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            nodegroups: [{ nodegroupName: 'ng', nodeRole: 'arn:aws:iam::444455556666:role/nodes/eks-node' }],
            accessEntries: [],
            fargateProfiles: [],
          },
        ],
      },
    },
  };

  it('builds the account the snapshot describes, served through the real gateways', async () => {
    const fake = FakeAws.fromSnapshot(JSON.stringify(snapshot));
    expect(fake.accountId).toBe('444455556666');
    const iam = new IamGateway(fake.iamClient());
    await expect(iam.getRole('eks-node')).resolves.toMatchObject({
      arn: 'arn:aws:iam::444455556666:role/nodes/eks-node',
      path: '/nodes/',
      tags: { team: 'platform' },
      permissionsBoundaryArn: null,
    });
    await expect(iam.getRolePolicy('eks-node', 'push')).resolves.toEqual(PUSH);
    await expect(iam.getPolicy('arn:aws:iam::444455556666:policy/ci')).resolves.toMatchObject({
      defaultVersionId: 'v2',
    });
    await expect(iam.getPolicyVersion('arn:aws:iam::444455556666:policy/ci', 'v1')).resolves.toEqual({
      document: { Version: '2012-10-17', Statement: [] },
      isDefaultVersion: false,
    });
    const { inventory } = await new EksGateway((region) => fake.eksClientFor(region)).inventory(
      ['eu-west-1'],
      {
        concurrency: 1,
      },
    );
    expect(inventory['eu-west-1']?.clusters[0]?.nodegroups).toEqual([
      { nodegroupName: 'ng', nodeRole: 'arn:aws:iam::444455556666:role/nodes/eks-node', tags: {} },
    ]);
    expect(fake.roleState('eks-node').attached).toHaveLength(2);
  });

  it('round-trips: a snapshot taken from the fake rebuilds the same account', async () => {
    const first = FakeAws.fromSnapshot(snapshot);
    const details = await new IamGateway(first.iamClient()).accountAuthorizationDetails();
    const second = FakeAws.fromSnapshot({ accountId: first.accountId, iam: details, eks: snapshot.eks });
    expect(second.roleState('eks-node')).toEqual(first.roleState('eks-node'));
    expect(second.policyState('arn:aws:iam::444455556666:policy/ci')).toEqual(
      first.policyState('arn:aws:iam::444455556666:policy/ci'),
    );
  });

  it('rejects what is not a snapshot with InvalidInputError naming the field', () => {
    expect(() => FakeAws.fromSnapshot('{ nope')).toThrow(InvalidInputError);
    expect(() => FakeAws.fromSnapshot({ iam: { RoleDetailList: [{ Arn: 'x' }] } })).toThrow(
      /RoleDetailList\[0\]\.RoleName/,
    );
    expect(() => FakeAws.fromSnapshot({ accountId: '12' })).toThrow(/accountId/);
  });

  it('takes account and partition from the first role ARN when absent, and the quota from quotas', async () => {
    const { accountId: _drop, partition: _alsoDrop, ...rest } = snapshot;
    const fake = FakeAws.fromSnapshot({ ...rest, quotas: { attachedPoliciesPerRole: 20 } });
    expect(fake.accountId).toBe('444455556666');
    expect(fake.partition).toBe('aws');
    await expect(new IamGateway(fake.iamClient()).attachedPoliciesPerRoleQuota()).resolves.toBe(20);
  });

  it('accepts the smallest snapshot the format allows (an empty iam section)', () => {
    const fake = FakeAws.fromSnapshot({ iam: {} });
    expect(fake.accountId).toBe('111122223333');
  });

  it('reads the one snapshot format: what the CLI loader rejects, it rejects with the same message', () => {
    const noArn = { iam: { RoleDetailList: [{ RoleName: 'r' }] } };
    for (const json of [{}, noArn, { ...snapshot, accountId: '12' }]) {
      let expected = '';
      try {
        loadSnapshot(json, 'account snapshot');
      } catch (error) {
        expected = error instanceof Error ? error.message : String(error);
      }
      expect(expected).toMatch(/^invalid account snapshot: /);
      expect(() => FakeAws.fromSnapshot(json)).toThrow(expected);
    }
  });
});
