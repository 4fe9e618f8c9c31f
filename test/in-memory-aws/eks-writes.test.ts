// Tests for the in-memory EKS write calls: what each creates (seen by the read calls) and EKS's errors.
import {
  CreateAccessEntryCommand,
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  InvalidParameterException,
  ListAccessEntriesCommand,
  ListFargateProfilesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const ROLE = 'arn:aws:iam::111122223333:role/nodes';

function setup() {
  const fake = new FakeAws({ regions: ['eu-west-1'] });
  fake.addCluster('eu-west-1', { name: 'prod' });
  return { fake, eks: fake.eksClientFor('eu-west-1') };
}

describe('in-memory EKS writes', () => {
  it('CreateNodegroup adds a CREATING node group that DescribeNodegroup shows; a duplicate is ResourceInUse', async () => {
    const { eks } = setup();
    const created = await eks.send(
      new CreateNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng', nodeRole: ROLE, subnets: [] }),
    );
    expect(created.nodegroup).toMatchObject({ nodegroupName: 'ng', nodeRole: ROLE, status: 'CREATING' });
    const described = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng' }),
    );
    expect(described.nodegroup?.nodeRole).toBe(ROLE);
    await expect(
      eks.send(
        new CreateNodegroupCommand({ clusterName: 'prod', nodegroupName: 'ng', nodeRole: ROLE, subnets: [] }),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(
      eks.send(
        new CreateNodegroupCommand({ clusterName: 'nope', nodegroupName: 'ng', nodeRole: ROLE, subnets: [] }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      eks.send(
        new CreateNodegroupCommand({ clusterName: 'prod', nodegroupName: 'x', nodeRole: 'bad', subnets: [] }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('CreateAccessEntry defaults to STANDARD, lists the principal, refuses a duplicate and unknown types', async () => {
    const { eks } = setup();
    const standard = await eks.send(
      new CreateAccessEntryCommand({ clusterName: 'prod', principalArn: ROLE }),
    );
    expect(standard.accessEntry?.type).toBe('STANDARD');
    const listed = await eks.send(new ListAccessEntriesCommand({ clusterName: 'prod' }));
    expect(listed.accessEntries).toEqual([ROLE]);
    await expect(
      eks.send(new CreateAccessEntryCommand({ clusterName: 'prod', principalArn: ROLE, type: 'EC2_LINUX' })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(
      eks.send(
        new CreateAccessEntryCommand({ clusterName: 'prod', principalArn: `${ROLE}-2`, type: 'NODE' }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('CreateFargateProfile and Auto Mode: CreateCluster then UpdateClusterConfig set what DescribeCluster shows', async () => {
    const { eks } = setup();
    await eks.send(
      new CreateFargateProfileCommand({
        clusterName: 'prod',
        fargateProfileName: 'fp',
        podExecutionRoleArn: ROLE,
      }),
    );
    expect(
      (await eks.send(new ListFargateProfilesCommand({ clusterName: 'prod' }))).fargateProfileNames,
    ).toEqual(['fp']);
    await eks.send(
      new CreateClusterCommand({
        name: 'auto',
        roleArn: 'arn:aws:iam::111122223333:role/cluster',
        resourcesVpcConfig: {},
        computeConfig: { enabled: true, nodeRoleArn: ROLE },
        accessConfig: { authenticationMode: 'API' },
      }),
    );
    const cluster = (await eks.send(new DescribeClusterCommand({ name: 'auto' }))).cluster;
    expect(cluster?.computeConfig).toMatchObject({ enabled: true, nodeRoleArn: ROLE });
    expect(cluster?.accessConfig?.authenticationMode).toBe('API');
    await expect(
      eks.send(new CreateClusterCommand({ name: 'auto', roleArn: 'r', resourcesVpcConfig: {} })),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    const update = await eks.send(
      new UpdateClusterConfigCommand({
        name: 'prod',
        computeConfig: { enabled: true, nodeRoleArn: `${ROLE}-auto` },
      }),
    );
    expect(update.update).toMatchObject({ status: 'InProgress', type: 'AutoModeUpdate' });
    const prod = (await eks.send(new DescribeClusterCommand({ name: 'prod' }))).cluster;
    expect(prod?.computeConfig?.nodeRoleArn).toBe(`${ROLE}-auto`);
  });
});
