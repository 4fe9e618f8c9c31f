// Domain data (pure): AWS managed policy documents bundled with the guard, used when an account view
// cannot read them (offline snapshots). Which of them the plan swaps or keeps is the contract's lists, passed in
// by the composition root (the domain imports nothing outside itself).

import { awsManagedPolicyArn, awsManagedPolicyName, partitionFromArn } from './arn';
import administratorAccess from './managed-policies/AdministratorAccess.json';
import ecrFullAccess from './managed-policies/AmazonEC2ContainerRegistryFullAccess.json';
import ecrPowerUser from './managed-policies/AmazonEC2ContainerRegistryPowerUser.json';
import ecrPullOnly from './managed-policies/AmazonEC2ContainerRegistryPullOnly.json';
import ecrReadOnly from './managed-policies/AmazonEC2ContainerRegistryReadOnly.json';
import eksWorkerNodeMinimal from './managed-policies/AmazonEKSWorkerNodeMinimalPolicy.json';
import eksWorkerNode from './managed-policies/AmazonEKSWorkerNodePolicy.json';
import ecrPublicFullAccess from './managed-policies/AmazonElasticContainerRegistryPublicFullAccess.json';
import powerUserAccess from './managed-policies/PowerUserAccess.json';
import type { ManagedPolicyContent } from './types';

export { awsManagedPolicyArn } from './arn';

/** One bundled file: the default version of an AWS managed policy and where it was copied from. */
interface BundledPolicyFile {
  readonly name: string;
  readonly versionId: string;
  readonly source: string;
  readonly document: unknown;
}

const BUNDLED_FILES: readonly BundledPolicyFile[] = [
  ecrReadOnly,
  ecrPullOnly,
  ecrFullAccess,
  ecrPowerUser,
  ecrPublicFullAccess,
  eksWorkerNode,
  eksWorkerNodeMinimal,
  administratorAccess,
  powerUserAccess,
];

const BUNDLED_BY_NAME: ReadonlyMap<string, BundledPolicyFile> = new Map(
  BUNDLED_FILES.map((file) => [file.name, file]),
);

/** Names of every AWS managed policy whose document ships with the guard. */
export const BUNDLED_MANAGED_POLICY_NAMES: readonly string[] = BUNDLED_FILES.map((file) => file.name);

/** The worker-node policies that, with an EC2 trust policy, mark a role as an EKS node role. */
export const NODE_WORKER_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKSWorkerNodeMinimalPolicy',
] as const;

/**
 * The bundled default version of an AWS managed policy, given its ARN in any partition
 * (`arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly`) or its bare name. A customer managed
 * policy with the same name, or an AWS policy under a path, does not match. Null when not bundled.
 */
export function bundledManagedPolicy(arnOrName: string): ManagedPolicyContent | null {
  const isArn = arnOrName.startsWith('arn:');
  const name = isArn ? awsManagedPolicyName(arnOrName) : arnOrName;
  if (name === null) return null;
  const file = BUNDLED_BY_NAME.get(name);
  if (file === undefined) return null;
  const partition = isArn ? (partitionFromArn(arnOrName) ?? 'aws') : 'aws';
  return {
    arn: awsManagedPolicyArn(partition, file.name),
    name: file.name,
    versionId: file.versionId,
    isDefaultVersion: true,
    document: file.document,
  };
}

/** Where a bundled document was copied from (for docs and reports), or null when not bundled. */
export function bundledPolicySource(name: string): string | null {
  return BUNDLED_BY_NAME.get(name)?.source ?? null;
}

/** True when the ARN is the AWS managed policy `name` in any partition. */
export function isAwsManagedPolicy(arn: string, name: string): boolean {
  return awsManagedPolicyName(arn) === name;
}
