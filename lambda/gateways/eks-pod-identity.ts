// Gateway (EKS, called by the EKS gateway for each cluster): the cluster's Pod Identity associations with their
// roles: ListPodIdentityAssociations (paginated; its summaries carry no roleArn), then one
// DescribePodIdentityAssociation per association. A refusal is recorded on the cluster, never silent.
import {
  DescribePodIdentityAssociationCommand,
  type EKSClient,
  ListPodIdentityAssociationsCommand,
} from '@aws-sdk/client-eks';
import type { EksClusterRecord, EksPodIdentityAssociationRecord } from '../domain/types';
import { awsErrorName, isAccessDenied, isEksNotFound } from './aws-errors';
import type { Limiter } from './concurrency';
import { collectPages } from './pagination';

/**
 * Errors that say the associations cannot be read here, while the rest of the inventory can: the role may not
 * read them (a guard or audit role deployed before the permission), or the cluster or Region does not offer the
 * API. The node-role evidence does not depend on them, so they do not fail the inventory.
 */
const UNREADABLE = new Set(['InvalidRequestException', 'UnknownOperationException', 'NotImplemented']);

export type PodIdentityRead = Pick<
  EksClusterRecord,
  'podIdentityAssociations' | 'podIdentityAssociationsError'
>;

/**
 * The associations of `cluster`, or none with the reason they could not be read. A cluster deleted meanwhile has
 * none; an association deleted between the list and the describe is left out. Other errors reject.
 */
export async function podIdentityAssociations(
  client: EKSClient,
  cluster: string,
  limiter: Limiter,
): Promise<PodIdentityRead> {
  try {
    const summaries = await collectPages(async (nextToken) => {
      const output = await limiter.run(() =>
        // No maxResults: EKS then returns up to 100 (its largest page) and a nextToken, like the other lists here.
        client.send(new ListPodIdentityAssociationsCommand({ clusterName: cluster, nextToken })),
      );
      return { items: output.associations ?? [], next: output.nextToken };
    });
    const ids = summaries.flatMap((summary) =>
      summary.associationId === undefined ? [] : [summary.associationId],
    );
    const described = await Promise.all(
      ids.map((associationId) => describe(client, cluster, associationId, limiter)),
    );
    return { podIdentityAssociations: described.flatMap((record) => (record === null ? [] : [record])) };
  } catch (error) {
    if (isEksNotFound(error)) return { podIdentityAssociations: [] };
    if (!isAccessDenied(error) && !UNREADABLE.has(awsErrorName(error) ?? '')) throw error;
    return {
      podIdentityAssociations: [],
      podIdentityAssociationsError: {
        code: awsErrorName(error) ?? 'Unknown',
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

async function describe(
  client: EKSClient,
  cluster: string,
  associationId: string,
  limiter: Limiter,
): Promise<EksPodIdentityAssociationRecord | null> {
  try {
    const output = await limiter.run(() =>
      client.send(new DescribePodIdentityAssociationCommand({ clusterName: cluster, associationId })),
    );
    const { namespace, serviceAccount, roleArn } = output.association ?? {};
    if (namespace === undefined || serviceAccount === undefined || roleArn === undefined) return null;
    return { namespace, serviceAccount, roleArn };
  } catch (error) {
    if (isEksNotFound(error)) return null;
    throw error;
  }
}
