// Tests for the owner tags in the account data: node group and cluster `tags` in the snapshot format (optional,
// additive, as DescribeNodegroup/DescribeCluster return them), read by the live EKS gateway, answered by the in-memory
// EKS like AWS (its create calls keep the tags), and kept through a snapshot round trip.
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
} from '@aws-sdk/client-eks';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { EksGateway } from '../../lambda/gateways/eks-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { collectSnapshot, liveCollectionSources } from '../../lambda/usecases/collect-snapshot';

const ROLE = 'arn:aws:iam::111122223333:role/nodes';

function account(): FakeAws {
  const fake = new FakeAws({ regions: ['eu-west-1'] });
  fake.addRole({ name: 'nodes', tags: { owner: 'payments' } });
  fake.addCluster('eu-west-1', {
    name: 'prod',
    tags: { team: 'platform' },
    nodegroups: [
      { nodegroupName: 'tagged', nodeRole: ROLE, tags: { owner: 'ml-team' } },
      { nodegroupName: 'bare', nodeRole: ROLE },
    ],
  });
  return fake;
}

describe('the snapshot format: node group and cluster tags', () => {
  it('accepts tags on clusters and node groups, and leaves them absent when the file has none', async () => {
    const view = new SnapshotAccountView(
      loadSnapshot({
        iam: {},
        eks: {
          'eu-west-1': {
            clusters: [
              {
                name: 'prod',
                tags: { team: 'platform' },
                nodegroups: [
                  { nodegroupName: 'a', nodeRole: ROLE, tags: { owner: 'x' } },
                  { nodegroupName: 'b', nodeRole: ROLE },
                ],
              },
              { name: 'old' },
            ],
          },
        },
      }),
    );
    const [prod, old] = (await view.eksInventory())['eu-west-1']?.clusters ?? [];
    expect(prod?.tags).toEqual({ team: 'platform' });
    expect(prod?.nodegroups).toEqual([
      { nodegroupName: 'a', nodeRole: ROLE, tags: { owner: 'x' } },
      { nodegroupName: 'b', nodeRole: ROLE },
    ]);
    // Absent means "not recorded" (an owner then is unknown), not "no tags".
    expect(old).not.toHaveProperty('tags');
  });

  it('names the bad path of a tag value that is not a string', () => {
    expect(() =>
      loadSnapshot({
        iam: {},
        eks: {
          'eu-west-1': {
            clusters: [
              { name: 'prod', nodegroups: [{ nodegroupName: 'a', nodeRole: ROLE, tags: { owner: 1 } }] },
            ],
          },
        },
      }),
    ).toThrow(/eks\.eu-west-1\.clusters\[0\]\.nodegroups\[0\]\.tags\.owner/);
  });
});

describe('the live reader and the in-memory EKS', () => {
  it('reads the tags DescribeCluster and DescribeNodegroup return; none is {}', async () => {
    const fake = account();
    const { inventory } = await new EksGateway((region) => fake.eksClientFor(region)).inventory(
      ['eu-west-1'],
      {
        concurrency: 1,
      },
    );
    const [prod] = inventory['eu-west-1']?.clusters ?? [];
    expect(prod?.tags).toEqual({ team: 'platform' });
    expect(prod?.nodegroups).toEqual([
      { nodegroupName: 'tagged', nodeRole: ROLE, tags: { owner: 'ml-team' } },
      { nodegroupName: 'bare', nodeRole: ROLE, tags: {} },
    ]);
  });

  it('keeps the tags given to CreateCluster and CreateNodegroup, as EKS does', async () => {
    const fake = new FakeAws({ regions: ['eu-west-1'] });
    const eks = fake.eksClientFor('eu-west-1');
    await eks.send(
      new CreateClusterCommand({ name: 'c', roleArn: ROLE, resourcesVpcConfig: {}, tags: { team: 't' } }),
    );
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: 'c',
        nodegroupName: 'n',
        nodeRole: ROLE,
        subnets: [],
        tags: { owner: 'o' },
      }),
    );
    expect((await eks.send(new DescribeClusterCommand({ name: 'c' }))).cluster?.tags).toEqual({ team: 't' });
    const described = await eks.send(new DescribeNodegroupCommand({ clusterName: 'c', nodegroupName: 'n' }));
    expect(described.nodegroup?.tags).toEqual({ owner: 'o' });
  });

  it('round-trips: collected, written, loaded and served again, the tags are the same', async () => {
    const collected = await collectSnapshot(liveCollectionSources(account().clients(), ['eu-west-1']), {
      eksConcurrency: 1,
    });
    const loaded = loadSnapshot(JSON.parse(JSON.stringify(collected)));
    const fromFile = await new SnapshotAccountView(loaded).eksInventory();
    expect(fromFile).toEqual(collected.eks);
    const again = FakeAws.fromSnapshot(loaded);
    const { inventory } = await new EksGateway((region) => again.eksClientFor(region)).inventory(
      ['eu-west-1'],
      // As the snapshot was collected: with the Pod Identity associations.
      { concurrency: 1, podIdentity: true },
    );
    expect(inventory).toEqual(collected.eks);
    expect(loaded.iam.RoleDetailList[0]?.Tags).toEqual([{ Key: 'owner', Value: 'payments' }]);
  });
});
