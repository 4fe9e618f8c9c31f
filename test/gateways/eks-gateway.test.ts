// Tests for the EKS gateway: inventory shape, pagination of every list, region fan-out with a bound,
// error mapping (AccessDenied, unreachable regions, resources deleted mid-read).
import {
  AccessDeniedException,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  EKSServiceException,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
  ServerException,
} from '@aws-sdk/client-eks';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { EksGateway } from '../../lambda/gateways/eks-gateway';

const $metadata = {};
const ROLE = 'arn:aws:iam::111122223333:role/nodes';

/** One client (and one mock) per region, so each region's answers and calls are separate. */
function regionalMocks(regions: readonly string[]) {
  const clients = new Map<string, EKSClient>();
  const mocks = new Map<string, AwsClientStub<EKSClient>>();
  for (const region of regions) {
    const client = new EKSClient({ region });
    clients.set(region, client);
    mocks.set(region, mockClient(client));
  }
  const clientFor = (region: string) => {
    const client = clients.get(region);
    if (client === undefined) throw new Error(`no client for ${region}`);
    return client;
  };
  const mockFor = (region: string) => {
    const mock = mocks.get(region);
    if (mock === undefined) throw new Error(`no mock for ${region}`);
    return mock;
  };
  return { clientFor, mockFor };
}

/** A region with no clusters whose ListClusters answers after a turn of the event loop. */
function countInFlight(mock: AwsClientStub<EKSClient>, counter: { now: number; max: number }) {
  mock.onAnyCommand().callsFake(async () => {
    counter.now += 1;
    counter.max = Math.max(counter.max, counter.now);
    await new Promise((resolve) => setImmediate(resolve));
    counter.now -= 1;
    return { clusters: [], nodegroups: [], accessEntries: [], fargateProfileNames: [] };
  });
}

function emptyCluster(mock: AwsClientStub<EKSClient>, name: string) {
  mock
    .on(DescribeClusterCommand, { name })
    .resolves({ cluster: { name } })
    .on(ListNodegroupsCommand, { clusterName: name })
    .resolves({ nodegroups: [] })
    .on(ListAccessEntriesCommand, { clusterName: name })
    .resolves({ accessEntries: [] })
    .on(ListFargateProfilesCommand, { clusterName: name })
    .resolves({ fargateProfileNames: [] });
}

describe('EksGateway.clusterInventory', () => {
  it('describes every cluster, node group, access entry and Fargate profile, following every nextToken', async () => {
    const { clientFor, mockFor } = regionalMocks(['eu-west-1']);
    const mock = mockFor('eu-west-1');
    mock
      .on(ListClustersCommand, { nextToken: undefined })
      .resolves({ clusters: ['prod'], nextToken: 'c2' })
      .on(ListClustersCommand, { nextToken: 'c2' })
      .resolves({ clusters: ['auto'] })
      .on(DescribeClusterCommand, { name: 'prod' })
      .resolves({ cluster: { name: 'prod' } })
      .on(DescribeClusterCommand, { name: 'auto' })
      .resolves({
        cluster: {
          name: 'auto',
          computeConfig: { enabled: true, nodeRoleArn: ROLE, nodePools: ['general'] },
        },
      })
      .on(ListNodegroupsCommand, { clusterName: 'prod', nextToken: undefined })
      .resolves({ nodegroups: ['ng-1'], nextToken: 'n2' })
      .on(ListNodegroupsCommand, { clusterName: 'prod', nextToken: 'n2' })
      .resolves({ nodegroups: ['ng-2'] })
      .on(DescribeNodegroupCommand)
      .callsFake(async (input: { nodegroupName: string }) => ({
        nodegroup: { nodegroupName: input.nodegroupName, nodeRole: `${ROLE}-${input.nodegroupName}` },
      }))
      .on(ListAccessEntriesCommand, { clusterName: 'prod', nextToken: undefined })
      .resolves({ accessEntries: ['arn:aws:iam::111122223333:role/karpenter'], nextToken: 'a2' })
      .on(ListAccessEntriesCommand, { clusterName: 'prod', nextToken: 'a2' })
      .resolves({ accessEntries: ['arn:aws:iam::111122223333:role/admin'] })
      .on(DescribeAccessEntryCommand, {
        clusterName: 'prod',
        principalArn: 'arn:aws:iam::111122223333:role/karpenter',
      })
      .resolves({
        accessEntry: { principalArn: 'arn:aws:iam::111122223333:role/karpenter', type: 'EC2_LINUX' },
      })
      .on(DescribeAccessEntryCommand, {
        clusterName: 'prod',
        principalArn: 'arn:aws:iam::111122223333:role/admin',
      })
      .resolves({ accessEntry: { principalArn: 'arn:aws:iam::111122223333:role/admin', type: 'STANDARD' } })
      .on(ListFargateProfilesCommand, { clusterName: 'prod', nextToken: undefined })
      .resolves({ fargateProfileNames: ['fp-1'], nextToken: 'f2' })
      .on(ListFargateProfilesCommand, { clusterName: 'prod', nextToken: 'f2' })
      .resolves({ fargateProfileNames: ['fp-2'] })
      .on(DescribeFargateProfileCommand)
      .callsFake(async (input: { fargateProfileName: string }) => ({
        fargateProfile: {
          fargateProfileName: input.fargateProfileName,
          podExecutionRoleArn: `${ROLE}-fargate`,
        },
      }))
      .on(ListNodegroupsCommand, { clusterName: 'auto' })
      .resolves({ nodegroups: [] })
      .on(ListAccessEntriesCommand, { clusterName: 'auto' })
      .resolves({ accessEntries: [] })
      .on(ListFargateProfilesCommand, { clusterName: 'auto' })
      .resolves({ fargateProfileNames: [] });

    const clusters = await new EksGateway(clientFor).clusterInventory('eu-west-1');

    expect(clusters).toEqual([
      {
        name: 'prod',
        computeConfig: undefined,
        nodegroups: [
          { nodegroupName: 'ng-1', nodeRole: `${ROLE}-ng-1`, tags: {} },
          { nodegroupName: 'ng-2', nodeRole: `${ROLE}-ng-2`, tags: {} },
        ],
        accessEntries: [
          { principalArn: 'arn:aws:iam::111122223333:role/karpenter', type: 'EC2_LINUX' },
          { principalArn: 'arn:aws:iam::111122223333:role/admin', type: 'STANDARD' },
        ],
        fargateProfiles: [
          { fargateProfileName: 'fp-1', podExecutionRoleArn: `${ROLE}-fargate` },
          { fargateProfileName: 'fp-2', podExecutionRoleArn: `${ROLE}-fargate` },
        ],
        tags: {},
      },
      {
        name: 'auto',
        computeConfig: { enabled: true, nodeRoleArn: ROLE },
        nodegroups: [],
        accessEntries: [],
        fargateProfiles: [],
        tags: {},
      },
    ]);
    expect(mock).toHaveReceivedCommandWith(ListClustersCommand, { nextToken: 'c2' });
    expect(mock).toHaveReceivedCommandWith(ListNodegroupsCommand, { clusterName: 'prod', nextToken: 'n2' });
    expect(mock).toHaveReceivedCommandWith(ListAccessEntriesCommand, {
      clusterName: 'prod',
      nextToken: 'a2',
    });
    expect(mock).toHaveReceivedCommandWith(ListFargateProfilesCommand, {
      clusterName: 'prod',
      nextToken: 'f2',
    });
    expect(mock).toHaveReceivedCommandWith(DescribeNodegroupCommand, {
      clusterName: 'prod',
      nodegroupName: 'ng-2',
    });
    expect(mock).toHaveReceivedCommandWith(DescribeFargateProfileCommand, {
      clusterName: 'prod',
      fargateProfileName: 'fp-1',
    });
    expect(mock).toHaveReceivedCommandWith(DescribeClusterCommand, { name: 'auto' });
  });

  it('skips a cluster or node group deleted between the list and the describe', async () => {
    const { clientFor, mockFor } = regionalMocks(['us-east-1']);
    const mock = mockFor('us-east-1');
    const gone = () => new ResourceNotFoundException({ message: 'No cluster found', $metadata });
    mock.on(ListClustersCommand).resolves({ clusters: ['gone', 'live'] });
    emptyCluster(mock, 'live');
    mock
      .on(DescribeClusterCommand, { name: 'gone' })
      .rejects(gone())
      .on(ListNodegroupsCommand, { clusterName: 'gone' })
      .rejects(gone())
      .on(ListAccessEntriesCommand, { clusterName: 'gone' })
      .rejects(gone())
      .on(ListFargateProfilesCommand, { clusterName: 'gone' })
      .rejects(gone())
      .on(ListNodegroupsCommand, { clusterName: 'live' })
      .resolves({ nodegroups: ['deleted', 'kept'] })
      .on(DescribeNodegroupCommand, { nodegroupName: 'deleted' })
      .rejects(new ResourceNotFoundException({ message: 'No node group found', $metadata }))
      .on(DescribeNodegroupCommand, { nodegroupName: 'kept' })
      .resolves({ nodegroup: { nodegroupName: 'kept', nodeRole: ROLE } });

    const clusters = await new EksGateway(clientFor).clusterInventory('us-east-1');

    expect(clusters.map((cluster) => cluster.name)).toEqual(['live']);
    expect(clusters[0]?.nodegroups).toEqual([{ nodegroupName: 'kept', nodeRole: ROLE, tags: {} }]);
  });

  it('maps AccessDenied to ReadAccessDeniedError naming the region and cluster', async () => {
    const { clientFor, mockFor } = regionalMocks(['ap-south-1']);
    const mock = mockFor('ap-south-1');
    mock.on(ListClustersCommand).resolves({ clusters: ['prod'] });
    emptyCluster(mock, 'prod');
    mock
      .on(ListAccessEntriesCommand, { clusterName: 'prod' })
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata }));

    const error = await new EksGateway(clientFor).clusterInventory('ap-south-1').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ReadAccessDeniedError);
    expect(error).toMatchObject({ operation: 'eks:ListAccessEntries', resource: 'ap-south-1/prod' });
  });
});

describe('EksGateway.inventory', () => {
  it('reads every region, keeps the asked order, and reports progress', async () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const { clientFor, mockFor } = regionalMocks(regions);
    for (const region of regions) {
      mockFor(region)
        .on(ListClustersCommand)
        .resolves({ clusters: [`${region}-c`] });
      emptyCluster(mockFor(region), `${region}-c`);
    }
    const progress: { region: string; clusters: number | null; done: number; total: number }[] = [];

    const result = await new EksGateway(clientFor).inventory(regions, { concurrency: 2 }, (p) =>
      progress.push(p),
    );

    expect(Object.keys(result.inventory)).toEqual(regions);
    expect(result.inventory['eu-west-1']?.clusters.map((c) => c.name)).toEqual(['eu-west-1-c']);
    expect(result.warnings).toEqual([]);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.total === 3 && p.clusters === 1)).toBe(true);
  });

  it('never has more regions in flight than the concurrency bound', async () => {
    const regions = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7'];
    const { clientFor, mockFor } = regionalMocks(regions);
    const counter = { now: 0, max: 0 };
    for (const region of regions) countInFlight(mockFor(region), counter);

    const result = await new EksGateway(clientFor).inventory(regions, { concurrency: 3 });

    expect(counter.max).toBe(3);
    expect(Object.keys(result.inventory)).toHaveLength(7);
  });

  it('bounds the describe calls within a region', async () => {
    const { clientFor, mockFor } = regionalMocks(['us-east-1']);
    const mock = mockFor('us-east-1');
    const counter = { now: 0, max: 0 };
    const slow = async <T>(value: T): Promise<T> => {
      counter.now += 1;
      counter.max = Math.max(counter.max, counter.now);
      await new Promise((resolve) => setImmediate(resolve));
      counter.now -= 1;
      return value;
    };
    const nodegroups = Array.from({ length: 12 }, (_, i) => `ng-${i}`);
    mock
      .on(ListClustersCommand)
      .callsFake(() => slow({ clusters: ['a', 'b'] }))
      .on(DescribeClusterCommand)
      .callsFake((input: { name: string }) => slow({ cluster: { name: input.name } }))
      .on(ListNodegroupsCommand)
      .callsFake(() => slow({ nodegroups }))
      .on(DescribeNodegroupCommand)
      .callsFake((input: { nodegroupName: string }) =>
        slow({ nodegroup: { nodegroupName: input.nodegroupName, nodeRole: ROLE } }),
      )
      .on(ListAccessEntriesCommand)
      .callsFake(() => slow({ accessEntries: [] }))
      .on(ListFargateProfilesCommand)
      .callsFake(() => slow({ fargateProfileNames: [] }));

    const result = await new EksGateway(clientFor, { callsPerRegion: 3 }).inventory(['us-east-1'], {
      concurrency: 1,
    });

    expect(counter.max).toBe(3);
    expect(result.inventory['us-east-1']?.clusters.flatMap((c) => c.nodegroups)).toHaveLength(24);
  });

  it('reports an unreachable region as a warning instead of dropping it silently', async () => {
    const { clientFor, mockFor } = regionalMocks(['us-east-1', 'ap-east-1', 'me-south-1']);
    mockFor('us-east-1').on(ListClustersCommand).resolves({ clusters: [] });
    mockFor('ap-east-1')
      .on(ListClustersCommand)
      .rejects(
        new EKSServiceException({
          name: 'UnrecognizedClientException',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'The security token included in the request is invalid.',
        }),
      );
    mockFor('me-south-1')
      .on(ListClustersCommand)
      .rejects(
        Object.assign(new Error('getaddrinfo ENOTFOUND eks.me-south-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      );

    const result = await new EksGateway(clientFor).inventory(['us-east-1', 'ap-east-1', 'me-south-1'], {
      concurrency: 3,
    });

    expect(Object.keys(result.inventory)).toEqual(['us-east-1']);
    expect(result.warnings).toEqual([
      expect.objectContaining({ region: 'ap-east-1', code: 'UnrecognizedClientException' }),
      expect.objectContaining({ region: 'me-south-1', code: 'ENOTFOUND' }),
    ]);
  });

  it('rejects on AccessDenied and on other service errors (no silent partial inventory)', async () => {
    const { clientFor, mockFor } = regionalMocks(['us-east-1', 'us-west-2']);
    mockFor('us-east-1').on(ListClustersCommand).resolves({ clusters: [] });
    mockFor('us-west-2')
      .on(ListClustersCommand)
      .rejectsOnce(new AccessDeniedException({ message: 'no', $metadata }));
    const gateway = new EksGateway(clientFor);

    await expect(gateway.inventory(['us-east-1', 'us-west-2'], { concurrency: 2 })).rejects.toMatchObject({
      name: 'ReadAccessDeniedError',
      operation: 'eks:ListClusters',
      resource: 'us-west-2',
    });

    mockFor('us-west-2')
      .on(ListClustersCommand)
      .rejects(new ServerException({ message: 'boom', $metadata }));
    await expect(gateway.inventory(['us-east-1', 'us-west-2'], { concurrency: 2 })).rejects.toBeInstanceOf(
      ServerException,
    );
  });
});
