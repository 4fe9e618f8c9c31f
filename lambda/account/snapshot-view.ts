// Account view (snapshot): the AccountView the use cases read through over a loaded snapshot file
// (GetAccountAuthorizationDetails output + an `eks` section); it can also list every role, for the audit.
import { accountFromArn, awsManagedPolicyName, partitionFromArn } from '../domain/arn';
import { bundledManagedPolicy } from '../domain/managed-policies';
import { decodeDocument } from '../domain/policy-json';
import type {
  EcrInventory,
  EcrRegionRecord,
  EksClusterRecord,
  EksInventory,
  ManagedPolicyContent,
  RoleRecord,
} from '../domain/types';
import type { ParsedChange } from '../events/role-change';
import type { EnumerableAccountView } from './account-view';
import { applyChange } from './apply-change';
import {
  DEFAULT_MANAGED_POLICY_QUOTA,
  defaultVersionOf,
  type ManagedPolicyDetail,
  type PolicyVersionDetail,
  type RoleDetail,
  readSnapshotFile,
  type Snapshot,
} from './snapshot-format';

/**
 * AccountView over a loaded snapshot; indexes are built once. Role (and inline policy) lookups try the
 * exact name first and then ignore case, as IAM does: names keep their case but are unique ignoring it,
 * so a CloudTrail event that spells a role differently still finds it (the record keeps the stored name).
 */
export class SnapshotAccountView implements EnumerableAccountView {
  readonly accountId: string | null;
  readonly partition: string;

  private readonly rolesByName = new Map<string, RoleDetail>();
  private readonly rolesByFoldedName = new Map<string, RoleDetail>();
  private readonly policiesByArn = new Map<string, ManagedPolicyDetail>();
  private readonly roleNamesByPolicyArn = new Map<string, string[]>();
  private readonly inventory: EksInventory;
  private readonly ecr: EcrInventory;
  private readonly quota: number;

  constructor(readonly snapshot: Snapshot) {
    const roles = snapshot.iam.RoleDetailList;
    const firstRoleArn = roles[0]?.Arn ?? null;
    this.accountId = snapshot.accountId ?? (firstRoleArn === null ? null : accountFromArn(firstRoleArn));
    this.partition =
      snapshot.partition ?? (firstRoleArn === null ? null : partitionFromArn(firstRoleArn)) ?? 'aws';
    this.quota = snapshot.quotas?.attachedPoliciesPerRole ?? DEFAULT_MANAGED_POLICY_QUOTA;
    for (const role of roles) {
      this.rolesByName.set(role.RoleName, role);
      this.rolesByFoldedName.set(role.RoleName.toLowerCase(), role);
      for (const attached of role.AttachedManagedPolicies) {
        const names = this.roleNamesByPolicyArn.get(attached.PolicyArn) ?? [];
        names.push(role.RoleName);
        this.roleNamesByPolicyArn.set(attached.PolicyArn, names);
      }
    }
    for (const policy of snapshot.iam.Policies) this.policiesByArn.set(policy.Arn, policy);
    this.inventory = toInventory(snapshot.eks);
    this.ecr = toEcrInventory(snapshot.ecr ?? {});
  }

  /** Reads, validates and wraps a snapshot file. */
  static fromFile(path: string): SnapshotAccountView {
    return new SnapshotAccountView(readSnapshotFile(path));
  }

  /** A view of the account right after `change` (a snapshot is the state before the event). */
  withChange(change: ParsedChange): SnapshotAccountView {
    return new SnapshotAccountView(applyChange(this.snapshot, change));
  }

  async getRole(roleName: string): Promise<RoleRecord | null> {
    const role = this.findRole(roleName);
    return role === undefined ? null : toRoleRecord(role);
  }

  async getInlinePolicy(roleName: string, policyName: string): Promise<unknown | null> {
    const policies = this.findRole(roleName)?.RolePolicyList ?? [];
    const folded = policyName.toLowerCase();
    const policy =
      policies.find((candidate) => candidate.PolicyName === policyName) ??
      policies.find((candidate) => candidate.PolicyName.toLowerCase() === folded);
    return policy === undefined ? null : policy.PolicyDocument;
  }

  /** The snapshot's default version; else the bundled document for an AWS managed ARN; else null. */
  async getManagedPolicy(policyArn: string): Promise<ManagedPolicyContent | null> {
    const policy = this.policiesByArn.get(policyArn);
    if (policy !== undefined) {
      const version = defaultVersionOf(policy);
      return version === undefined ? null : toContent(policy, version);
    }
    return this.bundled(policyArn);
  }

  async getPolicyVersion(policyArn: string, versionId: string): Promise<ManagedPolicyContent | null> {
    const policy = this.policiesByArn.get(policyArn);
    if (policy !== undefined) {
      const version = policy.PolicyVersionList.find((candidate) => candidate.VersionId === versionId);
      return version === undefined ? null : toContent(policy, version);
    }
    const bundled = this.bundled(policyArn);
    return bundled !== null && bundled.versionId === versionId ? bundled : null;
  }

  async rolesForPolicy(policyArn: string): Promise<readonly string[]> {
    return [...(this.roleNamesByPolicyArn.get(policyArn) ?? [])].sort();
  }

  /** The same object on every call (callers may cache work keyed on it). */
  async eksInventory(): Promise<EksInventory> {
    return this.inventory;
  }

  /** A snapshot is read once and never goes stale: there is no cache to forget. */
  invalidateNodeRoles(): void {}

  async managedPolicyQuota(): Promise<number> {
    return this.quota;
  }

  /** The snapshot's `ecr` section (empty when it has none); the same object on every call. */
  async ecrResourcePolicies(): Promise<EcrInventory> {
    return this.ecr;
  }

  async listRoleNames(): Promise<readonly string[]> {
    return [...this.rolesByName.keys()].sort();
  }

  private findRole(roleName: string): RoleDetail | undefined {
    return this.rolesByName.get(roleName) ?? this.rolesByFoldedName.get(roleName.toLowerCase());
  }

  private bundled(policyArn: string): ManagedPolicyContent | null {
    return awsManagedPolicyName(policyArn) === null ? null : bundledManagedPolicy(policyArn);
  }
}

// ---- mapping --------------------------------------------------------------------------------------------

function toRoleRecord(role: RoleDetail): RoleRecord {
  return {
    name: role.RoleName,
    arn: role.Arn,
    path: role.Path ?? '/',
    trustPolicy:
      role.AssumeRolePolicyDocument === undefined ? null : decodeDocument(role.AssumeRolePolicyDocument),
    tags: Object.fromEntries(role.Tags.map((tag) => [tag.Key, tag.Value])),
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    attachedPolicies: role.AttachedManagedPolicies.map((policy) => ({
      name: policy.PolicyName,
      arn: policy.PolicyArn,
    })),
    inlinePolicyNames: role.RolePolicyList.map((policy) => policy.PolicyName),
  };
}

function toContent(policy: ManagedPolicyDetail, version: PolicyVersionDetail): ManagedPolicyContent {
  const isDefault = version.IsDefaultVersion ?? version.VersionId === policy.DefaultVersionId;
  return {
    arn: policy.Arn,
    name: policy.PolicyName,
    versionId: version.VersionId,
    isDefaultVersion: isDefault,
    document: version.Document,
  };
}

function toInventory(eks: Snapshot['eks']): EksInventory {
  const inventory: Record<string, { readonly clusters: readonly EksClusterRecord[] }> = {};
  for (const [region, { clusters }] of Object.entries(eks)) {
    inventory[region] = { clusters: clusters.map(toClusterRecord) };
  }
  return inventory;
}

function toEcrInventory(ecr: NonNullable<Snapshot['ecr']>): EcrInventory {
  const inventory: Record<string, EcrRegionRecord> = {};
  for (const [region, record] of Object.entries(ecr)) {
    inventory[region] = {
      registryPolicy: record.registryPolicy,
      repositories: record.repositories.map(({ repositoryName, repositoryArn, policyText }) => ({
        repositoryName,
        repositoryArn,
        ...(typeof policyText === 'string' ? { policyText } : {}),
      })),
      repositoryCreationTemplates: record.repositoryCreationTemplates.map(({ prefix, repositoryPolicy }) => ({
        prefix,
        ...(typeof repositoryPolicy === 'string' ? { repositoryPolicy } : {}),
      })),
    };
  }
  return inventory;
}

function toClusterRecord(cluster: Snapshot['eks'][string]['clusters'][number]): EksClusterRecord {
  const { computeConfig } = cluster;
  return {
    name: cluster.name,
    computeConfig:
      computeConfig === undefined
        ? undefined
        : {
            ...(computeConfig.enabled === undefined ? {} : { enabled: computeConfig.enabled }),
            ...(computeConfig.nodeRoleArn === undefined ? {} : { nodeRoleArn: computeConfig.nodeRoleArn }),
          },
    ...(cluster.accessConfig?.authenticationMode === undefined
      ? {}
      : { accessConfig: { authenticationMode: cluster.accessConfig.authenticationMode } }),
    ...(cluster.accessEntriesError === undefined
      ? {}
      : {
          accessEntriesError: {
            code: cluster.accessEntriesError.code,
            message: cluster.accessEntriesError.message,
          },
        }),
    nodegroups: cluster.nodegroups.map(({ nodegroupName, nodeRole, tags }) => ({
      nodegroupName,
      nodeRole,
      ...(tags === undefined ? {} : { tags }),
    })),
    accessEntries: cluster.accessEntries.map(({ principalArn, type }) => ({ principalArn, type })),
    fargateProfiles: cluster.fargateProfiles.map(({ fargateProfileName, podExecutionRoleArn }) => ({
      fargateProfileName,
      podExecutionRoleArn,
    })),
    ...(cluster.tags === undefined ? {} : { tags: cluster.tags }),
    ...podIdentityFields(cluster),
  };
}

/** The optional IRSA issuer and Pod Identity associations, copied only when the snapshot records them. */
function podIdentityFields(
  cluster: Snapshot['eks'][string]['clusters'][number],
): Pick<EksClusterRecord, 'identity' | 'podIdentityAssociations' | 'podIdentityAssociationsError'> {
  const issuer = cluster.identity?.oidc?.issuer;
  const error = cluster.podIdentityAssociationsError;
  return {
    ...(issuer === undefined ? {} : { identity: { oidc: { issuer } } }),
    ...(cluster.podIdentityAssociations === undefined
      ? {}
      : {
          podIdentityAssociations: cluster.podIdentityAssociations.map(
            ({ namespace, serviceAccount, roleArn }) => ({ namespace, serviceAccount, roleArn }),
          ),
        }),
    ...(error === undefined
      ? {}
      : { podIdentityAssociationsError: { code: error.code, message: error.message } }),
  };
}
