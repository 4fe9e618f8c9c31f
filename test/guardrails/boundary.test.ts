// Tests for the node-role boundary: what it keeps (worker node, CNI, pulls, pull-through import, eks-auth, SSM),
// that it allows no ECR write, and — proven by the analyser — that over FullAccess it leaves no write and every pull.
import { analyseRolePolicies } from '../../lambda/domain/analysis';
import { NODE_PULL_ACTIONS, pullAllowance, WRITE_ACTIONS } from '../../lambda/domain/catalogue';
import { bundledManagedPolicy } from '../../lambda/domain/managed-policies';
import type { PolicyInput } from '../../lambda/domain/types';
import { BOUNDARY_DENY_SID, buildBoundary } from '../../lambda/guardrails/boundary';
import type { BoundaryOptions } from '../../lambda/guardrails/options';
import { MANAGED_POLICY_MAX_CHARS, type PolicyDocument, policySize } from '../../lambda/guardrails/policy';

const OPTIONS: BoundaryOptions = {
  partition: 'aws',
  pullAllowance: pullAllowance([]),
  ssmCore: true,
  extraActions: [],
};

function managed(name: string): PolicyInput {
  const policy = bundledManagedPolicy(name);
  if (policy === null) throw new Error(`${name} is not bundled`);
  return { ref: { kind: 'aws-managed', name, arn: policy.arn }, document: policy.document };
}

function allowedActions(document: PolicyDocument): string[] {
  return document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    typeof s.Action === 'string' ? [s.Action] : [...s.Action],
  );
}

const boundaryInput = (document: PolicyDocument): PolicyInput => ({
  ref: {
    kind: 'customer-managed',
    name: 'eks-node-boundary',
    arn: 'arn:aws:iam::111122223333:policy/eks-node-boundary',
  },
  document,
});

describe('buildBoundary', () => {
  const boundary = buildBoundary(OPTIONS);
  const allowed = allowedActions(boundary);

  it('keeps the worker node actions of both bundled worker node policies, eks-auth included', () => {
    expect(allowed).toEqual(
      expect.arrayContaining([
        'ec2:DescribeInstances',
        'ec2:DescribeRouteTables',
        'ec2:DescribeVolumesModifications',
        'eks:DescribeCluster',
        'eks-auth:AssumeRoleForPodIdentity',
      ]),
    );
  });

  it('keeps the VPC CNI actions, with ec2:CreateTags scoped to network interfaces', () => {
    expect(allowed).toEqual(
      expect.arrayContaining([
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:ModifyNetworkInterfaceAttribute',
        'ec2:UnassignPrivateIpAddresses',
      ]),
    );
    const tagging = boundary.Statement.find((s) => s.Action === 'ec2:CreateTags');
    expect(tagging?.Resource).toBe('arn:aws:ec2:*:*:network-interface/*');
    expect(buildBoundary({ ...OPTIONS, partition: 'aws-us-gov' }).Statement[1]?.Resource).toBe(
      'arn:aws-us-gov:ec2:*:*:network-interface/*',
    );
  });

  it('keeps the pulls of ReadOnly and PullOnly and the pull-through import, not CreateRepository', () => {
    expect(allowed).toEqual(expect.arrayContaining([...NODE_PULL_ACTIONS, 'ecr:BatchImportUpstreamImage']));
    expect(allowed).toEqual(
      expect.arrayContaining(['ecr:DescribeImages', 'ecr:BatchCheckLayerAvailability']),
    );
    expect(allowed).not.toContain('ecr:CreateRepository');
  });

  it('allows no ECR write of any kind, beyond the pull allowance', () => {
    const writes = new Set(WRITE_ACTIONS.filter((action) => action !== 'ecr:BatchImportUpstreamImage'));
    expect(allowed.filter((action) => writes.has(action) || action.includes('*'))).toEqual([]);
  });

  it('keeps SSM core unless asked not to', () => {
    expect(allowed).toEqual(
      expect.arrayContaining(['ssm:UpdateInstanceInformation', 'ssmmessages:OpenDataChannel']),
    );
    const withoutSsm = allowedActions(buildBoundary({ ...OPTIONS, ssmCore: false }));
    expect(withoutSsm.filter((action) => action.startsWith('ssm'))).toEqual([]);
  });

  it('adds the extra actions in their own statement', () => {
    const extra = buildBoundary({ ...OPTIONS, extraActions: ['logs:PutLogEvents', 'logs:PutLogEvents'] });
    expect(extra.Statement.find((s) => s.Sid === 'AllowExtraNodeActions')?.Action).toEqual([
      'logs:PutLogEvents',
    ]);
  });

  it('ends with an unconditional explicit Deny of every ECR write but the pull-through import', () => {
    const deny = boundary.Statement.at(-1);
    expect(deny).toEqual({
      Sid: BOUNDARY_DENY_SID,
      Effect: 'Deny',
      Action: WRITE_ACTIONS.filter((action) => action !== 'ecr:BatchImportUpstreamImage'),
      Resource: '*',
    });
  });

  it('fits the managed policy size limit', () => {
    expect(policySize(boundary)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
  });

  const PULLS = [...NODE_PULL_ACTIONS, 'ecr:BatchImportUpstreamImage'];
  const pullsOf = (identity: PolicyInput[], withBoundary: boolean): string[] =>
    analyseRolePolicies(
      { identity, boundary: withBoundary ? boundaryInput(boundary) : null },
      { pullAllowance: OPTIONS.pullAllowance },
    ).allowed.filter((action) => PULLS.includes(action));

  it.each([
    ['AmazonEC2ContainerRegistryFullAccess', PULLS],
    ['AmazonEC2ContainerRegistryPowerUser', NODE_PULL_ACTIONS],
    ['AmazonElasticContainerRegistryPublicFullAccess', []],
    ['AdministratorAccess', PULLS],
    ['PowerUserAccess', PULLS],
  ])('over a role holding %s, the analyser finds no write action and keeps its pulls', (name, pulls) => {
    const identity = [managed(name), managed('AmazonEKSWorkerNodePolicy')];
    const analysis = analyseRolePolicies(
      { identity, boundary: boundaryInput(boundary) },
      { pullAllowance: OPTIONS.pullAllowance },
    );
    expect(analysis.unusablePolicies).toEqual([]);
    expect(analysis.writeActions).toEqual([]);
    expect(pullsOf(identity, true)).toEqual(pullsOf(identity, false));
    expect([...pullsOf(identity, true)].sort()).toEqual([...pulls].sort());
  });

  it('over the node policies nodes should have (worker node + PullOnly), every pull stays', () => {
    const identity = [managed('AmazonEKSWorkerNodePolicy'), managed('AmazonEC2ContainerRegistryPullOnly')];
    expect([...pullsOf(identity, true)].sort()).toEqual([...PULLS].sort());
  });

  it('the analyser reports the writes FullAccess loses as blocked by the boundary', () => {
    const analysis = analyseRolePolicies(
      { identity: [managed('AmazonEC2ContainerRegistryFullAccess')], boundary: boundaryInput(boundary) },
      { pullAllowance: OPTIONS.pullAllowance },
    );
    expect(analysis.blockedByBoundary).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr:DeleteRepository']),
    );
  });
});
