// In-memory AWS: reads the account snapshot JSON (GetAccountAuthorizationDetails output
// plus an `eks` section) defensively into the seeds FakeAws is built from.
import { z } from 'zod';
import { accountFromArn, partitionFromArn } from '../domain/arn';
import { InvalidInputError } from '../domain/errors';
import type { ClusterSeed, PolicySeed, RoleSeed } from './model';

const text = z.string().min(1);

const roleDetail = z.object({
  RoleName: text,
  Arn: text.optional(),
  Path: text.optional(),
  AssumeRolePolicyDocument: z.unknown().optional(),
  RolePolicyList: z.array(z.object({ PolicyName: text, PolicyDocument: z.unknown() })).nullish(),
  AttachedManagedPolicies: z
    .array(z.object({ PolicyArn: text, PolicyName: z.string().optional() }))
    .nullish(),
  PermissionsBoundary: z.object({ PermissionsBoundaryArn: text.optional() }).nullish(),
  Tags: z.array(z.object({ Key: text, Value: z.string() })).nullish(),
});

const policyDetail = z.object({
  PolicyName: text,
  Arn: text,
  Path: text.optional(),
  DefaultVersionId: text.optional(),
  PolicyVersionList: z
    .array(z.object({ Document: z.unknown(), VersionId: text, IsDefaultVersion: z.boolean().optional() }))
    .min(1),
});

const cluster = z.object({
  name: text,
  computeConfig: z.object({ enabled: z.boolean().optional(), nodeRoleArn: text.optional() }).nullish(),
  nodegroups: z.array(z.object({ nodegroupName: text, nodeRole: text })).nullish(),
  accessEntries: z.array(z.object({ principalArn: text, type: z.string().default('STANDARD') })).nullish(),
  fargateProfiles: z.array(z.object({ fargateProfileName: text, podExecutionRoleArn: text })).nullish(),
});

const snapshotSchema = z.object({
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'a 12-digit account id')
    .nullish(),
  partition: text.nullish(),
  quotas: z.object({ attachedPoliciesPerRole: z.number().int().min(1).nullish() }).nullish(),
  iam: z
    .object({
      RoleDetailList: z.array(roleDetail).nullish(),
      Policies: z.array(policyDetail).nullish(),
    })
    .nullish(),
  eks: z.record(z.string(), z.object({ clusters: z.array(cluster).nullish() })).nullish(),
});

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
}

/** Parses the snapshot (JSON text or an already parsed value); InvalidInputError names the bad field. */
export function snapshotSeeds(json: unknown): SnapshotSeeds {
  const result = snapshotSchema.safeParse(typeof json === 'string' ? parseJson(json) : json);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new InvalidInputError(`Not a usable account snapshot: ${problems.join('; ')}`);
  }
  const snapshot = result.data;
  const eks = snapshot.eks ?? {};
  const firstRoleArn = snapshot.iam?.RoleDetailList?.[0]?.Arn;
  return {
    accountId: snapshot.accountId ?? (firstRoleArn === undefined ? null : accountFromArn(firstRoleArn)),
    partition: snapshot.partition ?? (firstRoleArn === undefined ? null : partitionFromArn(firstRoleArn)),
    managedPolicyQuota: snapshot.quotas?.attachedPoliciesPerRole ?? null,
    policies: (snapshot.iam?.Policies ?? []).map(policySeed),
    roles: (snapshot.iam?.RoleDetailList ?? []).map(roleSeed),
    clusters: Object.entries(eks).flatMap(([region, { clusters }]) =>
      (clusters ?? []).map((entry) => ({ region, cluster: clusterSeed(entry) })),
    ),
    regions: Object.keys(eks),
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

function roleSeed(role: z.infer<typeof roleDetail>): RoleSeed {
  return {
    name: role.RoleName,
    ...(role.Path === undefined ? {} : { path: role.Path }),
    ...(role.Arn === undefined ? {} : { arn: role.Arn }),
    ...(role.AssumeRolePolicyDocument === undefined ? {} : { trustPolicy: role.AssumeRolePolicyDocument }),
    tags: Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    attached: (role.AttachedManagedPolicies ?? []).map((policy) => policy.PolicyArn),
    inline: Object.fromEntries(
      (role.RolePolicyList ?? []).map((policy) => [policy.PolicyName, policy.PolicyDocument]),
    ),
  };
}

function policySeed(policy: z.infer<typeof policyDetail>): PolicySeed {
  return {
    name: policy.PolicyName,
    arn: policy.Arn,
    ...(policy.Path === undefined ? {} : { path: policy.Path }),
    ...(policy.DefaultVersionId === undefined ? {} : { defaultVersionId: policy.DefaultVersionId }),
    versions: policy.PolicyVersionList.map((version) => ({
      versionId: version.VersionId,
      document: version.Document,
      isDefaultVersion: version.IsDefaultVersion ?? version.VersionId === policy.DefaultVersionId,
    })),
  };
}

function clusterSeed(entry: z.infer<typeof cluster>): ClusterSeed {
  const computeConfig = entry.computeConfig ?? undefined;
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
    nodegroups: entry.nodegroups ?? [],
    accessEntries: entry.accessEntries ?? [],
    fargateProfiles: entry.fargateProfiles ?? [],
  };
}
