// Tests for the fake AWS's EKS and Account API, through real clients: pagination, not-found errors,
// regions that are not enabled, and the full inventory read by the production gateway.
import { ListRegionsCommand } from '@aws-sdk/client-account';
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { EksGateway } from '../../lambda/gateways/eks-gateway';
import { RegionsGateway } from '../../lambda/gateways/regions-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const NODE_ROLE = 'arn:aws:iam::111122223333:role/nodes/eks-node';

function account() {
  const fake = new FakeAws({ regions: ['us-east-1'] });
  fake.addCluster('eu-west-1', {
    name: 'prod',
    nodegroups: ['a', 'b', 'c'].map((name) => ({ nodegroupName: name, nodeRole: NODE_ROLE })),
    accessEntries: [{ principalArn: NODE_ROLE, type: 'EC2_LINUX' }],
    fargateProfiles: [
      { fargateProfileName: 'fp', podExecutionRoleArn: 'arn:aws:iam::111122223333:role/fargate' },
    ],
  });
  fake.addCluster('eu-west-1', { name: 'auto', computeConfig: { enabled: true, nodeRoleArn: NODE_ROLE } });
  fake.addCluster('eu-west-1', { name: 'third' });
  return fake;
}

describe('FakeAws EKS', () => {
  it('answers per region through real EKSClients and logs the region of each call', async () => {
    const fake = account();
    const eu = fake.eksClientFor('eu-west-1');
    expect(eu).toBeInstanceOf(EKSClient);
    expect(fake.eksClientFor('eu-west-1')).toBe(eu);
    const { clusters, nextToken } = await eu.send(new ListClustersCommand({}));
    expect(clusters).toEqual(['prod', 'auto']);
    const rest = await eu.send(new ListClustersCommand({ nextToken }));
    expect(rest).toMatchObject({ clusters: ['third'] });
    expect(rest.nextToken).toBeUndefined();
    await expect(fake.eksClientFor('us-east-1').send(new ListClustersCommand({}))).resolves.toMatchObject({
      clusters: [],
    });
    expect(fake.calls.map((call) => call.region)).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1']);
  });

  it('honours maxResults and rejects out-of-range values', async () => {
    const eu = account().eksClientFor('eu-west-1');
    const page = await eu.send(new ListNodegroupsCommand({ clusterName: 'prod', maxResults: 3 }));
    expect(page.nodegroups).toEqual(['a', 'b', 'c']);
    expect(page.nextToken).toBeUndefined();
    await expect(
      eu.send(new ListNodegroupsCommand({ clusterName: 'prod', maxResults: 101 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('describes clusters, node groups and access entries, and 404s unknown ones', async () => {
    const eu = account().eksClientFor('eu-west-1');
    const { cluster } = await eu.send(new DescribeClusterCommand({ name: 'auto' }));
    expect(cluster?.computeConfig).toEqual({ enabled: true, nodeRoleArn: NODE_ROLE });
    const { nodegroup } = await eu.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'b' }),
    );
    expect(nodegroup).toMatchObject({ nodegroupName: 'b', nodeRole: NODE_ROLE, clusterName: 'prod' });
    const { accessEntry } = await eu.send(
      new DescribeAccessEntryCommand({ clusterName: 'prod', principalArn: NODE_ROLE }),
    );
    expect(accessEntry).toMatchObject({ principalArn: NODE_ROLE, type: 'EC2_LINUX' });
    await expect(eu.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      eu.send(new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('answers like an opt-in region that is not enabled: UnrecognizedClientException', async () => {
    const fake = account();
    fake.addRegion('ap-east-1', 'DISABLED');
    await expect(fake.eksClientFor('ap-east-1').send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('serves the production gateway a complete inventory', async () => {
    const fake = account();
    const result = await new EksGateway((region) => fake.eksClientFor(region)).inventory(
      ['eu-west-1', 'us-east-1'],
      {
        concurrency: 2,
      },
    );
    expect(result.warnings).toEqual([]);
    expect(result.inventory).toEqual({
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            computeConfig: undefined,
            nodegroups: ['a', 'b', 'c'].map((name) => ({
              nodegroupName: name,
              nodeRole: NODE_ROLE,
              tags: {},
            })),
            accessEntries: [{ principalArn: NODE_ROLE, type: 'EC2_LINUX' }],
            fargateProfiles: [
              { fargateProfileName: 'fp', podExecutionRoleArn: 'arn:aws:iam::111122223333:role/fargate' },
            ],
            tags: {},
          },
          {
            name: 'auto',
            computeConfig: { enabled: true, nodeRoleArn: NODE_ROLE },
            nodegroups: [],
            accessEntries: [],
            fargateProfiles: [],
            tags: {},
          },
          {
            name: 'third',
            computeConfig: undefined,
            nodegroups: [],
            accessEntries: [],
            fargateProfiles: [],
            tags: {},
          },
        ],
      },
      'us-east-1': { clusters: [] },
    });
  });
});

describe('FakeAws Account', () => {
  it('lists regions by opt-in status, in pages', async () => {
    const fake = new FakeAws({ regions: ['us-east-1', 'eu-west-1', 'us-west-2'] });
    fake.addRegion('eu-south-1', 'ENABLED');
    fake.addRegion('ap-east-1', 'DISABLED');
    const account = fake.accountClient();
    const first = await account.send(
      new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] }),
    );
    expect(first.Regions).toEqual([
      { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
      { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    ]);
    expect(first.NextToken).toBeDefined();
    await expect(new RegionsGateway(account).enabledRegions()).resolves.toEqual([
      'us-east-1',
      'eu-west-1',
      'us-west-2',
      'eu-south-1',
    ]);
    const all = await account.send(new ListRegionsCommand({ MaxResults: 50 }));
    expect(all.Regions).toHaveLength(5);
  });
});
