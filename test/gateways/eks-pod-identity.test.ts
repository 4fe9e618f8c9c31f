// Tests for the EKS Pod Identity reads (lambda/gateways/eks-pod-identity.ts) with a mocked client: every nextToken
// followed, one Describe per summary (the summaries carry no roleArn), what is recorded and what rejects.
import {
  AccessDeniedException,
  DescribePodIdentityAssociationCommand,
  EKSClient,
  InvalidRequestException,
  ListPodIdentityAssociationsCommand,
  ResourceNotFoundException,
  ServerException,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { createLimiter } from '../../lambda/gateways/concurrency';
import { podIdentityAssociations } from '../../lambda/gateways/eks-pod-identity';

const $metadata = {};
const ROLE = 'arn:aws:iam::111122223333:role/ci-pusher';
const summary = (associationId: string) => ({
  clusterName: 'prod',
  namespace: 'ci',
  serviceAccount: associationId,
  associationId,
});

function setup() {
  const client = new EKSClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const read = () => podIdentityAssociations(client, 'prod', createLimiter(2));
  return { mock, read };
}

describe('podIdentityAssociations', () => {
  it('follows every nextToken and describes each association for its roleArn', async () => {
    const { mock, read } = setup();
    mock
      .on(ListPodIdentityAssociationsCommand, { clusterName: 'prod', nextToken: undefined })
      .resolves({ associations: [summary('a-1'), summary('a-2')], nextToken: 't2' })
      .on(ListPodIdentityAssociationsCommand, { clusterName: 'prod', nextToken: 't2' })
      .resolves({ associations: [summary('a-3')] })
      .on(DescribePodIdentityAssociationCommand)
      .callsFake(async ({ associationId }: { associationId: string }) => ({
        association: { namespace: 'ci', serviceAccount: associationId, roleArn: ROLE, associationId },
      }));
    await expect(read()).resolves.toEqual({
      podIdentityAssociations: ['a-1', 'a-2', 'a-3'].map((id) => ({
        namespace: 'ci',
        serviceAccount: id,
        roleArn: ROLE,
      })),
    });
    expect(mock).toHaveReceivedCommandTimes(ListPodIdentityAssociationsCommand, 2);
    expect(mock).toHaveReceivedCommandTimes(DescribePodIdentityAssociationCommand, 3);
  });

  it('leaves out an association deleted between the list and the describe; a deleted cluster has none', async () => {
    const { mock, read } = setup();
    mock
      .on(ListPodIdentityAssociationsCommand)
      .resolves({ associations: [summary('a-1'), summary('a-2')] })
      .on(DescribePodIdentityAssociationCommand, { associationId: 'a-1' })
      .rejects(new ResourceNotFoundException({ message: 'gone', $metadata }))
      .on(DescribePodIdentityAssociationCommand, { associationId: 'a-2' })
      .resolves({ association: { namespace: 'ci', serviceAccount: 'a-2', roleArn: ROLE } });
    await expect(read()).resolves.toEqual({
      podIdentityAssociations: [{ namespace: 'ci', serviceAccount: 'a-2', roleArn: ROLE }],
    });
    mock.reset();
    mock
      .on(ListPodIdentityAssociationsCommand)
      .rejects(new ResourceNotFoundException({ message: 'no cluster', $metadata }));
    await expect(read()).resolves.toEqual({ podIdentityAssociations: [] });
  });

  it.each([
    ['AccessDenied', new AccessDeniedException({ message: 'not allowed', $metadata })],
    [
      'an API the cluster does not offer',
      new InvalidRequestException({ message: 'not supported', $metadata }),
    ],
  ])('records %s on the cluster, never silently', async (_case, error) => {
    const { mock, read } = setup();
    mock.on(ListPodIdentityAssociationsCommand).rejects(error);
    await expect(read()).resolves.toEqual({
      podIdentityAssociations: [],
      podIdentityAssociationsError: { code: error.name, message: error.message },
    });
  });

  it('rejects on any other error (no silent partial inventory)', async () => {
    const { mock, read } = setup();
    mock.on(ListPodIdentityAssociationsCommand).rejects(new ServerException({ message: 'boom', $metadata }));
    await expect(read()).rejects.toThrow('boom');
  });
});
