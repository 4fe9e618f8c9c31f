// Tests for the fake AWS's EKS Pod Identity API and OIDC issuer, through real clients, as EKS answers them:
// summaries without roleArn, maxResults/nextToken pages, ResourceNotFoundException; then the production gateway and
// the snapshot collection over it (the associations and issuer round-trip through the snapshot file format).
import {
  DescribeClusterCommand,
  DescribePodIdentityAssociationCommand,
  InvalidParameterException,
  ListPodIdentityAssociationsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { EksGateway } from '../../lambda/gateways/eks-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { collectSnapshot, liveCollectionSources } from '../../lambda/usecases/collect-snapshot';

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/5E1D3C0A7B9F2E4D6C8A0B1F3E5D7C9A';
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const ASSOCIATIONS = ['a', 'b', 'c', 'd', 'e'].map((name) => ({
  namespace: name === 'e' ? 'tools' : 'ci',
  serviceAccount: `sa-${name}`,
  roleArn: role(`pod-${name}`),
}));

function account() {
  const fake = new FakeAws({ regions: ['us-east-1'], pageSize: 2 });
  fake.addCluster('eu-west-1', {
    name: 'prod',
    identity: { oidc: { issuer: ISSUER } },
    podIdentityAssociations: ASSOCIATIONS,
  });
  fake.addCluster('eu-west-1', { name: 'bare' });
  return fake;
}

describe('FakeAws EKS Pod Identity', () => {
  it('lists summaries without roleArn, in pages of maxResults with an opaque nextToken', async () => {
    const eks = account().eksClientFor('eu-west-1');
    const first = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'prod', maxResults: 3 }),
    );
    expect(first.associations).toHaveLength(3);
    expect(first.nextToken).toEqual(expect.any(String));
    for (const summary of first.associations ?? []) {
      expect(Object.keys(summary).sort()).toEqual([
        'associationArn',
        'associationId',
        'clusterName',
        'namespace',
        'serviceAccount',
      ]);
      expect(summary.associationArn).toBe(
        `arn:aws:eks:eu-west-1:111122223333:podidentityassociation/prod/${summary.associationId}`,
      );
    }
    const second = await eks.send(
      new ListPodIdentityAssociationsCommand({
        clusterName: 'prod',
        maxResults: 3,
        nextToken: first.nextToken,
      }),
    );
    expect(second.associations?.map((summary) => summary.serviceAccount)).toEqual(['sa-d', 'sa-e']);
    expect(second.nextToken).toBeUndefined();
  });

  it('uses its small default page without maxResults, filters by namespace, refuses maxResults over 100', async () => {
    const eks = account().eksClientFor('eu-west-1');
    const page = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod' }));
    expect(page.associations).toHaveLength(2);
    expect(page.nextToken).toEqual(expect.any(String));
    const tools = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'prod', namespace: 'tools' }),
    );
    expect(tools.associations?.map((summary) => summary.serviceAccount)).toEqual(['sa-e']);
    await expect(
      eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod', maxResults: 101 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('describes an association with its roleArn; unknown ids and clusters are ResourceNotFoundException', async () => {
    const eks = account().eksClientFor('eu-west-1');
    const listed = await eks.send(
      new ListPodIdentityAssociationsCommand({ clusterName: 'prod', maxResults: 1 }),
    );
    const associationId = listed.associations?.[0]?.associationId;
    const described = await eks.send(
      new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId }),
    );
    expect(described.association).toMatchObject({
      clusterName: 'prod',
      namespace: 'ci',
      serviceAccount: 'sa-a',
      roleArn: role('pod-a'),
      associationId,
    });
    await expect(
      eks.send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod', associationId: 'a-nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      eks.send(new ListPodIdentityAssociationsCommand({ clusterName: 'gone' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('returns identity.oidc.issuer from DescribeCluster only for a cluster seeded with one', async () => {
    const eks = account().eksClientFor('eu-west-1');
    const prod = await eks.send(new DescribeClusterCommand({ name: 'prod' }));
    expect(prod.cluster?.identity?.oidc?.issuer).toBe(ISSUER);
    const bare = await eks.send(new DescribeClusterCommand({ name: 'bare' }));
    expect(bare.cluster?.identity).toBeUndefined();
  });
});

describe('the EKS gateway and the snapshot over the fake', () => {
  it('reads every association across pages (List, then one Describe each) only when asked to', async () => {
    const fake = account();
    const gateway = new EksGateway((region) => fake.eksClientFor(region));
    const plain = await gateway.inventory(['eu-west-1'], { concurrency: 1 });
    expect(plain.inventory['eu-west-1']?.clusters[0]).not.toHaveProperty('podIdentityAssociations');
    expect(fake.callCount('eks', 'ListPodIdentityAssociations')).toBe(0);

    fake.resetCalls();
    const full = await gateway.inventory(['eu-west-1'], { concurrency: 1, podIdentity: true });
    const [prod, bare] = full.inventory['eu-west-1']?.clusters ?? [];
    expect(prod?.identity).toEqual({ oidc: { issuer: ISSUER } });
    expect(prod?.podIdentityAssociations).toEqual(ASSOCIATIONS);
    expect(bare?.podIdentityAssociations).toEqual([]);
    // Three pages of two for prod, one empty page for bare; one describe per association.
    expect(fake.callCount('eks', 'ListPodIdentityAssociations')).toBe(4);
    expect(fake.callCount('eks', 'DescribePodIdentityAssociation')).toBe(5);
  });

  it('records AccessDenied on the associations on the cluster instead of failing the inventory', async () => {
    const fake = account();
    fake.failOn({ service: 'eks', command: 'ListPodIdentityAssociations', error: 'AccessDenied' });
    const gateway = new EksGateway((region) => fake.eksClientFor(region));
    const { inventory } = await gateway.inventory(['eu-west-1'], { concurrency: 1, podIdentity: true });
    const prod = inventory['eu-west-1']?.clusters[0];
    expect(prod?.podIdentityAssociations).toEqual([]);
    expect(prod?.podIdentityAssociationsError).toEqual({
      code: 'AccessDeniedException',
      message: expect.any(String),
    });
    expect(prod?.identity?.oidc?.issuer).toBe(ISSUER);
  });

  it('keeps the issuer and associations through the snapshot file format and its account view', async () => {
    const fake = account();
    fake.addRegion('eu-west-1');
    const collected = await collectSnapshot(liveCollectionSources(fake.clients(), ['eu-west-1']), {
      eksConcurrency: 1,
    });
    const written = JSON.parse(JSON.stringify(collected));
    const view = new SnapshotAccountView(loadSnapshot(written));
    const [prod, bare] = (await view.eksInventory())['eu-west-1']?.clusters ?? [];
    expect(prod?.identity).toEqual({ oidc: { issuer: ISSUER } });
    expect(prod?.podIdentityAssociations).toEqual(ASSOCIATIONS);
    expect(bare?.podIdentityAssociations).toEqual([]);
    expect(bare).not.toHaveProperty('identity');

    // And back into a fake (the demo and tests seed from snapshots): the same answers.
    const again = FakeAws.fromSnapshot(written);
    const described = await again
      .eksClientFor('eu-west-1')
      .send(new DescribeClusterCommand({ name: 'prod' }));
    expect(described.cluster?.identity?.oidc?.issuer).toBe(ISSUER);
    const listed = await again
      .eksClientFor('eu-west-1')
      .send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod', maxResults: 100 }));
    expect(listed.associations).toHaveLength(5);
  });

  it('reads snapshots written before the fields as "not recorded", not as "none"', () => {
    const view = new SnapshotAccountView(
      loadSnapshot({ iam: { RoleDetailList: [] }, eks: { 'eu-west-1': { clusters: [{ name: 'old' }] } } }),
    );
    return view.eksInventory().then((inventory) => {
      const old = inventory['eu-west-1']?.clusters[0];
      expect(old).not.toHaveProperty('podIdentityAssociations');
      expect(old).not.toHaveProperty('identity');
    });
  });
});
