// Account snapshot (the offline source of an AccountView): the file format's schema and types, and its loader
// with errors that name the bad path. Public format: docs/snapshot-format.md; change it only additively.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors';
import { describeIssues } from '../events/validation-message';

/** The managed-policies-per-role quota when the snapshot does not record one (IAM default). */
export const DEFAULT_MANAGED_POLICY_QUOTA = 10;

export const isDocumentShaped = (value: unknown): boolean =>
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

/** EKS tags as DescribeCluster and DescribeNodegroup return them: a map of key to value. */
const EksTagsSchema = z.record(z.string().min(1), z.string());

const ClusterSchema = z.looseObject({
  name: z.string().min(1),
  computeConfig: z
    .looseObject({ enabled: z.boolean().optional(), nodeRoleArn: z.string().optional() })
    .optional(),
  /** As DescribeCluster returns it; absent in snapshots written before it was recorded (mode unknown). */
  accessConfig: z.looseObject({ authenticationMode: z.string().min(1).optional() }).optional(),
  /** The access-entry APIs refused the cluster: `accessEntries` is empty because it could not be read. */
  accessEntriesError: z.looseObject({ code: z.string().min(1), message: z.string() }).optional(),
  nodegroups: z
    .array(
      z.looseObject({
        nodegroupName: z.string().min(1),
        nodeRole: z.string().min(1),
        /** As DescribeNodegroup returns them; absent in snapshots written before they were recorded (unknown). */
        tags: EksTagsSchema.optional(),
      }),
    )
    .default([]),
  accessEntries: z
    .array(z.looseObject({ principalArn: z.string().min(1), type: z.string().min(1) }))
    .default([]),
  fargateProfiles: z
    .array(z.looseObject({ fargateProfileName: z.string().min(1), podExecutionRoleArn: z.string().min(1) }))
    .default([]),
  /** As DescribeCluster returns it (`identity.oidc.issuer`, the IRSA issuer URL); optional. */
  identity: z
    .looseObject({ oidc: z.looseObject({ issuer: z.string().min(1).optional() }).optional() })
    .optional(),
  /** DescribePodIdentityAssociation's fields; absent (not empty) in snapshots written before they were recorded. */
  podIdentityAssociations: z
    .array(
      z.looseObject({
        namespace: z.string().min(1),
        serviceAccount: z.string().min(1),
        roleArn: z.string().min(1),
      }),
    )
    .optional(),
  /** The Pod Identity APIs refused the cluster: `podIdentityAssociations` is empty because it could not be read. */
  podIdentityAssociationsError: z.looseObject({ code: z.string().min(1), message: z.string() }).optional(),
  /** As DescribeCluster returns them; absent in snapshots written before they were recorded (unknown). */
  tags: EksTagsSchema.optional(),
});

/** A resource policy as ECR returns it: the JSON string (`policyText`, `repositoryPolicy`). */
const PolicyTextSchema = z.string().min(1);

/** One region of the `ecr` section: what DescribeRepositories, GetRepositoryPolicy, GetRegistryPolicy and
 * DescribeRepositoryCreationTemplates return, field names kept. */
const EcrRegionSchema = z.looseObject({
  registryPolicy: PolicyTextSchema.nullable().default(null),
  repositories: z
    .array(
      z.looseObject({
        repositoryName: z.string().min(1),
        repositoryArn: z.string().min(1),
        policyText: PolicyTextSchema.nullable().optional(),
      }),
    )
    .default([]),
  repositoryCreationTemplates: z
    .array(
      z.looseObject({ prefix: z.string().min(1), repositoryPolicy: PolicyTextSchema.nullable().optional() }),
    )
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
  /** Optional: ECR resource policies per region (absent in snapshots captured before it existed). */
  ecr: z.record(z.string().min(1), EcrRegionSchema).optional(),
});

/** A validated snapshot; absent lists are filled in as empty, everything else is as in the file. */
export type Snapshot = z.output<typeof SnapshotSchema>;
export type RoleDetail = z.output<typeof RoleDetailSchema>;
export type ManagedPolicyDetail = z.output<typeof ManagedPolicySchema>;
export type PolicyVersionDetail = z.output<typeof PolicyVersionSchema>;
export type EcrRegionDetail = z.output<typeof EcrRegionSchema>;

/** The version a managed policy entry marks as its default. */
export function defaultVersionOf(policy: {
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

/**
 * The schema with zod's ahead-of-time compiled fast path (`z.compile`), made on first use: a valid snapshot
 * takes it (a 10k-role file validates in about a third of the time); an invalid one falls back to the regular
 * parser, so the issues, and the messages built from them, are the same.
 */
let compiledSnapshotSchema: typeof SnapshotSchema | undefined;

/** Validates a parsed snapshot; the error names the bad path, e.g. `iam.RoleDetailList[3].RoleName`. */
export function loadSnapshot(json: unknown, origin = 'snapshot'): Snapshot {
  compiledSnapshotSchema ??= z.compile(SnapshotSchema);
  const result = compiledSnapshotSchema.safeParse(json);
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
