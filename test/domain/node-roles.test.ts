// Tests for node-role evidence: each EKS evidence kind, ARNs with paths, ignored STANDARD entries and
// disabled Auto Mode, the trust + worker-policy heuristic, deduplication and the exposed clusters.
import {
  buildNodeRoleIndex,
  exposedClusters,
  isNodeRole,
  type NodeRoleCandidate,
  nodeRoleEvidence,
  trustAllowsEc2,
  trustMakesNodeRoleCandidate,
  withEventEvidence,
} from '../../lambda/domain/node-roles';
import type { EksClusterRecord, EksInventory, NodeRoleEvidence } from '../../lambda/domain/types';

const ACCOUNT = '111122223333';
const roleArn = (name: string, path = '/'): string => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;
const WORKER = {
  name: 'AmazonEKSWorkerNodePolicy',
  arn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
};
const MINIMAL = {
  name: 'AmazonEKSWorkerNodeMinimalPolicy',
  arn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy',
};
const ec2Trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

const cluster = (name: string, parts: Partial<EksClusterRecord>): EksClusterRecord => ({
  name,
  nodegroups: [],
  accessEntries: [],
  fargateProfiles: [],
  ...parts,
});

const candidate = (name: string, parts: Partial<NodeRoleCandidate> = {}): NodeRoleCandidate => ({
  name,
  trustPolicy: null,
  attachedPolicies: [],
  ...parts,
});

const evidenceFor = (inventory: EksInventory, role: NodeRoleCandidate): NodeRoleEvidence[] =>
  nodeRoleEvidence(role, buildNodeRoleIndex(inventory));

describe('EKS evidence', () => {
  it('managed node group → managed-nodegroup with region, cluster, node group and ARN', () => {
    const inventory = {
      'eu-west-1': {
        clusters: [
          cluster('prod', { nodegroups: [{ nodegroupName: 'ng-1', nodeRole: roleArn('ng-role') }] }),
        ],
      },
    };
    expect(evidenceFor(inventory, candidate('ng-role'))).toEqual([
      {
        kind: 'managed-nodegroup',
        region: 'eu-west-1',
        cluster: 'prod',
        nodegroup: 'ng-1',
        roleArn: roleArn('ng-role'),
      },
    ]);
  });

  it.each(['EC2_LINUX', 'EC2_WINDOWS', 'HYBRID_LINUX', 'EC2', 'HYPERPOD_LINUX', 'FARGATE_LINUX'])(
    'access entry of type %s → access-entry evidence with its type',
    (type) => {
      const inventory = {
        'us-east-2': { clusters: [cluster('c', { accessEntries: [{ principalArn: roleArn('r'), type }] })] },
      };
      expect(evidenceFor(inventory, candidate('r'))).toEqual([
        {
          kind: 'access-entry',
          region: 'us-east-2',
          cluster: 'c',
          accessEntryType: type,
          roleArn: roleArn('r'),
        },
      ]);
    },
  );

  it.each(['STANDARD', 'SOMETHING_NEW', 'ec2_linux'])(
    'access entry of type %s is not node evidence',
    (type) => {
      const inventory = {
        'us-east-2': { clusters: [cluster('c', { accessEntries: [{ principalArn: roleArn('r'), type }] })] },
      };
      expect(evidenceFor(inventory, candidate('r'))).toEqual([]);
    },
  );

  it('ignores access entries whose principal is a user, not a role', () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/r`;
    const inventory = {
      'us-east-2': {
        clusters: [cluster('c', { accessEntries: [{ principalArn: userArn, type: 'EC2_LINUX' }] })],
      },
    };
    expect(evidenceFor(inventory, candidate('r'))).toEqual([]);
  });

  it('Auto Mode node role → auto-mode when enabled is true or absent', () => {
    const inventory = {
      'us-east-2': {
        clusters: [
          cluster('a', { computeConfig: { enabled: true, nodeRoleArn: roleArn('auto') } }),
          cluster('b', { computeConfig: { nodeRoleArn: roleArn('auto') } }),
        ],
      },
    };
    expect(evidenceFor(inventory, candidate('auto'))).toEqual([
      { kind: 'auto-mode', region: 'us-east-2', cluster: 'a', roleArn: roleArn('auto') },
      { kind: 'auto-mode', region: 'us-east-2', cluster: 'b', roleArn: roleArn('auto') },
    ]);
  });

  it('disabled Auto Mode is not evidence, nor is a computeConfig without a node role', () => {
    const inventory = {
      'us-east-2': {
        clusters: [
          cluster('a', { computeConfig: { enabled: false, nodeRoleArn: roleArn('auto') } }),
          cluster('b', { computeConfig: { enabled: true } }),
        ],
      },
    };
    expect(evidenceFor(inventory, candidate('auto'))).toEqual([]);
  });

  it('Fargate profile → fargate-profile with the profile name', () => {
    const inventory = {
      'eu-west-1': {
        clusters: [
          cluster('prod', {
            fargateProfiles: [{ fargateProfileName: 'fp', podExecutionRoleArn: roleArn('pod-exec') }],
          }),
        ],
      },
    };
    expect(evidenceFor(inventory, candidate('pod-exec'))).toEqual([
      {
        kind: 'fargate-profile',
        region: 'eu-west-1',
        cluster: 'prod',
        fargateProfile: 'fp',
        roleArn: roleArn('pod-exec'),
      },
    ]);
  });

  it('indexes by the role name, the last ARN segment, so pathed ARNs match the name events carry', () => {
    const pathed = roleArn('nodes', '/team/eks/');
    const inventory = {
      'eu-west-1': {
        clusters: [cluster('prod', { nodegroups: [{ nodegroupName: 'ng', nodeRole: pathed }] })],
      },
    };
    const index = buildNodeRoleIndex(inventory);
    expect([...index.keys()]).toEqual(['nodes']);
    expect(nodeRoleEvidence(candidate('nodes'), index)).toEqual([
      { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng', roleArn: pathed },
    ]);
  });

  it('matches a role name that differs only in case (IAM names are unique ignoring case)', () => {
    const inventory = {
      'eu-west-1': {
        clusters: [cluster('prod', { nodegroups: [{ nodegroupName: 'ng', nodeRole: roleArn('NodeRole') }] })],
      },
    };
    expect(evidenceFor(inventory, candidate('noderole'))).toHaveLength(1);
  });

  it('does not match other roles', () => {
    const inventory = {
      'eu-west-1': {
        clusters: [cluster('prod', { nodegroups: [{ nodegroupName: 'ng', nodeRole: roleArn('a') }] })],
      },
    };
    expect(evidenceFor(inventory, candidate('b'))).toEqual([]);
    expect(evidenceFor(inventory, candidate('a-b'))).toEqual([]);
  });

  it('combines evidence across clusters and regions and deduplicates identical entries', () => {
    const entry = { principalArn: roleArn('r'), type: 'EC2_LINUX' };
    const inventory = {
      'us-east-2': { clusters: [cluster('staging', { accessEntries: [entry, entry] })] },
      'eu-west-1': {
        clusters: [
          cluster('prod', {
            nodegroups: [{ nodegroupName: 'ng', nodeRole: roleArn('r') }],
            accessEntries: [entry],
          }),
        ],
      },
    };
    const evidence = evidenceFor(inventory, candidate('r'));
    expect(evidence.map((item) => `${item.region}/${item.cluster}/${item.kind}`)).toEqual([
      'eu-west-1/prod/managed-nodegroup',
      'eu-west-1/prod/access-entry',
      'us-east-2/staging/access-entry',
    ]);
    expect(isNodeRole(evidence)).toBe(true);
  });
});

describe('heuristic', () => {
  it('needs an EC2 trust AND an attached worker-node policy', () => {
    const evidence = nodeRoleEvidence(
      candidate('self-managed', { trustPolicy: ec2Trust, attachedPolicies: [WORKER] }),
      new Map(),
    );
    expect(evidence).toEqual([
      {
        kind: 'heuristic',
        region: null,
        cluster: null,
        detail: expect.stringContaining('AmazonEKSWorkerNodePolicy'),
      },
    ]);
    expect(isNodeRole(evidence)).toBe(true);
  });

  it('accepts the minimal worker-node policy, in another partition', () => {
    const minimalCn = { ...MINIMAL, arn: 'arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy' };
    const trustCn = {
      Statement: {
        Effect: 'Allow',
        Principal: { Service: ['ec2.amazonaws.com.cn'] },
        Action: ['sts:AssumeRole'],
      },
    };
    expect(
      nodeRoleEvidence(candidate('r', { trustPolicy: trustCn, attachedPolicies: [minimalCn] }), new Map()),
    ).toHaveLength(1);
  });

  it('is not enough to have the EC2 trust alone', () => {
    expect(nodeRoleEvidence(candidate('r', { trustPolicy: ec2Trust }), new Map())).toEqual([]);
  });

  it('is not enough to have the worker policy alone', () => {
    expect(nodeRoleEvidence(candidate('r', { attachedPolicies: [WORKER] }), new Map())).toEqual([]);
  });

  it('does not accept a customer policy that borrows the worker policy name', () => {
    const fake = {
      name: 'AmazonEKSWorkerNodePolicy',
      arn: `arn:aws:iam::${ACCOUNT}:policy/AmazonEKSWorkerNodePolicy`,
    };
    expect(
      nodeRoleEvidence(candidate('r', { trustPolicy: ec2Trust, attachedPolicies: [fake] }), new Map()),
    ).toEqual([]);
  });

  it('reads trust policies given as JSON or URL-encoded strings', () => {
    for (const trustPolicy of [JSON.stringify(ec2Trust), encodeURIComponent(JSON.stringify(ec2Trust))]) {
      expect(
        nodeRoleEvidence(candidate('r', { trustPolicy, attachedPolicies: [WORKER] }), new Map()),
      ).toHaveLength(1);
    }
  });

  it('is reported alongside EKS evidence', () => {
    const inventory = {
      'eu-west-1': {
        clusters: [cluster('prod', { nodegroups: [{ nodegroupName: 'ng', nodeRole: roleArn('r') }] })],
      },
    };
    const kinds = evidenceFor(
      inventory,
      candidate('r', { trustPolicy: ec2Trust, attachedPolicies: [WORKER, MINIMAL] }),
    ).map((e) => e.kind);
    expect(kinds).toEqual(['managed-nodegroup', 'heuristic']);
  });
});

describe('trustAllowsEc2', () => {
  const statement = (parts: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...parts },
    ],
  });

  it.each([
    ['sts:AssumeRole', statement({})],
    ['an action list', statement({ Action: ['sts:TagSession', 'sts:AssumeRole'] })],
    ['sts:*', statement({ Action: 'sts:*' })],
    ['*', statement({ Action: '*' })],
    ['sts:Assume* in another case', statement({ Action: 'STS:assume*' })],
    ['NotAction that leaves AssumeRole in', statement({ Action: undefined, NotAction: 'sts:TagSession' })],
    ['a service list', statement({ Principal: { Service: ['ssm.amazonaws.com', 'ec2.amazonaws.com'] } })],
    [
      'a condition (still a trust for EC2)',
      statement({ Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }),
    ],
  ])('is true for %s', (_label, trust) => {
    expect(trustAllowsEc2(trust)).toBe(true);
  });

  it.each([
    ['a Deny', statement({ Effect: 'Deny' })],
    ['another service', statement({ Principal: { Service: 'eks-fargate-pods.amazonaws.com' } })],
    ['a wildcard principal', statement({ Principal: '*' })],
    ['an AWS principal', statement({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })],
    ['AssumeRoleWithWebIdentity only', statement({ Action: 'sts:AssumeRoleWithWebIdentity' })],
    ['NotAction excluding AssumeRole', statement({ Action: undefined, NotAction: 'sts:Assume*' })],
    ['no action at all', statement({ Action: undefined })],
    ['null', null],
    ['garbage', 'not json'],
    ['a statement that is not an object', { Statement: ['x'] }],
  ])('is false for %s', (_label, trust) => {
    expect(trustAllowsEc2(trust)).toBe(false);
  });
});

describe('exposedClusters', () => {
  it('lists unique region/cluster pairs, sorted, skipping heuristic evidence', () => {
    const evidence: NodeRoleEvidence[] = [
      { kind: 'access-entry', region: 'us-east-2', cluster: 'staging', accessEntryType: 'EC2' },
      { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'b' },
      { kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'a' },
      { kind: 'auto-mode', region: 'eu-west-1', cluster: 'batch' },
      { kind: 'heuristic', region: null, cluster: null, detail: 'x' },
    ];
    expect(exposedClusters(evidence)).toEqual([
      { region: 'eu-west-1', cluster: 'batch' },
      { region: 'eu-west-1', cluster: 'prod' },
      { region: 'us-east-2', cluster: 'staging' },
    ]);
  });

  it('is empty for no evidence, and isNodeRole is false', () => {
    expect(exposedClusters([])).toEqual([]);
    expect(isNodeRole([])).toBe(false);
  });
});

describe('event evidence and trust changes', () => {
  const fromEvent = {
    kind: 'managed-nodegroup',
    region: 'eu-west-1',
    cluster: 'prod',
    nodegroup: 'ng-1',
    roleArn: 'arn:aws:iam::111122223333:role/nodes',
    detail: 'named as the node role by CreateNodegroup (the node group may still be CREATING)',
  } as const;

  it('adds what the event says unless the inventory already shows the same tie', () => {
    expect(withEventEvidence([], fromEvent)).toEqual([fromEvent]);
    const listed = { ...fromEvent, detail: undefined };
    expect(withEventEvidence([listed], fromEvent)).toEqual([listed]);
    const otherGroup = { ...fromEvent, nodegroup: 'ng-2' };
    expect(withEventEvidence([otherGroup], fromEvent)).toEqual([otherGroup, fromEvent]);
  });

  it.each([
    ['EC2', { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, true],
    [
      'EC2 in China',
      { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com.cn'] }, Action: 'sts:*' },
      true,
    ],
    [
      'EKS Fargate',
      { Effect: 'Allow', Principal: { Service: 'eks-fargate-pods.amazonaws.com' }, Action: 'sts:AssumeRole' },
      true,
    ],
    [
      'EKS Pod Identity',
      { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      false,
    ],
    [
      'a Deny',
      { Effect: 'Deny', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      false,
    ],
    [
      'TagSession only',
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:TagSession' },
      false,
    ],
  ])('a trust policy for %s makes a node-role candidate: %s', (_name, statement, expected) => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
    expect(trustMakesNodeRoleCandidate(document)).toBe(expected);
  });

  it('counts an unreadable trust document as a candidate (the role is re-read, never guessed)', () => {
    expect(trustMakesNodeRoleCandidate('{not json')).toBe(true);
  });
});
