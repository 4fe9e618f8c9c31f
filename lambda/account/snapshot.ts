// Account view over an offline snapshot file (GetAccountAuthorizationDetails output + an `eks` section):
// the file format's schema, its loader, and the AccountView the use cases read through.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { accountFromArn, awsManagedPolicyName, partitionFromArn, roleNameFromArn } from '../domain/arn';
import { InvalidInputError } from '../domain/errors';
import { bundledManagedPolicy } from '../domain/managed-policies';
import { decodeDocument } from '../domain/policy-json';
import type { EksClusterRecord, EksInventory, ManagedPolicyContent, RoleRecord } from '../domain/types';
import type { ParsedChange } from '../events/role-change';
import { describeIssues } from '../events/validation-message';
import type { AccountView } from './account-view';

/** The managed-policies-per-role quota when the snapshot does not record one (IAM default). */
export const DEFAULT_MANAGED_POLICY_QUOTA = 10;

// ---- schema (public format: see docs/snapshot-format.md; change it only additively) ------------------

const isDocumentShaped = (value: unknown): boolean =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));

/** A policy document as a JSON object (CLI) or a (URL-encoded) JSON string (raw API); kept as is. */
const PolicyDocumentSchema = z
  .unknown()
  .refine(isDocumentShaped, 'expected a policy document (a JSON object or a JSON string)');

const InlinePolicySchema = z.looseObject({
  PolicyName: z.string().min(1),
  PolicyDocument: PolicyDocumentSchema,
});
const AttachedPolicySchema = z.looseObject({ PolicyName: z.string().min(1), PolicyArn: z.string().min(1) });
const TagSchema = z.looseObject({ Key: z.string().min(1), Value: z.string() });

const RoleDetailSchema = z.looseObject({
  RoleName: z.string().min(1),
  Arn: z.string().min(1),
  RoleId: z.string().optional(),
  Path: z.string().optional(),
  AssumeRolePolicyDocument: PolicyDocumentSchema.optional(),
  RolePolicyList: z.array(InlinePolicySchema).default([]),
  AttachedManagedPolicies: z.array(AttachedPolicySchema).default([]),
  PermissionsBoundary: z
    .looseObject({
      PermissionsBoundaryType: z.string().optional(),
      PermissionsBoundaryArn: z.string().min(1),
    })
    .optional(),
  Tags: z.array(TagSchema).default([]),
});

const PolicyVersionSchema = z.looseObject({
  Document: PolicyDocumentSchema,
  VersionId: z.string().min(1),
  IsDefaultVersion: z.boolean().optional(),
});

const ManagedPolicySchema = z
  .looseObject({
    PolicyName: z.string().min(1),
    Arn: z.string().min(1),
    DefaultVersionId: z.string().optional(),
    PolicyVersionList: z.array(PolicyVersionSchema).default([]),
  })
  .superRefine((policy, context) => {
    if (defaultVersionOf(policy) === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['PolicyVersionList'],
        message: 'no default version (IsDefaultVersion true or VersionId equal to DefaultVersionId)',
      });
    }
  });

const ClusterSchema = z.looseObject({
  name: z.string().min(1),
  computeConfig: z
    .looseObject({ enabled: z.boolean().optional(), nodeRoleArn: z.string().optional() })
    .optional(),
  nodegroups: z
    .array(z.looseObject({ nodegroupName: z.string().min(1), nodeRole: z.string().min(1) }))
    .default([]),
  accessEntries: z
    .array(z.looseObject({ principalArn: z.string().min(1), type: z.string().min(1) }))
    .default([]),
  fargateProfiles: z
    .array(z.looseObject({ fargateProfileName: z.string().min(1), podExecutionRoleArn: z.string().min(1) }))
    .default([]),
});

const SnapshotSchema = z.looseObject({
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit account id')
    .optional(),
  partition: z
    .string()
    .regex(/^aws(-[a-z]+)*$/, 'expected a partition such as aws, aws-cn or aws-us-gov')
    .optional(),
  capturedAt: z.string().optional(),
  quotas: z.looseObject({ attachedPoliciesPerRole: z.number().int().min(1).optional() }).optional(),
  iam: z.looseObject({
    RoleDetailList: z.array(RoleDetailSchema).default([]).superRefine(rejectDuplicateRoleNames),
    Policies: z.array(ManagedPolicySchema).default([]),
  }),
  eks: z
    .record(z.string().min(1), z.looseObject({ clusters: z.array(ClusterSchema).default([]) }))
    .default({}),
});

/** A validated snapshot; absent lists are filled in as empty, everything else is as in the file. */
export type Snapshot = z.output<typeof SnapshotSchema>;
type RoleDetail = z.output<typeof RoleDetailSchema>;
type ManagedPolicyDetail = z.output<typeof ManagedPolicySchema>;
type PolicyVersionDetail = z.output<typeof PolicyVersionSchema>;

function defaultVersionOf(policy: {
  readonly DefaultVersionId?: string | undefined;
  readonly PolicyVersionList: readonly PolicyVersionDetail[];
}): PolicyVersionDetail | undefined {
  return (
    policy.PolicyVersionList.find((version) => version.IsDefaultVersion === true) ??
    policy.PolicyVersionList.find((version) => version.VersionId === policy.DefaultVersionId)
  );
}

/** IAM role names are unique ignoring case; two entries for one name make every lookup ambiguous. */
function rejectDuplicateRoleNames(roles: readonly RoleDetail[], context: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  roles.forEach((role, index) => {
    const key = role.RoleName.toLowerCase();
    const earlier = firstIndex.get(key);
    if (earlier === undefined) firstIndex.set(key, index);
    else {
      context.addIssue({
        code: 'custom',
        path: [index, 'RoleName'],
        message: `duplicate role name ${JSON.stringify(role.RoleName)} (also at index ${earlier})`,
      });
    }
  });
}

// ---- loading ----------------------------------------------------------------------------------------

/** Validates a parsed snapshot; the error names the bad path, e.g. `iam.RoleDetailList[3].RoleName`. */
export function loadSnapshot(json: unknown, origin = 'snapshot'): Snapshot {
  const result = SnapshotSchema.safeParse(json);
  if (result.success) return result.data;
  throw new InvalidInputError(`invalid ${origin}: ${describeIssues(result.error.issues, json)}`);
}

/** Reads, parses and validates a snapshot file, with an InvalidInputError that says what went wrong. */
export function readSnapshotFile(path: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read snapshot file ${path}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'message' in error ? error.message : error;
    throw new InvalidInputError(`snapshot file ${path} is not valid JSON: ${String(reason)}`, {
      cause: error,
    });
  }
  return loadSnapshot(json, `snapshot file ${path}`);
}

/** Node fs errors carry a `code`; checked structurally (errors may come from another realm). */
function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return String(error);
}

// ---- the account view ---------------------------------------------------------------------------------

/**
 * AccountView over a loaded snapshot; indexes are built once. Role (and inline policy) lookups try the
 * exact name first and then ignore case, as IAM does: names keep their case but are unique ignoring it,
 * so a CloudTrail event that spells a role differently still finds it (the record keeps the stored name).
 */
export class SnapshotAccountView implements AccountView {
  readonly accountId: string | null;
  readonly partition: string;

  private readonly rolesByName = new Map<string, RoleDetail>();
  private readonly rolesByFoldedName = new Map<string, RoleDetail>();
  private readonly policiesByArn = new Map<string, ManagedPolicyDetail>();
  private readonly roleNamesByPolicyArn = new Map<string, string[]>();
  private readonly inventory: EksInventory;
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

  async managedPolicyQuota(): Promise<number> {
    return this.quota;
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
    nodegroups: cluster.nodegroups.map(({ nodegroupName, nodeRole }) => ({ nodegroupName, nodeRole })),
    accessEntries: cluster.accessEntries.map(({ principalArn, type }) => ({ principalArn, type })),
    fargateProfiles: cluster.fargateProfiles.map(({ fargateProfileName, podExecutionRoleArn }) => ({
      fargateProfileName,
      podExecutionRoleArn,
    })),
  };
}

// ---- replaying a change -----------------------------------------------------------------------------------

/**
 * The snapshot as it is right after `change`: a captured snapshot shows the account before the event, while
 * a live account is read after it. Attaches the policy, puts the inline policy, makes the new (or named)
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
  }
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
