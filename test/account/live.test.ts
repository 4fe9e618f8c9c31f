// Tests for the live account view over the real gateways and the in-memory fake AWS: call counts of each
// read, the warm node-role inventory cache and the managed-policy version cache.
import { CreatePolicyVersionCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { LiveAccountView, type LiveAccountViewOptions } from '../../lambda/account/live';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { EksGateway, EksRegionUnavailableError } from '../../lambda/gateways/eks-gateway';
import { IamGateway } from '../../lambda/gateways/iam-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const PUSH = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
};
const PULL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' }],
};

function setup(overrides: Partial<LiveAccountViewOptions> = {}) {
  const fake = new FakeAws({ regions: ['us-east-1', 'eu-west-1'] });
  const nodeRoleArn = fake.addRole({
    name: 'nodes',
    attached: [fake.awsManagedPolicyArn('AmazonEKSWorkerNodePolicy')],
  });
  fake.addCluster('us-east-1', {
    name: 'prod',
    nodegroups: [{ nodegroupName: 'ng', nodeRole: nodeRoleArn }],
  });
  fake.addCluster('eu-west-1', { name: 'dr' });
  let clock = 1_000_000;
  const view = new LiveAccountView({
    iam: new IamGateway(fake.iamClient()),
    eks: new EksGateway((region) => fake.eksClientFor(region)),
    regions: ['us-east-1', 'eu-west-1'],
    accountId: fake.accountId,
    partition: 'aws',
    nodeRoleCacheTtlSeconds: 300,
    now: () => clock,
    ...overrides,
  });
  const advance = (seconds: number) => {
    clock += seconds * 1000;
  };
  return { fake, view, advance };
}

describe('LiveAccountView.getRole', () => {
  it('composes GetRole, ListAttachedRolePolicies and ListRolePolicies into a RoleRecord (3 calls)', async () => {
    const { fake, view } = setup();
    fake.addRole({
      name: 'ci',
      path: '/build/',
      tags: { team: 'platform' },
      attached: [fake.awsManagedPolicyArn('AmazonEC2ContainerRegistryPowerUser')],
      inline: { push: PUSH },
      permissionsBoundaryArn: fake.awsManagedPolicyArn('PowerUserAccess'),
    });
    fake.resetCalls();

    const role = await view.getRole('ci');

    expect(role).toEqual({
      name: 'ci',
      arn: 'arn:aws:iam::111122223333:role/build/ci',
      path: '/build/',
      trustPolicy: expect.objectContaining({ Version: '2012-10-17' }),
      tags: { team: 'platform' },
      permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
      attachedPolicies: [
        {
          name: 'AmazonEC2ContainerRegistryPowerUser',
          arn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
        },
      ],
      inlinePolicyNames: ['push'],
    });
    expect(fake.calls.map((call) => call.command).sort()).toEqual([
      'GetRole',
      'ListAttachedRolePolicies',
      'ListRolePolicies',
    ]);
  });

  it('gives null for a missing role after one call, and is never cached', async () => {
    const { fake, view } = setup();
    fake.resetCalls();
    await expect(view.getRole('nobody')).resolves.toBeNull();
    expect(fake.callCount('iam')).toBe(1);
    await view.getRole('nodes');
    await view.getRole('nodes');
    expect(fake.callCount('iam', 'GetRole')).toBe(3);
  });

  it('reads inline policies fresh every time', async () => {
    const { fake, view } = setup();
    fake.addRole({ name: 'ci', inline: { push: PUSH } });
    await expect(view.getInlinePolicy('ci', 'push')).resolves.toEqual(PUSH);
    await fake.iamClient().send(
      new PutRolePolicyCommand({
        RoleName: 'ci',
        PolicyName: 'push',
        PolicyDocument: JSON.stringify(PULL),
      }),
    );
    await expect(view.getInlinePolicy('ci', 'push')).resolves.toEqual(PULL);
    await expect(view.getInlinePolicy('ci', 'gone')).resolves.toBeNull();
  });
});

describe('LiveAccountView.eksInventory (warm cache)', () => {
  it('loads once, then answers from the cache with no EKS call until the TTL expires', async () => {
    const { fake, view, advance } = setup();
    fake.resetCalls();

    const first = await view.eksInventory();
    const coldCalls = fake.callCount('eks');
    expect(coldCalls).toBeGreaterThan(0);
    expect(first['us-east-1']?.clusters[0]?.nodegroups[0]?.nodegroupName).toBe('ng');

    advance(299);
    await expect(view.eksInventory()).resolves.toBe(first);
    expect(fake.callCount('eks')).toBe(coldCalls);

    advance(2);
    fake.addNodegroup('eu-west-1', 'dr', {
      nodegroupName: 'late',
      nodeRole: 'arn:aws:iam::111122223333:role/nodes',
    });
    const reloaded = await view.eksInventory();
    expect(fake.callCount('eks')).toBeGreaterThan(coldCalls);
    expect(reloaded['eu-west-1']?.clusters[0]?.nodegroups.map((n) => n.nodegroupName)).toEqual(['late']);
  });

  it('invalidateNodeRoles forgets the cached inventory: the next call reads EKS again, within the TTL', async () => {
    const { fake, view, advance } = setup();
    const first = await view.eksInventory();
    fake.addNodegroup('eu-west-1', 'dr', {
      nodegroupName: 'new',
      nodeRole: 'arn:aws:iam::111122223333:role/nodes',
    });
    advance(10);
    await expect(view.eksInventory()).resolves.toBe(first);
    fake.resetCalls();
    view.invalidateNodeRoles();
    const reloaded = await view.eksInventory();
    expect(fake.callCount('eks', 'ListClusters')).toBe(2);
    expect(reloaded['eu-west-1']?.clusters[0]?.nodegroups.map((n) => n.nodegroupName)).toEqual(['new']);
    // The reloaded inventory is cached again for the TTL.
    fake.resetCalls();
    await expect(view.eksInventory()).resolves.toBe(reloaded);
    expect(fake.callCount('eks')).toBe(0);
  });

  it('does not keep a load that was running when the cache was invalidated', async () => {
    const { fake, view } = setup();
    const stale = view.eksInventory();
    view.invalidateNodeRoles();
    fake.addNodegroup('eu-west-1', 'dr', {
      nodegroupName: 'new',
      nodeRole: 'arn:aws:iam::111122223333:role/nodes',
    });
    await stale;
    const fresh = await view.eksInventory();
    expect(fresh['eu-west-1']?.clusters[0]?.nodegroups.map((n) => n.nodegroupName)).toEqual(['new']);
  });

  it('lets concurrent callers share one in-flight load', async () => {
    const { fake, view } = setup();
    fake.resetCalls();
    const results = await Promise.all([view.eksInventory(), view.eksInventory(), view.eksInventory()]);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    expect(fake.callCount('eks', 'ListClusters')).toBe(2);
  });

  it('does not cache a failed load', async () => {
    const { fake, view } = setup();
    fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'eu-west-1',
      error: 'AccessDenied',
      times: 1,
    });
    await expect(view.eksInventory()).rejects.toBeInstanceOf(ReadAccessDeniedError);
    const inventory = await view.eksInventory();
    expect(Object.keys(inventory)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('asks the regions lookup on each load', async () => {
    const regions = jest.fn(async () => ['us-east-1']);
    const { view, advance } = setup({ regions });
    await view.eksInventory();
    await view.eksInventory();
    advance(301);
    await view.eksInventory();
    expect(regions).toHaveBeenCalledTimes(2);
  });

  it('fails on an unreachable region by default, or skips it visibly when asked', async () => {
    const strict = setup({ regions: ['us-east-1', 'ap-east-1'] });
    await expect(strict.view.eksInventory()).rejects.toBeInstanceOf(EksRegionUnavailableError);

    const onEksWarnings = jest.fn();
    const lenient = setup({
      regions: ['us-east-1', 'ap-east-1'],
      skipUnavailableRegions: true,
      onEksWarnings,
    });
    const inventory = await lenient.view.eksInventory();
    expect(Object.keys(inventory)).toEqual(['us-east-1']);
    expect(onEksWarnings).toHaveBeenCalledWith([
      expect.objectContaining({ region: 'ap-east-1', code: 'UnrecognizedClientException' }),
    ]);
    expect(lenient.view.eksWarnings()).toHaveLength(1);
  });
});

describe('LiveAccountView.getManagedPolicy (version cache)', () => {
  it('answers bundled AWS managed policies with no call', async () => {
    const { fake, view } = setup();
    fake.resetCalls();
    const policy = await view.getManagedPolicy(
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    );
    expect(policy).toMatchObject({ name: 'AmazonEC2ContainerRegistryFullAccess', isDefaultVersion: true });
    expect(fake.calls).toEqual([]);
  });

  it('costs 2 calls cold, 1 call warm, and re-reads the default when it moved', async () => {
    const { fake, view } = setup();
    const arn = fake.addPolicy({ name: 'ci-push', document: PUSH });
    fake.resetCalls();

    const cold = await view.getManagedPolicy(arn);
    expect(cold).toEqual({ arn, name: 'ci-push', versionId: 'v1', isDefaultVersion: true, document: PUSH });
    expect(fake.calls.map((call) => call.command)).toEqual(['GetPolicy', 'GetPolicyVersion']);

    fake.resetCalls();
    await expect(view.getManagedPolicy(arn)).resolves.toEqual(cold);
    expect(fake.calls.map((call) => [call.command, call.input.VersionId])).toEqual([
      ['GetPolicyVersion', 'v1'],
    ]);

    await fake.iamClient().send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(PULL),
        SetAsDefault: true,
      }),
    );
    fake.resetCalls();

    const moved = await view.getManagedPolicy(arn);
    expect(moved).toMatchObject({ versionId: 'v2', document: PULL });
    // The warm probe finds v1 no longer default, then GetPolicy + GetPolicyVersion read the new default.
    expect(fake.calls.map((call) => call.command)).toEqual([
      'GetPolicyVersion',
      'GetPolicy',
      'GetPolicyVersion',
    ]);

    fake.resetCalls();
    await view.getManagedPolicy(arn);
    expect(fake.calls.map((call) => [call.command, call.input.VersionId])).toEqual([
      ['GetPolicyVersion', 'v2'],
    ]);
  });

  it('keeps an AWS managed policy that is not bundled for the TTL with no call, then confirms it (1 call)', async () => {
    const { fake, view, advance } = setup();
    const arn = fake.addPolicy({
      name: 'AmazonEKS_CNI_Policy',
      arn: fake.awsManagedPolicyArn('AmazonEKS_CNI_Policy'),
      versions: [{ versionId: 'v7', document: PULL, isDefaultVersion: true }],
    });
    fake.resetCalls();

    const cold = await view.getManagedPolicy(arn);
    expect(cold).toEqual({
      arn,
      name: 'AmazonEKS_CNI_Policy',
      versionId: 'v7',
      isDefaultVersion: true,
      document: PULL,
    });
    expect(fake.calls.map((call) => call.command)).toEqual(['GetPolicy', 'GetPolicyVersion']);

    fake.resetCalls();
    advance(299);
    await expect(view.getManagedPolicy(arn)).resolves.toEqual(cold);
    expect(fake.calls).toEqual([]);

    advance(2);
    await expect(view.getManagedPolicy(arn)).resolves.toEqual(cold);
    expect(fake.calls.map((call) => [call.command, call.input.VersionId])).toEqual([
      ['GetPolicyVersion', 'v7'],
    ]);

    // The confirmation starts a new TTL.
    fake.resetCalls();
    advance(299);
    await view.getManagedPolicy(arn);
    expect(fake.calls).toEqual([]);
  });

  it('never skips the confirming read for a customer managed policy, however fresh', async () => {
    const { fake, view } = setup();
    const arn = fake.addPolicy({ name: 'ci-push', document: PUSH });
    await view.getManagedPolicy(arn);
    fake.resetCalls();
    await view.getManagedPolicy(arn);
    expect(fake.calls.map((call) => call.command)).toEqual(['GetPolicyVersion']);
  });

  it('gives null for a policy that does not exist (or no longer does)', async () => {
    const { fake, view } = setup();
    await expect(view.getManagedPolicy('arn:aws:iam::111122223333:policy/none')).resolves.toBeNull();
    const arn = fake.addPolicy({ name: 'short-lived', document: PUSH });
    await view.getManagedPolicy(arn);
    fake.failOn({ command: 'GetPolicyVersion', error: 'NoSuchEntity' });
    fake.failOn({ command: 'GetPolicy', error: 'NoSuchEntity' });
    await expect(view.getManagedPolicy(arn)).resolves.toBeNull();
  });

  it('getPolicyVersion reads the named version and says whether it is the default', async () => {
    const { fake, view } = setup();
    const arn = fake.addPolicy({
      name: 'versions',
      versions: [
        { versionId: 'v1', document: PUSH },
        { versionId: 'v2', document: PULL, isDefaultVersion: true },
      ],
    });
    await expect(view.getPolicyVersion(arn, 'v1')).resolves.toEqual({
      arn,
      name: 'versions',
      versionId: 'v1',
      isDefaultVersion: false,
      document: PUSH,
    });
    await expect(view.getPolicyVersion(arn, 'v7')).resolves.toBeNull();
  });
});

describe('LiveAccountView delegations', () => {
  it('rolesForPolicy reads every page', async () => {
    const { fake, view } = setup();
    const arn = fake.addPolicy({ name: 'shared', document: PULL });
    for (const name of ['a', 'b', 'c', 'd', 'e']) fake.addRole({ name, attached: name === 'c' ? [] : [arn] });
    await expect(view.rolesForPolicy(arn)).resolves.toEqual(['a', 'b', 'd', 'e']);
  });

  it('offers no role listing (no iam:ListRoles grant): whole-account audits go through a snapshot', () => {
    const { view } = setup();
    expect('listRoleNames' in view).toBe(false);
  });

  it('managedPolicyQuota reads the account summary once per TTL, and falls back to 10 when denied', async () => {
    const { fake, view, advance } = setup();
    fake.setManagedPolicyQuota(20);
    await expect(view.managedPolicyQuota()).resolves.toBe(20);
    await expect(view.managedPolicyQuota()).resolves.toBe(20);
    expect(fake.callCount('iam', 'GetAccountSummary')).toBe(1);

    advance(301);
    fake.failOn({ command: 'GetAccountSummary', error: 'AccessDenied' });
    await expect(view.managedPolicyQuota()).resolves.toBe(10);
  });

  it('exposes account id and partition', () => {
    const { view } = setup();
    expect(view.accountId).toBe('111122223333');
    expect(view.partition).toBe('aws');
  });
});
