// In-memory AWS: turns an account snapshot (docs/snapshot-format.md), loaded and validated by the one snapshot
// loader the CLI uses, into the seeds FakeAws is built from.
import {
  loadSnapshot,
  type ManagedPolicyDetail,
  type RoleDetail,
  type Snapshot,
} from '../account/snapshot-format';
import { accountFromArn, partitionFromArn } from '../domain/arn';
import { InvalidInputError } from '../domain/errors';
import type { EcrSeed } from './ecr';
import type { ClusterSeed, PolicySeed, RoleSeed } from './model';
import { isAuthenticationMode } from './seeding';

export interface SnapshotSeeds {
  /** The snapshot's accountId, else the account of the first role ARN (docs/snapshot-format.md). */
  readonly accountId: string | null;
  /** The snapshot's partition, else the partition of the first role ARN. */
  readonly partition: string | null;
  /** `quotas.attachedPoliciesPerRole`, null when absent. */
  readonly managedPolicyQuota: number | null;
  readonly policies: readonly PolicySeed[];
  readonly roles: readonly RoleSeed[];
  readonly clusters: readonly { readonly region: string; readonly cluster: ClusterSeed }[];
  readonly regions: readonly string[];
  /** The `ecr` section, per region. */
  readonly ecr: Readonly<Record<string, EcrSeed>>;
}

/** Loads the snapshot (JSON text or an already parsed value); InvalidInputError names the bad path. */
export function snapshotSeeds(json: unknown): SnapshotSeeds {
  const snapshot = loadSnapshot(typeof json === 'string' ? parseJson(json) : json, 'account snapshot');
  const firstRoleArn = snapshot.iam.RoleDetailList[0]?.Arn;
  return {
    accountId: snapshot.accountId ?? (firstRoleArn === undefined ? null : accountFromArn(firstRoleArn)),
    partition: snapshot.partition ?? (firstRoleArn === undefined ? null : partitionFromArn(firstRoleArn)),
    managedPolicyQuota: snapshot.quotas?.attachedPoliciesPerRole ?? null,
    policies: snapshot.iam.Policies.map(policySeed),
    roles: snapshot.iam.RoleDetailList.map(roleSeed),
    clusters: Object.entries(snapshot.eks).flatMap(([region, { clusters }]) =>
      clusters.map((entry) => ({ region, cluster: clusterSeed(entry) })),
    ),
    regions: [...new Set([...Object.keys(snapshot.eks), ...Object.keys(snapshot.ecr ?? {})])],
    ecr: Object.fromEntries(
      Object.entries(snapshot.ecr ?? {}).map(([region, record]): [string, EcrSeed] => [
        region,
        {
          registryPolicy: record.registryPolicy,
          repositories: record.repositories.map(({ repositoryName, policyText }) => ({
            name: repositoryName,
            policyText: policyText ?? null,
          })),
          templates: record.repositoryCreationTemplates.map(({ prefix, repositoryPolicy }) => ({
            prefix,
            repositoryPolicy: repositoryPolicy ?? null,
          })),
        },
      ]),
    ),
  };
}

function parseJson(source: string): unknown {
  try {
    const parsed: unknown = JSON.parse(source);
    return parsed;
  } catch (error) {
    throw new InvalidInputError(
      `Account snapshot is not JSON: ${error instanceof Error ? error.message : ''}`,
    );
  }
}

function roleSeed(role: RoleDetail): RoleSeed {
  return {
    name: role.RoleName,
    arn: role.Arn,
    ...(role.Path === undefined ? {} : { path: role.Path }),
    ...(role.AssumeRolePolicyDocument === undefined ? {} : { trustPolicy: role.AssumeRolePolicyDocument }),
    tags: Object.fromEntries(role.Tags.map((tag) => [tag.Key, tag.Value])),
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    attached: role.AttachedManagedPolicies.map((policy) => policy.PolicyArn),
    inline: Object.fromEntries(
      role.RolePolicyList.map((policy) => [policy.PolicyName, policy.PolicyDocument]),
    ),
  };
}

/** `Path` is not part of the format (the guard does not read it); kept when the capture has one. */
function policySeed(policy: ManagedPolicyDetail): PolicySeed {
  const path = policy.Path;
  return {
    name: policy.PolicyName,
    arn: policy.Arn,
    ...(typeof path === 'string' && path.length > 0 ? { path } : {}),
    ...(policy.DefaultVersionId === undefined ? {} : { defaultVersionId: policy.DefaultVersionId }),
    versions: policy.PolicyVersionList.map((version) => ({
      versionId: version.VersionId,
      document: version.Document,
      isDefaultVersion: version.IsDefaultVersion ?? version.VersionId === policy.DefaultVersionId,
    })),
  };
}

function clusterSeed(entry: Snapshot['eks'][string]['clusters'][number]): ClusterSeed {
  const { computeConfig } = entry;
  const mode = entry.accessConfig?.authenticationMode;
  return {
    name: entry.name,
    ...(computeConfig === undefined
      ? {}
      : {
          computeConfig: {
            ...(computeConfig.enabled === undefined ? {} : { enabled: computeConfig.enabled }),
            ...(computeConfig.nodeRoleArn === undefined ? {} : { nodeRoleArn: computeConfig.nodeRoleArn }),
          },
        }),
    ...(mode === undefined || !isAuthenticationMode(mode)
      ? {}
      : { accessConfig: { authenticationMode: mode } }),
    nodegroups: entry.nodegroups.map(({ nodegroupName, nodeRole, tags }) => ({
      nodegroupName,
      nodeRole,
      ...(tags === undefined ? {} : { tags }),
    })),
    accessEntries: entry.accessEntries.map(({ principalArn, type }) => ({ principalArn, type })),
    fargateProfiles: entry.fargateProfiles.map(({ fargateProfileName, podExecutionRoleArn }) => ({
      fargateProfileName,
      podExecutionRoleArn,
    })),
    ...(entry.identity?.oidc?.issuer === undefined
      ? {}
      : { identity: { oidc: { issuer: entry.identity.oidc.issuer } } }),
    ...(entry.podIdentityAssociations === undefined
      ? {}
      : {
          podIdentityAssociations: entry.podIdentityAssociations.map(
            ({ namespace, serviceAccount, roleArn }) => ({
              namespace,
              serviceAccount,
              roleArn,
            }),
          ),
        }),
    ...(entry.tags === undefined ? {} : { tags: entry.tags }),
  };
}
