// Account snapshot, what-if: the snapshot as it is right after a role change (a captured snapshot is the
// state before the event, a live account is read after it), so the same evaluation runs on both.
import { roleNameFromArn } from '../domain/arn';
import type { ParsedChange } from '../events/role-change';
import {
  isDocumentShaped,
  type ManagedPolicyDetail,
  type PolicyVersionDetail,
  type RoleDetail,
  type Snapshot,
} from './snapshot-format';

/**
 * The snapshot as it is right after `change`: a captured snapshot shows the account before the event, while
 * a live account is read after it. Attaches or detaches the policy, puts or deletes the inline policy, makes the new (or named)
 * version the default, or puts/removes the boundary. A change on a role or policy the snapshot does not
 * hold, and an `ignored` change, return the snapshot unchanged. Pure: the input is not modified.
 */
export function applyChange(snapshot: Snapshot, change: ParsedChange): Snapshot {
  switch (change.kind) {
    case 'ignored':
      return snapshot;
    case 'role-policy-attached':
      return updateRole(snapshot, change.roleName, (role) =>
        role.AttachedManagedPolicies.some((policy) => policy.PolicyArn === change.policyArn)
          ? role
          : {
              ...role,
              AttachedManagedPolicies: [
                ...role.AttachedManagedPolicies,
                {
                  PolicyName: roleNameFromArn(change.policyArn) ?? change.policyArn,
                  PolicyArn: change.policyArn,
                },
              ],
            },
      );
    case 'role-policy-detached':
      return updateRole(snapshot, change.roleName, (role) => ({
        ...role,
        AttachedManagedPolicies: role.AttachedManagedPolicies.filter(
          (policy) => policy.PolicyArn !== change.policyArn,
        ),
      }));
    case 'role-policy-put':
      return updateRole(snapshot, change.roleName, (role) => ({
        ...role,
        RolePolicyList: [
          ...role.RolePolicyList.filter(
            (policy) => policy.PolicyName.toLowerCase() !== change.policyName.toLowerCase(),
          ),
          { PolicyName: change.policyName, PolicyDocument: change.document },
        ],
      }));
    case 'role-policy-deleted':
      return updateRole(snapshot, change.roleName, (role) => ({
        ...role,
        RolePolicyList: role.RolePolicyList.filter(
          (policy) => policy.PolicyName.toLowerCase() !== change.policyName.toLowerCase(),
        ),
      }));
    case 'policy-version':
      return updatePolicy(snapshot, change.policyArn, (policy) =>
        withDefaultVersion(policy, change.versionId, change.document),
      );
    case 'boundary-put':
      return updateRole(snapshot, change.roleName, (role) => ({
        ...role,
        PermissionsBoundary: {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: change.boundaryArn,
        },
      }));
    case 'boundary-deleted':
      return updateRole(snapshot, change.roleName, ({ PermissionsBoundary: _removed, ...role }) => role);
    case 'ecr-repository-policy':
      return updateEcrRegion(snapshot, change.region, (region) => ({
        ...region,
        repositories: region.repositories.some((r) => r.repositoryName === change.repositoryName)
          ? region.repositories.map((r) =>
              r.repositoryName === change.repositoryName ? { ...r, policyText: change.policyText } : r,
            )
          : [
              ...region.repositories,
              {
                repositoryName: change.repositoryName,
                repositoryArn: ecrRepositoryArn(snapshot, change),
                policyText: change.policyText,
              },
            ],
      }));
    case 'ecr-registry-policy':
      return updateEcrRegion(snapshot, change.region, (region) => ({
        ...region,
        registryPolicy: change.policyText,
      }));
    case 'ecr-creation-template':
      // An update that sets no repository policy keeps the template's old one.
      if (change.repositoryPolicy === null) return snapshot;
      return updateEcrRegion(snapshot, change.region, (region) => ({
        ...region,
        repositoryCreationTemplates: [
          ...region.repositoryCreationTemplates.filter((t) => t.prefix !== change.prefix),
          { prefix: change.prefix, repositoryPolicy: change.repositoryPolicy },
        ],
      }));
    case 'trust-policy-updated':
      return isDocumentShaped(change.document)
        ? updateRole(snapshot, change.roleName, (role) => ({
            ...role,
            AssumeRolePolicyDocument: change.document,
          }))
        : snapshot;
    case 'eks-node-role':
      // The snapshot's EKS section stays as captured: the evaluation takes the event itself as node-role evidence.
      return snapshot;
  }
}

type EcrRegion = NonNullable<Snapshot['ecr']>[string];

function updateEcrRegion(
  snapshot: Snapshot,
  region: string,
  update: (record: EcrRegion) => EcrRegion,
): Snapshot {
  const ecr = snapshot.ecr ?? {};
  const record = ecr[region] ?? { registryPolicy: null, repositories: [], repositoryCreationTemplates: [] };
  return { ...snapshot, ecr: { ...ecr, [region]: update(record) } };
}

/** `arn:<partition>:ecr:<region>:<registry>:repository/<name>`. */
export function ecrRepositoryArn(
  snapshot: Pick<Snapshot, 'partition'>,
  change: { readonly region: string; readonly registryId: string; readonly repositoryName: string },
): string {
  const partition = snapshot.partition ?? 'aws';
  return `arn:${partition}:ecr:${change.region}:${change.registryId}:repository/${change.repositoryName}`;
}

function updateRole(
  snapshot: Snapshot,
  roleName: string,
  update: (role: RoleDetail) => RoleDetail,
): Snapshot {
  const folded = roleName.toLowerCase();
  const roles = snapshot.iam.RoleDetailList;
  const index = roles.findIndex((role) => role.RoleName === roleName);
  const at = index >= 0 ? index : roles.findIndex((role) => role.RoleName.toLowerCase() === folded);
  const role = roles[at];
  if (role === undefined) return snapshot;
  const updated = update(role);
  if (updated === role) return snapshot;
  const RoleDetailList = roles.map((candidate, i) => (i === at ? updated : candidate));
  return { ...snapshot, iam: { ...snapshot.iam, RoleDetailList } };
}

function updatePolicy(
  snapshot: Snapshot,
  policyArn: string,
  update: (policy: ManagedPolicyDetail) => ManagedPolicyDetail,
): Snapshot {
  const policies = snapshot.iam.Policies;
  const policy = policies.find((candidate) => candidate.Arn === policyArn);
  if (policy === undefined) return snapshot;
  const updated = update(policy);
  if (updated === policy) return snapshot;
  const Policies = policies.map((candidate) => (candidate === policy ? updated : candidate));
  return { ...snapshot, iam: { ...snapshot.iam, Policies } };
}

/** Adds the version when the document is known, then marks `versionId` (or the new version) the default. */
function withDefaultVersion(
  policy: ManagedPolicyDetail,
  versionId: string | null,
  document: unknown | null,
): ManagedPolicyDetail {
  let versions = policy.PolicyVersionList;
  let defaultId = versionId;
  if (document !== null && isDocumentShaped(document)) {
    defaultId = versionId ?? nextVersionId(versions);
    versions = [
      ...versions.filter((version) => version.VersionId !== defaultId),
      { VersionId: defaultId, Document: document },
    ];
  }
  if (defaultId === null || !versions.some((version) => version.VersionId === defaultId)) return policy;
  return {
    ...policy,
    DefaultVersionId: defaultId,
    PolicyVersionList: versions.map((version) => ({
      ...version,
      IsDefaultVersion: version.VersionId === defaultId,
    })),
  };
}

function nextVersionId(versions: readonly PolicyVersionDetail[]): string {
  const numbers = versions.map((version) => Number.parseInt(version.VersionId.replace(/^v/, ''), 10));
  const highest = Math.max(0, ...numbers.filter((n) => Number.isFinite(n)));
  return `v${highest + 1}`;
}
