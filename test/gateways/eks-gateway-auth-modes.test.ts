// Tests for the EKS gateway and cluster authentication modes: accessConfig is read from DescribeCluster, a
// CONFIG_MAP cluster gets no access-entry call, and EKS's InvalidRequestException (the real error text) makes
// that cluster's access entries unreadable instead of failing the inventory.
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  InvalidRequestException,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { EksGateway } from '../../lambda/gateways/eks-gateway';

const ROLE = 'arn:aws:iam::111122223333:role/nodes';
/** What EKS answers (HTTP 400) an access-entry call on a CONFIG_MAP cluster (AWS-FACTS §10). */
const MODE_ERROR =
  "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";
const modeError = () =>
  new InvalidRequestException({ message: MODE_ERROR, $metadata: { httpStatusCode: 400 } });

function gatewayWith(setup: (mock: AwsClientStub<EKSClient>) => void) {
  const client = new EKSClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  mock
    .on(ListClustersCommand)
    .resolves({ clusters: ['legacy', 'api'] })
    .on(ListNodegroupsCommand)
    .resolves({ nodegroups: [] })
    .on(ListFargateProfilesCommand)
    .resolves({ fargateProfileNames: [] })
    .on(ListAccessEntriesCommand, { clusterName: 'api' })
    .resolves({ accessEntries: [ROLE] })
    .on(DescribeAccessEntryCommand, { clusterName: 'api' })
    .resolves({ accessEntry: { principalArn: ROLE, type: 'EC2_LINUX' } })
    .on(DescribeClusterCommand, { name: 'api' })
    .resolves({ cluster: { name: 'api', accessConfig: { authenticationMode: 'API' } } });
  setup(mock);
  return { gateway: new EksGateway(() => client), mock };
}

describe('EksGateway and authentication modes', () => {
  it('reads accessConfig and sends no access-entry call for a CONFIG_MAP cluster', async () => {
    const { gateway, mock } = gatewayWith((m) => {
      m.on(DescribeClusterCommand, { name: 'legacy' })
        .resolves({
          cluster: {
            name: 'legacy',
            accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
          },
        })
        .on(ListAccessEntriesCommand, { clusterName: 'legacy' })
        .rejects(modeError());
    });
    const clusters = await gateway.clusterInventory('eu-west-1');
    expect(clusters).toEqual([
      {
        name: 'legacy',
        computeConfig: undefined,
        accessConfig: { authenticationMode: 'CONFIG_MAP' },
        nodegroups: [],
        accessEntries: [],
        fargateProfiles: [],
        tags: {},
      },
      {
        name: 'api',
        computeConfig: undefined,
        accessConfig: { authenticationMode: 'API' },
        nodegroups: [],
        accessEntries: [{ principalArn: ROLE, type: 'EC2_LINUX' }],
        fargateProfiles: [],
        tags: {},
      },
    ]);
    expect(mock.commandCalls(ListAccessEntriesCommand, { clusterName: 'legacy' })).toHaveLength(0);
    expect(mock.commandCalls(DescribeAccessEntryCommand, { clusterName: 'legacy' })).toHaveLength(0);
    expect(mock.commandCalls(ListAccessEntriesCommand, { clusterName: 'api' })).toHaveLength(1);
  });

  it('keeps the inventory when ListAccessEntries answers the real InvalidRequestException (mode not returned)', async () => {
    const { gateway } = gatewayWith((m) => {
      m.on(DescribeClusterCommand, { name: 'legacy' })
        .resolves({ cluster: { name: 'legacy' } })
        .on(ListAccessEntriesCommand, { clusterName: 'legacy' })
        .rejects(modeError());
    });
    const { inventory, warnings } = await gateway.inventory(['eu-west-1'], { concurrency: 1 });
    expect(warnings).toEqual([]);
    const clusters = inventory['eu-west-1']?.clusters ?? [];
    expect(clusters.map((cluster) => cluster.name)).toEqual(['legacy', 'api']);
    expect(clusters[0]).toEqual({
      name: 'legacy',
      computeConfig: undefined,
      nodegroups: [],
      accessEntries: [],
      accessEntriesError: { code: 'InvalidRequestException', message: MODE_ERROR },
      fargateProfiles: [],
      tags: {},
    });
    expect(clusters[1]?.accessEntries).toEqual([{ principalArn: ROLE, type: 'EC2_LINUX' }]);
  });

  it('keeps the inventory when DescribeAccessEntry fails so (the mode changed since the describe)', async () => {
    const { gateway } = gatewayWith((m) => {
      m.on(DescribeClusterCommand, { name: 'legacy' })
        .resolves({ cluster: { name: 'legacy', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } } })
        .on(ListAccessEntriesCommand, { clusterName: 'legacy' })
        .resolves({ accessEntries: [ROLE] })
        .on(DescribeAccessEntryCommand, { clusterName: 'legacy' })
        .rejects(modeError());
    });
    const [legacy] = await gateway.clusterInventory('eu-west-1');
    expect(legacy).toMatchObject({
      name: 'legacy',
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      accessEntries: [],
      accessEntriesError: { code: 'InvalidRequestException', message: MODE_ERROR },
    });
  });

  it('still rejects on other access-entry errors (no silent partial inventory)', async () => {
    const { gateway } = gatewayWith((m) => {
      m.on(DescribeClusterCommand, { name: 'legacy' })
        .resolves({ cluster: { name: 'legacy' } })
        .on(ListAccessEntriesCommand, { clusterName: 'legacy' })
        .rejects(new Error('socket hang up'));
    });
    await expect(gateway.clusterInventory('eu-west-1')).rejects.toThrow('socket hang up');
  });
});
