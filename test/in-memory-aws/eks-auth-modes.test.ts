// Tests for the fake AWS's EKS authentication modes through real clients and the production gateway: a
// CONFIG_MAP cluster refuses access-entry calls with EKS's own error, and the inventory still reads it.
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  InvalidRequestException,
  ListAccessEntriesCommand,
} from '@aws-sdk/client-eks';
import { EksGateway } from '../../lambda/gateways/eks-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const NODE_ROLE = 'arn:aws:iam::111122223333:role/eks-node';
const MODE_ERROR =
  "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";

function account() {
  const fake = new FakeAws({ regions: ['us-east-1'] });
  fake.addCluster('eu-west-1', {
    name: 'legacy',
    accessConfig: { authenticationMode: 'CONFIG_MAP' },
    nodegroups: [{ nodegroupName: 'ng', nodeRole: NODE_ROLE }],
  });
  fake.addCluster('eu-west-1', {
    name: 'modern',
    accessConfig: { authenticationMode: 'API' },
    accessEntries: [{ principalArn: NODE_ROLE, type: 'EC2_LINUX' }],
  });
  fake.addCluster('eu-west-1', { name: 'unsaid' });
  return fake;
}

describe('FakeAws EKS authentication modes', () => {
  it('answers access-entry calls on a CONFIG_MAP cluster with HTTP 400 InvalidRequestException', async () => {
    const eu = account().eksClientFor('eu-west-1');
    const calls: (() => Promise<unknown>)[] = [
      () => eu.send(new ListAccessEntriesCommand({ clusterName: 'legacy' })),
      () => eu.send(new DescribeAccessEntryCommand({ clusterName: 'legacy', principalArn: NODE_ROLE })),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(
        () => null,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error).toMatchObject({ name: 'InvalidRequestException', message: MODE_ERROR });
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    }
  });

  it('returns accessConfig from DescribeCluster when seeded, and none when the seed does not say', async () => {
    const eu = account().eksClientFor('eu-west-1');
    const legacy = await eu.send(new DescribeClusterCommand({ name: 'legacy' }));
    expect(legacy.cluster?.accessConfig).toEqual({
      authenticationMode: 'CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
    });
    const modern = await eu.send(new DescribeClusterCommand({ name: 'modern' }));
    expect(modern.cluster?.accessConfig?.authenticationMode).toBe('API');
    const unsaid = await eu.send(new DescribeClusterCommand({ name: 'unsaid' }));
    expect(unsaid.cluster?.accessConfig).toBeUndefined();
    await expect(eu.send(new ListAccessEntriesCommand({ clusterName: 'unsaid' }))).resolves.toMatchObject({
      accessEntries: [],
    });
  });

  it('gives the gateway every cluster, with no access-entry call on the CONFIG_MAP one', async () => {
    const fake = account();
    const gateway = new EksGateway((region) => fake.eksClientFor(region));
    const { inventory, warnings } = await gateway.inventory(['eu-west-1'], { concurrency: 1 });
    expect(warnings).toEqual([]);
    expect(inventory['eu-west-1']?.clusters).toEqual([
      {
        name: 'legacy',
        computeConfig: undefined,
        accessConfig: { authenticationMode: 'CONFIG_MAP' },
        nodegroups: [{ nodegroupName: 'ng', nodeRole: NODE_ROLE, tags: {} }],
        accessEntries: [],
        fargateProfiles: [],
        tags: {},
      },
      {
        name: 'modern',
        computeConfig: undefined,
        accessConfig: { authenticationMode: 'API' },
        nodegroups: [],
        accessEntries: [{ principalArn: NODE_ROLE, type: 'EC2_LINUX' }],
        fargateProfiles: [],
        tags: {},
      },
      {
        name: 'unsaid',
        computeConfig: undefined,
        nodegroups: [],
        accessEntries: [],
        fargateProfiles: [],
        tags: {},
      },
    ]);
    const accessEntryCallsOn = (cluster: string) =>
      fake.calls.filter((call) => call.command.includes('AccessEntr') && call.input.clusterName === cluster);
    expect(accessEntryCallsOn('legacy')).toEqual([]);
    expect(accessEntryCallsOn('modern').map((call) => call.command)).toEqual([
      'ListAccessEntries',
      'DescribeAccessEntry',
    ]);
  });
});
